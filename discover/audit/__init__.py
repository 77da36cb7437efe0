"""Checking a finished run from its directory alone: replay and report."""
