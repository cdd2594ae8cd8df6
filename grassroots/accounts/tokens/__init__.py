"""Scoped, expiring, revocable API tokens (ADR 0058), replacing DRF's
authtoken: only a SHA-256 digest of the key is stored, the key is shown once."""
