"""Evaluation forms, one module per part (ranking: the ranking rule)."""
