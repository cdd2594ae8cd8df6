"""Staff pages of 议事 (the public ones are in `public.py`, which urls.py imports itself)."""

from .attendance import check_in, invite, uninvite
from .meetings import (
    agenda_add,
    meeting_action,
    meeting_detail,
    meeting_list,
    meeting_new,
    minutes_pdf,
    resolution_fix,
    resolution_new,
)
from .rules import proposal_list, rule_list, rule_publish
from .weekly import weekly_page

__all__ = [
    "agenda_add",
    "check_in",
    "invite",
    "meeting_action",
    "meeting_detail",
    "meeting_list",
    "meeting_new",
    "minutes_pdf",
    "proposal_list",
    "resolution_fix",
    "resolution_new",
    "rule_list",
    "rule_publish",
    "uninvite",
    "weekly_page",
]
