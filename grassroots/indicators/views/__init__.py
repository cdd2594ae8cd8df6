"""Pages of the indicator ledger: the month's table, review and lock, a
value's history, trends and export (`table`), entry and import (`entry`),
the monthly briefing (`briefing`)."""

from .briefing import briefing, briefing_word
from .definitions import definition_edit, definition_new, definitions
from .entry import enter, import_page
from .table import export, ledger_lock, ledger_return, ledger_review, table, trend, value_history

__all__ = [
    "briefing",
    "briefing_word",
    "definition_edit",
    "definition_new",
    "definitions",
    "enter",
    "export",
    "import_page",
    "ledger_lock",
    "ledger_return",
    "ledger_review",
    "table",
    "trend",
    "value_history",
]
