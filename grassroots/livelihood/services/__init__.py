"""Writes of the livelihood app: care flags (`flags`), visits and health
rounds (`visits`), the flags' workflow binding (`workflow`)."""
