"""Writes of the field app: the sync of outbox items and their resolution (ADR 0054)."""
