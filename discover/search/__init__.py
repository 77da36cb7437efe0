"""The search: regularized evolution, mutation, the loop and its resume, executors, run directories, the end of a run."""
