from __future__ import annotations

from grassroots.core.errors import Conflict, DomainError


class ExportError(DomainError):
    status = 400


def not_allowed(action: str, state: str) -> Exception:
    return Conflict("export_state", "该导出申请的当前状态不允许此操作。")


def stale() -> Exception:
    return Conflict("export_stale", "该导出申请刚被他人处理,请刷新后重试。")


class ApprovalRequired(DomainError):
    """The export exists but needs the security administrator's approval."""

    status = 403

    def __init__(self, message: str, *, rows: int, unmasked: bool) -> None:
        super().__init__("approval_required", message)
        self.extra = {"rows": rows, "unmasked": unmasked}
