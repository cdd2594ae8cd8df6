"""Models of the safety inspections: the premises register (`premises`),
versioned checklists (`checklists`), inspections (`inspections`), hazards (`hazards`), sweep campaigns (`campaigns`)."""

from .campaigns import Campaign
from .checklists import Checklist, ChecklistItem, ChecklistVersion
from .hazards import Hazard, HazardEvent, HazardLevel, HazardSource
from .inspections import Inspection, InspectionAnswer, InspectionPhoto, Result
from .premises import NINE_SMALL, Premises, PremisesEvent, PremisesKind, RiskLevel

__all__ = [
    "NINE_SMALL",
    "Campaign",
    "Checklist",
    "ChecklistItem",
    "ChecklistVersion",
    "Hazard",
    "HazardEvent",
    "HazardLevel",
    "HazardSource",
    "Inspection",
    "InspectionAnswer",
    "InspectionPhoto",
    "Premises",
    "PremisesEvent",
    "PremisesKind",
    "Result",
    "RiskLevel",
]
