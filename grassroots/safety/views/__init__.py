"""Pages of the safety inspections: the premises register (`premises`) and
the checklists (`checklists`), inspections (`inspections`), hazards (`hazards`)."""

from .campaigns import campaign_detail, campaign_list, campaign_open
from .checklists import checklist_detail, checklist_list, checklist_publish
from .hazards import (
    hazard_check,
    hazard_detail,
    hazard_evidence,
    hazard_issue_notice,
    hazard_list,
    hazard_notice,
    hazard_raise,
    hazard_rectify,
    hazard_refer,
    hazard_reinspect,
)
from .inspections import inspection_detail, inspection_new, inspection_photo
from .links import hazard_open_matter, matter_lead
from .premises import (
    premises_close,
    premises_detail,
    premises_edit,
    premises_list,
    premises_new,
    premises_reopen,
)
from .statistics import statistics, statistics_export

__all__ = [
    "campaign_detail",
    "campaign_list",
    "campaign_open",
    "checklist_detail",
    "checklist_list",
    "checklist_publish",
    "hazard_check",
    "hazard_detail",
    "hazard_evidence",
    "hazard_issue_notice",
    "hazard_list",
    "hazard_notice",
    "hazard_open_matter",
    "hazard_raise",
    "hazard_rectify",
    "hazard_refer",
    "hazard_reinspect",
    "inspection_detail",
    "inspection_new",
    "inspection_photo",
    "matter_lead",
    "premises_close",
    "premises_detail",
    "premises_edit",
    "premises_list",
    "premises_new",
    "premises_reopen",
    "statistics",
    "statistics_export",
]
