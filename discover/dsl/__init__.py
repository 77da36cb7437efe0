"""The language: programs, their text and JSON, checking and dataflow analysis, the baselines, hyperparameter names."""
