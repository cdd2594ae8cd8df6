"""Staff pages for reading matters: the work queue (filters, search, htmx
live filtering), the Excel export of the filtered list, the detail page and
the scoped attachment download. What they show beyond a matter's fields is in
display.py (due badges, masked channel details) and selectors.place_labels.
Views parse input, call one selector and render; the actions live in
actions.py."""

from __future__ import annotations

from typing import Any, cast

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from grassroots.accounts.permissions import capability_required, deny, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.documents import content_disposition, excel_response
from grassroots.core.masking import mask_phone
from grassroots.core.workdays import WorkCalendar
from grassroots.regions.selectors import place_labels, scope_depth

from .. import selectors
from ..forms.queue import QueueFilterForm
from ..models import Matter
from .actions import detail_context
from .display import due_status, reporter_label

PER_PAGE = 25
EXPORT_LIMIT = 20000
EXPORT_BATCH = 1000
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"})


def queue_matters(request: HttpRequest, form: QueueFilterForm) -> Any:
    return selectors.queue_rows(user=request.user, filters=form.filters(), ordering=form.ordering())


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
    matter = selectors.matter_get_visible(user=request.user, pk=pk)
    return render(request, "matters/staff/detail.html", detail_context(request, matter))


@require_GET
@capability_required(Capability.VIEW_MATTERS)
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """Stream an attachment of a matter in the user's subtree, with the
    content type sniffed at upload (never the browser's claim)."""
    item = selectors.attachment_in_scope(user=request.user, pk=pk)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Content-Disposition"] = content_disposition(
        item.original_name, inline=item.content_type in INLINE_TYPES and "download" not in request.GET
    )
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)  # a streaming response; the decorator's type is narrower
