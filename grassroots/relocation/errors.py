"""Domain errors of the relocation ledger (messages in Simplified Chinese)."""

from __future__ import annotations

from grassroots.core.errors import DomainError


class RelocationError(DomainError):
    pass


class RelocationConflict(RelocationError):
    """The unit's stage does not allow the action, or someone else moved it
    first (409, like every other workflow)."""

    status = 409


MAX_SHOWN = 50


class ImportRejected(RelocationError):
    """Lines with errors (`extra["errors"]`, each with its line number); nothing was written."""

    def __init__(self, errors: list[str], *, what: str) -> None:
        shown = errors[:MAX_SHOWN]
        more = f"另有 {len(errors) - MAX_SHOWN} 处错误未列出。" if len(errors) > MAX_SHOWN else ""
        super().__init__("import_invalid", f"导入文件有 {len(errors)} 处错误,未导入任何{what}。{more}", field="file")
        self.errors = shown
        self.extra = {"errors": shown}
