"""Staff pages for reading matters: the work queue (filters, search, htmx
live filtering), the Excel export of the filtered list, the detail page and
the scoped attachment download, plus the display helpers they share with the
detail panel (due badges, place labels, masked channel details). Views parse
input, call one selector and render; the actions live in views_actions.py."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, cast

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from grassroots.accounts.permissions import capability_required, deny, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.documents import content_disposition, excel_response
from grassroots.core.masking import mask_name, mask_phone
from grassroots.core.scoping import get_in_scope_or_404
from grassroots.core.workdays import CalendarNotCovered, WorkCalendar, deadline_after
from grassroots.regions.models import Node

from . import selectors
from .forms_queue import QueueFilterForm
from .models import Attachment, Matter
from .states import OPEN_STATES

PER_PAGE = 25
EXPORT_LIMIT = 20000
EXPORT_BATCH = 1000
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"})


@dataclass(frozen=True)
class DueStatus:
    """How a matter stands against its due date, for badges and exports."""

    late: bool = False
    today: bool = False
    # Working days past the due date; None when the calendar cannot say.
    days: int | None = None

    @property
    def label(self) -> str:
        if self.late:
            return f"逾期 {self.days} 个工作日" if self.days else "已逾期"
        return "今日到期" if self.today else ""


def due_status(matter: Matter, *, calendar: WorkCalendar, today: datetime.date) -> DueStatus:
    if matter.due_date is None or matter.state not in OPEN_STATES:
        return DueStatus()
    if matter.due_date == today:
        return DueStatus(today=True)
    if matter.due_date > today:
        return DueStatus()
    try:
        days: int | None = calendar.working_days_between(matter.due_date, today)
    except CalendarNotCovered:
        days = None
    return DueStatus(late=True, days=days)


def place_labels(nodes: list[Node], *, skip_depth: int) -> dict[int, str]:
    """``第1网格 1号楼 1单元`` for each node: its own label after those of its
    ancestors deeper than `skip_depth` (the levels everybody on the page
    shares, such as the user's own village). One query for a whole page."""
    step = Node.steplen
    wanted = {n.path[: d * step] for n in nodes for d in range(skip_depth + 1, n.depth)}
    rows = Node.objects.filter(path__in=wanted).values_list("path", "short_name", "name") if wanted else []
    names = {path: short or name for path, short, name in rows}
    return {
        n.pk: " ".join([*(names.get(n.path[: d * step], "") for d in range(skip_depth + 1, n.depth)), n.label]).strip()
        for n in nodes
    }


def scope_depth(user: Any) -> int:
    """Depth of the levels a user's pages can leave out of place labels: their
    own node (the subdistrict, at least)."""
    node = getattr(user, "jurisdiction", None)
    return max(int(node.depth), 1) if node is not None else 1


def _mask_email(value: str) -> str:
    name, at, domain = value.partition("@")
    return f"{name[:1]}***{at}{domain}" if at else mask_phone(value)


def mask_channel_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    """Channel details as staff may see them: e-mail addresses and phone
    numbers a client sent (Open311 `email`, a caller's number) masked like
    every other phone number; everything else verbatim."""
    masked: dict[str, Any] = {}
    for key, value in (detail or {}).items():
        if isinstance(value, str) and "email" in key:
            masked[key] = _mask_email(value)
        elif isinstance(value, str) and ("phone" in key or "mobile" in key):
            masked[key] = mask_phone(value)
        else:
            masked[key] = value
    return masked


def reporter_label(matter: Matter) -> str:
    if matter.anonymous:
        return "匿名"
    return mask_name(matter.reporter_name) or "—"


CHANNEL_DETAIL_LABELS = {
    "group": "微信群",
    "sender": "发送人昵称",
    "sent_at": "发送时间",
    "caller": "来电人",
    "household": "走访户编号",
    "visit": "走访记录编号",
    "service_code": "Open311 服务代码",
    "address_string": "地址",
    "address_id": "地址编号",
    "media_url": "图片链接",
    "device_id": "设备编号",
    "account_id": "账号",
    "email": "电子邮箱",
    "attributes": "附加属性",
}
ORIGINAL_TEXT_KEYS = ("original_text", "original", "text")


def channel_items(matter: Matter) -> tuple[list[tuple[str, str]], str]:
    """Channel details as (label, value) rows, and the original message text
    (shown verbatim). Unknown keys are shown under their own name."""
    detail = mask_channel_detail(matter.channel_detail)
    original = next((str(detail.pop(k)) for k in ORIGINAL_TEXT_KEYS if detail.get(k)), "")
    rows = [
        (CHANNEL_DETAIL_LABELS.get(key, key), _detail_value(value))
        for key, value in detail.items()
        # An objection's publication is shown as a link (views_actions.detail_context).
        if value not in ("", None, {}, []) and key != "publication"
    ]
    return rows, original


def _detail_value(value: Any) -> str:
    if isinstance(value, dict):
        return ";".join(f"{k}:{v}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def deadline_notes(matter: Matter) -> list[str]:
    if not (matter.due_provisional and matter.accepted_at and matter.deadline_days):
        return []
    try:
        info = deadline_after(timezone.localdate(matter.accepted_at), matter.deadline_days)
    except CalendarNotCovered as exc:
        return [exc.message]
    return info.notes


def queue_matters(request: HttpRequest, form: QueueFilterForm) -> Any:
    return (
        selectors.matters_visible_to(user=request.user, **form.filters())
        .select_related("node", "category", "category__parent", "assignee", "responsible_unit")
        .order_by(*form.ordering())
    )


def _filter_query(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _sort_query(request: HttpRequest, sort: str) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params["sort"] = sort
    return params.urlencode()


@require_GET
@capability_required(Capability.VIEW_MATTERS)
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET, user=request.user)
    form.is_valid()  # invalid fields are shown with their errors and ignored
    page = Paginator(queue_matters(request, form), PER_PAGE).get_page(request.GET.get("page"))
    calendar, today = WorkCalendar(), timezone.localdate()
    matters = list(page.object_list)
    places = place_labels([m.node for m in matters], skip_depth=scope_depth(request.user))
    rows = [(m, due_status(m, calendar=calendar, today=today), places[m.node_id]) for m in matters]
    sort = form.cleaned_data.get("sort") or "-created"
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "filtered": any(v for k, v in form.cleaned_data.items() if k != "sort"),
        "advanced": sum(1 for k, v in form.cleaned_data.items() if v and k not in ("q", "sort")),
        "filter_query": _filter_query(request),
        "sort": sort,
        "sort_due_query": _sort_query(request, "-due" if sort == "due" else "due"),
        "sort_created_query": _sort_query(request, "created" if sort == "-created" else "-created"),
        "can_export": user_can(request.user, Capability.EXPORT_DATA),
        "export_limit": EXPORT_LIMIT,
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return render(request, "matters/staff/_queue_results.html", context)
    return render(request, "matters/staff/queue.html", context)


@require_GET
@capability_required(Capability.EXPORT_DATA)
def export(request: HttpRequest) -> HttpResponse:
    if not user_can(request.user, Capability.VIEW_MATTERS):
        raise deny(request, Capability.VIEW_MATTERS)
    form = QueueFilterForm(request.GET, user=request.user)
    form.is_valid()
    calendar, today = WorkCalendar(), timezone.localdate()

    matters = queue_matters(request, form)

    def batches() -> Any:
        for start in range(0, EXPORT_LIMIT, EXPORT_BATCH):
            batch = list(matters[start : min(start + EXPORT_BATCH, EXPORT_LIMIT)])
            if not batch:
                return
            yield batch, place_labels([m.node for m in batch], skip_depth=1)

    def rows() -> Any:
        for batch, places in batches():
            yield from (row(matter, places[matter.node_id]) for matter in batch)

    def row(matter: Matter, place: str) -> tuple[Any, ...]:
        status = due_status(matter, calendar=calendar, today=today)
        return (
            matter.number,
            matter.title,
            place,
            str(matter.category) if matter.category else "",
            matter.get_channel_display(),
            matter.get_state_display(),
            matter.get_urgency_display(),
            "是" if matter.touches_collective else "否",
            timezone.localtime(matter.created_at).strftime("%Y-%m-%d %H:%M"),
            matter.due_date.isoformat() if matter.due_date else "",
            status.label,
            str(matter.responsible_unit) if matter.responsible_unit else "",
            str(matter.assignee) if matter.assignee else "",
            reporter_label(matter),
            mask_phone(matter.reporter_phone),
        )

    return excel_response(
        filename=f"事项清单-{today:%Y%m%d}.xlsx",
        sheet_title="事项",
        headers=[
            "编号",
            "标题",
            "发生地点",
            "分类",
            "渠道",
            "状态",
            "紧急程度",
            "涉及集体利益",
            "反映时间",
            "办理期限",
            "逾期情况",
            "责任单位",
            "承办人",
            "反映人(脱敏)",
            "手机号(脱敏)",
        ],
        rows=rows(),
        user=request.user,
        request=request,
        object_type="matters.Matter",
        detail={"filters": _filter_query(request), "limit": EXPORT_LIMIT},
    )


@require_GET
@capability_required(Capability.VIEW_MATTERS)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    from .views_actions import detail_context

    matter = selectors.matter_get_visible(user=request.user, pk=pk)
    return render(request, "matters/staff/detail.html", detail_context(request, matter))


@require_GET
@capability_required(Capability.VIEW_MATTERS)
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """Stream an attachment of a matter in the user's subtree, with the
    content type sniffed at upload (never the browser's claim)."""
    item = get_in_scope_or_404(
        Attachment.objects.select_related("matter"), request.user, path_field="matter__path", pk=pk
    )
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Content-Disposition"] = content_disposition(
        item.original_name, inline=item.content_type in INLINE_TYPES and "download" not in request.GET
    )
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)  # a streaming response; the decorator's type is narrower
