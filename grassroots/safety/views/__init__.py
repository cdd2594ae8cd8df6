"""Pages of the safety inspections: the premises register (`premises`) and
the checklists (`checklists`), inspections (`inspections`)."""

from .checklists import checklist_detail, checklist_list, checklist_publish
from .inspections import inspection_detail, inspection_new, inspection_photo
from .premises import (
    premises_close,
    premises_detail,
    premises_edit,
    premises_list,
    premises_new,
    premises_reopen,
)

__all__ = [
    "checklist_detail",
    "checklist_list",
    "checklist_publish",
    "inspection_detail",
    "inspection_new",
    "inspection_photo",
    "premises_close",
    "premises_detail",
    "premises_edit",
    "premises_list",
    "premises_new",
    "premises_reopen",
]
