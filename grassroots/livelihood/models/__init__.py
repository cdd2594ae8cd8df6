"""Models of the livelihood app: care flags on residents and households and
the visits and health rounds recorded against the care lists (`care`). The
lists themselves are derived from the resident register, never copied."""

from .care import CareFlag, CareFlagEvent, CareVisit, FlagKind, HealthRound, ListKind, VisitKind

__all__ = ["CareFlag", "CareFlagEvent", "CareVisit", "FlagKind", "HealthRound", "ListKind", "VisitKind"]
