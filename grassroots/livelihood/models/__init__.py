"""Models of the livelihood app: care flags on residents and households and
the visits and health rounds recorded against the care lists (`care`);
民生实事 projects with milestones and photos (`projects`). The
lists themselves are derived from the resident register, never copied."""

from .care import CareFlag, CareFlagEvent, CareVisit, FlagKind, HealthRound, ListKind, VisitKind
from .projects import Milestone, Project, ProjectPhoto

__all__ = [
    "CareFlag",
    "CareFlagEvent",
    "CareVisit",
    "FlagKind",
    "HealthRound",
    "ListKind",
    "Milestone",
    "Project",
    "ProjectPhoto",
    "VisitKind",
]
