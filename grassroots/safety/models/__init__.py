"""Models of the safety inspections: the premises register (`premises`),
versioned checklists (`checklists`)."""

from .checklists import Checklist, ChecklistItem, ChecklistVersion
from .premises import NINE_SMALL, Premises, PremisesEvent, PremisesKind, RiskLevel

__all__ = [
    "NINE_SMALL",
    "Checklist",
    "ChecklistItem",
    "ChecklistVersion",
    "Premises",
    "PremisesEvent",
    "PremisesKind",
    "RiskLevel",
]
