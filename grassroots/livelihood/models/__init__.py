"""Models of the livelihood app: care flags on residents and households and
the visits and health rounds recorded against the care lists (`care`);
民生实事 projects with milestones and photos (`projects`); activities
with registration, attendance and weekly check-ins (`activities`). The
lists themselves are derived from the resident register, never copied."""

from .activities import Activity, ActivityKind, ActivityPhoto, CheckIn, Registration
from .care import CareFlag, CareFlagEvent, CareVisit, FlagKind, HealthRound, ListKind, VisitKind
from .projects import Milestone, Project, ProjectPhoto

__all__ = [
    "Activity",
    "ActivityKind",
    "ActivityPhoto",
    "CareFlag",
    "CareFlagEvent",
    "CareVisit",
    "CheckIn",
    "FlagKind",
    "HealthRound",
    "ListKind",
    "Milestone",
    "Project",
    "ProjectPhoto",
    "Registration",
    "VisitKind",
]
