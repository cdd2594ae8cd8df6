"""The dashboards write nothing: every figure is read through other apps'
selectors (ADR 0048), so there is no service here."""
