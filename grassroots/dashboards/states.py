"""The dashboards have no workflow: they only read (ADR 0048)."""
