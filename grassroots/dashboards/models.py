"""The dashboards keep no tables of their own: every figure is read through
the owning app's selectors (matters' rollups, mediation, safety, addresses,
relocation, livelihood, indicators, registration), so a dashboard can never
disagree with the list behind it (ADR 0048)."""
