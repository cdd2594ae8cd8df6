"""Pages of the safety inspections: the premises register (`premises`) and
the checklists (`checklists`)."""

from .checklists import checklist_detail, checklist_list, checklist_publish
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
    "premises_close",
    "premises_detail",
    "premises_edit",
    "premises_list",
    "premises_new",
    "premises_reopen",
]
