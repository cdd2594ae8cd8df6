"""Domain errors of the dashboards (messages in Simplified Chinese)."""

from __future__ import annotations

from grassroots.core.errors import DomainError


class DashboardError(DomainError):
    """Bad dashboard input (an unknown trend span): 400, nothing read."""
