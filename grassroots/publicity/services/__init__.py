"""晒事 services (ADR 0033): publications (draft, publish, withdraw, end),
objections, and the text rules they share."""

from .objections import ObjectionInput, objection_file, objection_open, objection_places, shown_state
from .publications import (
    SEARCH_TYPE,
    WORKFLOW,
    publication_create,
    publication_index,
    publication_publish,
    publication_update,
    publication_withdraw,
    publications_end_due,
)
from .text import CHANNEL_ORDER, DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS, chinese_number, date_label, default_end

__all__ = [
    "CHANNEL_ORDER",
    "DEFAULT_PERIOD_DAYS",
    "MAX_PERIOD_DAYS",
    "SEARCH_TYPE",
    "WORKFLOW",
    "ObjectionInput",
    "chinese_number",
    "date_label",
    "default_end",
    "objection_file",
    "objection_open",
    "objection_places",
    "publication_create",
    "publication_index",
    "publication_publish",
    "publication_update",
    "publication_withdraw",
    "publications_end_due",
    "shown_state",
]
