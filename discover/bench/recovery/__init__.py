"""The optimizer-recovery benchmark: hidden targets, the match fitness, the check, the table."""
