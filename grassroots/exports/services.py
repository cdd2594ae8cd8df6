"""The export gate (ADR 0060, GB/T 35273 §7.1).

`export_decide` says whether an export may go straight to the user: it may
when it is masked and has at most `EXPORT_APPROVAL_ROW_LIMIT` rows. Anything
else becomes an `ExportRequest` that a security administrator (not the
requester) approves or rejects with a reason. An approved request is built
from its stored parameters on download, for its requester, until it expires
(`EXPORT_FILE_HOURS`); the file is never stored, every download is audited
and the workbook carries the requester, the time and the request number."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from grassroots.accounts.permissions import actor_can, require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.actors import SYSTEM
from grassroots.core.audit import Action, audit_record
from grassroots.core.documents import XLSX_CONTENT_TYPE, excel_bytes, export_watermark
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.text import TextError, clean_text
from grassroots.core.workflow import Workflow

from .errors import ApprovalRequired, ExportError, not_allowed, stale
from .models import ExportRequest
from .registry import ExportKind, export_kind
from .states import EXPORT_TABLE, ExportAction, ExportState

WORKFLOW: Workflow[ExportRequest] = Workflow(
    model=ExportRequest,
    table=EXPORT_TABLE,
    not_allowed=not_allowed,
    stale=stale,
    audit_detail=lambda r: {"number": r.number, "kind": r.kind},
)


# A page's own Excel export (matters, care lists, statistics…) stopped by the
# guard in core.documents for its row count; replayed for its requester.
PAGE_KIND = "page"


def row_limit() -> int:
    return int(getattr(settings, "EXPORT_APPROVAL_ROW_LIMIT", 500))


def file_hours() -> int:
    return int(getattr(settings, "EXPORT_FILE_HOURS", 24))


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content: bytes
    content_type: str
    rows: int


@dataclass(frozen=True)
class Decision:
    """What the gate found for one export: its kind (`PAGE_KIND` for a page's
    own Excel export over the limit), parameters, row count, masking."""

    kind_key: str
    label: str
    params: dict[str, Any]
    rows: int
    unmasked: bool
    back: str = ""

    @property
    def needs_approval(self) -> bool:
        return self.unmasked or self.rows > row_limit()

    @property
    def why(self) -> str:
        reasons = []
        if self.unmasked:
            reasons.append("导出不脱敏的身份证号和手机号")
        if self.rows > row_limit():
            reasons.append(f"共 {self.rows} 行,超过 {row_limit()} 行的上限")
        return ";".join(reasons)


def _clean_reason(value: str, label: str) -> str:
    try:
        reason = clean_text(value or "").strip()
    except TextError as exc:
        raise ExportError(exc.code, f"{label}{exc.message}", field="reason") from None
    if not reason:
        raise ExportError("reason_required", f"请填写{label}。", field="reason")
    if len(reason) > 500:
        raise ExportError("reason_too_long", f"{label}不能超过 500 个字。", field="reason")
    return reason


def _check_may_export(actor: Any, kind: ExportKind) -> None:
    require_capability(actor, Capability.EXPORT_DATA)
    for capability in kind.capabilities:
        require_capability(actor, capability)


def export_decide(*, actor: Any, kind_key: str, query: Mapping[str, str]) -> Decision:
    """Parse `query` for the kind and count the user's rows. Raises 403 for a
    user who may not export this kind at all, 400 for bad parameters."""
    kind = export_kind(kind_key)
    _check_may_export(actor, kind)
    params = kind.parse(query, actor)
    unmasked = bool(params.get("unmasked"))
    if unmasked and not kind.can_unmask:
        raise ExportError("unmask_unsupported", "这种导出没有不脱敏的版本。", field="unmasked")
    params["unmasked"] = unmasked
    return Decision(
        kind_key=kind.key,
        label=kind.label,
        params=params,
        rows=kind.count(actor, params),
        unmasked=unmasked,
        back=kind.back_url,
    )


def _build(*, actor: Any, kind: ExportKind, params: Mapping[str, Any], number: str = "") -> tuple[ExportFile, Any]:
    table = kind.build(actor, params)
    filename = table.filename if table.filename.lower().endswith(".xlsx") else f"{table.filename}.xlsx"
    content, count = excel_bytes(
        sheet_title=table.sheet_title,
        headers=table.headers,
        rows=table.rows,
        watermark=export_watermark(actor, number=number),
        watermark_row=bool(number),
    )
    return ExportFile(filename=filename, content=content, content_type=XLSX_CONTENT_TYPE, rows=count), table


def export_direct(*, actor: Any, decision: Decision, ip: str | None = None) -> ExportFile:
    """The file of a masked export within the limit, audited. Refuses one
    that needs approval: no caller can skip the gate by calling this."""
    if decision.needs_approval:
        raise ApprovalRequired(
            f"此导出需审批:{decision.why}。请提交导出申请,经安全管理员批准后下载。",
            rows=decision.rows,
            unmasked=decision.unmasked,
        )
    kind = export_kind(decision.kind_key)
    file, table = _build(actor=actor, kind=kind, params=decision.params)
    audit_record(
        action=Action.EXPORT,
        actor=actor,
        object_type=table.object_type,
        ip=ip,
        detail={"rows": file.rows, "filename": file.filename, "kind": kind.key, **table.detail},
    )
    return file


def export_request_create(*, actor: Any, decision: Decision, reason: str, ip: str | None = None) -> ExportRequest:
    reason = _clean_reason(reason, "导出事由")
    request = ExportRequest.objects.create(
        requester=actor,
        kind=decision.kind_key,
        params=decision.params,
        unmasked=decision.unmasked,
        estimated_rows=decision.rows,
        reason=reason,
    )
    audit_record(
        action=Action.CREATE,
        actor=actor,
        obj=request,
        ip=ip,
        detail={"number": request.number, "kind": request.kind, "rows": decision.rows, "unmasked": decision.unmasked},
    )
    return request


def _decide(
    *, actor: Any, export: ExportRequest, action: str, reason: str, ip: str | None, updates: dict[str, Any]
) -> ExportRequest:
    def permission() -> None:
        require_capability(actor, Capability.APPROVE_EXPORTS, "只有安全管理员可以审批导出申请。")
        if export.requester_id == getattr(actor, "pk", None):
            raise PermissionDenied("不能审批自己提出的导出申请。")

    permission()
    reason = _clean_reason(reason, "审批意见")
    now = timezone.now()
    return WORKFLOW.transition(
        export,
        action=action,
        actor=actor,
        permission=permission,
        updates={"decided_by": actor, "decision_reason": reason, "decided_at": now, **updates},
        audit_extra={"reason": reason},
        audit_ip=ip,
    )


def export_request_approve(*, actor: Any, export: ExportRequest, reason: str, ip: str | None = None) -> ExportRequest:
    expires = timezone.now() + datetime.timedelta(hours=file_hours())
    return _decide(
        actor=actor, export=export, action=ExportAction.APPROVE, reason=reason, ip=ip, updates={"expires_at": expires}
    )


def export_request_reject(*, actor: Any, export: ExportRequest, reason: str, ip: str | None = None) -> ExportRequest:
    return _decide(actor=actor, export=export, action=ExportAction.REJECT, reason=reason, ip=ip, updates={})


def export_request_check_download(*, actor: Any, export: ExportRequest) -> None:
    """Raise unless `actor` may download `export` now: the requester's own,
    approved (or downloaded) and not expired (an expired one is marked so)."""
    if export.requester_id != getattr(actor, "pk", None):
        raise NotFound()
    if export.expires_at is not None and export.expires_at <= timezone.now():
        if export.state != ExportState.EXPIRED:
            export_request_expire(export=export)
        raise ExportError("export_expired", "该导出文件已过期,请重新申请。")
    if export.state not in (ExportState.APPROVED, ExportState.DOWNLOADED):
        raise ExportError("export_not_approved", "该导出申请尚未批准,不能下载。")


def export_request_downloaded(
    *, actor: Any, export: ExportRequest, detail: dict[str, Any], audited: bool, ip: str | None = None
) -> None:
    """Count a download; the first moves the request to 已下载. Unless the
    file's own writer `audited` it, the download is audited here."""
    ExportRequest.objects.filter(pk=export.pk).update(downloads=F("downloads") + 1)
    if export.state == ExportState.APPROVED:
        WORKFLOW.transition(
            export,
            action=ExportAction.DOWNLOAD,
            actor=actor,
            audit_action=Action.STATE_CHANGE if audited else Action.EXPORT,
            audit_extra=detail,
            audit_ip=ip,
        )
    elif not audited:
        audit_record(action=Action.EXPORT, actor=actor, obj=export, ip=ip, detail={"number": export.number, **detail})


def export_request_download(*, actor: Any, export: ExportRequest, ip: str | None = None) -> ExportFile:
    """A registered kind's approved file, built now for the requester from
    the stored parameters; audited every time."""
    export_request_check_download(actor=actor, export=export)
    kind = export_kind(export.kind)
    # The requester must still hold the capabilities (a changed role loses them).
    _check_may_export(actor, kind)
    file, table = _build(actor=actor, kind=kind, params=export.params, number=export.number)
    detail = {"rows": file.rows, "filename": file.filename, "kind": kind.key, **table.detail}
    export_request_downloaded(actor=actor, export=export, detail=detail, audited=False, ip=ip)
    return file


def export_request_expire(*, export: ExportRequest) -> ExportRequest:
    return WORKFLOW.transition(export, action=ExportAction.EXPIRE, actor=SYSTEM)


def export_requests_expire_due(*, now: datetime.datetime | None = None) -> int:
    """Expire approved files past their time and requests left undecided
    for longer than the file lifetime; returns how many."""
    moment = now or timezone.now()
    due = ExportRequest.objects.filter(
        state__in=[ExportState.APPROVED, ExportState.DOWNLOADED], expires_at__lte=moment
    ) | ExportRequest.objects.filter(
        state=ExportState.REQUESTED, created_at__lte=moment - datetime.timedelta(hours=file_hours())
    )
    done = 0
    for export in due.order_by("pk"):
        export_request_expire(export=export)
        done += 1
    return done


def can_approve(actor: Any) -> bool:
    return actor_can(actor, Capability.APPROVE_EXPORTS)
