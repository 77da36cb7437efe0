"""Held-out target tasks under equal tuning budgets: the protocol, its tables, its replay."""
