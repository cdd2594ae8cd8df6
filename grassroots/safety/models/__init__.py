"""Models of the safety inspections: the premises register (`premises`),
versioned checklists (`checklists`), inspections (`inspections`), hazards (`hazards`)."""

from .checklists import Checklist, ChecklistItem, ChecklistVersion
from .hazards import Hazard, HazardEvent, HazardLevel
from .inspections import Inspection, InspectionAnswer, InspectionPhoto, Result
from .premises import NINE_SMALL, Premises, PremisesEvent, PremisesKind, RiskLevel

__all__ = [
    "NINE_SMALL",
    "Checklist",
    "ChecklistItem",
    "ChecklistVersion",
    "Hazard",
    "HazardEvent",
    "HazardLevel",
    "Inspection",
    "InspectionAnswer",
    "InspectionPhoto",
    "Premises",
    "PremisesEvent",
    "PremisesKind",
    "Result",
    "RiskLevel",
]
