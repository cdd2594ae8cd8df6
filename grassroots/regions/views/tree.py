"""Staff pages for the tree and residents. Views parse input, call one
selector or service and render; scoping answers 404 outside the subtree."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts.permissions import capability_required, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError, PermissionDenied, TooManyRequests
from grassroots.core.scoping import get_in_scope_or_404
from grassroots.exports.gate import export_page

from .. import selectors
from ..exporting import RESIDENTS_EXPORT
from ..models import Level, Node, Resident
from ..personal_data import resident_reveal
from ..presentation import resident_masked, residents_masked
from ..services import resident_contact_preference, resident_contact_preference_set

CHILDREN_PER_PAGE = 50
RESIDENTS_PER_PAGE = 30


@require_GET
@capability_required(Capability.VIEW_TREE)
def tree(request: HttpRequest) -> HttpResponse:
    """The tree starts at the user's own node; users without one see the roots."""
    node = request.user.jurisdiction  # type: ignore[union-attr]
    if node is not None:
        return redirect("regions:node", pk=node.pk)
    if not request.user.is_superuser:
        raise Http404("您的账号尚未分配辖区。")
    roots = Node.objects.filter(depth=1).order_by("path")
    page = Paginator(roots, CHILDREN_PER_PAGE).get_page(request.GET.get("page"))
    rows = selectors.node_rows_with_counts(nodes=list(page.object_list))
    return render(request, "regions/roots.html", {"page": page, "rows": rows})


@require_GET
@capability_required(Capability.VIEW_TREE)
def node_detail(request: HttpRequest, pk: int) -> HttpResponse:
    node = selectors.node_get_visible(user=request.user, node_id=pk)
    children = Node.objects.filter(path__startswith=node.path, depth=node.depth + 1).order_by("path")
    page = Paginator(children, CHILDREN_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "regions/node_detail.html",
        {
            "node": node,
            "counts": selectors.node_counts(node=node),
            "rows": selectors.node_rows_with_counts(nodes=list(page.object_list)),
            "page": page,
            "breadcrumbs": selectors.ancestors_visible_to(user=request.user, node=node),
            "child_level": Level(node.level + 1).label if node.level < Level.UNIT else "",
            "households": node.households.order_by("room") if node.level == Level.UNIT else None,
            "can_view_residents": user_can(request.user, Capability.VIEW_RESIDENTS),
        },
    )


def _resident_filters(request: HttpRequest) -> tuple[Node | None, str]:
    node = None
    node_id = request.GET.get("node", "").strip()
    if node_id:
        if not node_id.isdigit():
            raise Http404("辖区编号无效。")
        node = selectors.node_get_visible(user=request.user, node_id=int(node_id))
    return node, request.GET.get("q", "").strip()[:50]


@require_GET
@capability_required(Capability.VIEW_RESIDENTS)
def resident_list(request: HttpRequest) -> HttpResponse:
    node, query = _resident_filters(request)
    residents = selectors.residents_visible_to(user=request.user, node=node, query=query)
    page = Paginator(residents.select_related("household"), RESIDENTS_PER_PAGE).get_page(request.GET.get("page"))
    template = "regions/_resident_rows.html" if request.htmx else "regions/resident_list.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "page": page,
            "rows": residents_masked(page.object_list),
            "node": node,
            "query": query,
            "can_export": user_can(request.user, Capability.EXPORT_DATA),
        },
    )


@require_GET
@capability_required(Capability.VIEW_RESIDENTS)
def resident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _resident_page(request, pk)


def _resident_page(request: HttpRequest, pk: int, *, error: str = "", status: int = 200) -> HttpResponse:
    resident = get_in_scope_or_404(Resident.objects.select_related("household", "household__unit"), request.user, pk=pk)
    return render(
        request,
        "regions/resident_detail.html",
        {
            "has_phone": bool(resident.phone),
            "preference": resident_contact_preference(resident=resident),
            "preference_choices": PREFERENCE_CHOICES,
            "preference_error": error,
            "resident": resident_masked(resident),
            "breadcrumbs": [
                *selectors.ancestors_visible_to(user=request.user, node=resident.household.unit),
                resident.household.unit,
            ],
            "can_reveal": user_can(request.user, Capability.REVEAL_PERSONAL_DATA),
        },
        status=status,
    )


PREFERENCE_CHOICES = [("", "默认(短信)"), ("sms", "短信"), ("wechat", "微信(不发短信)"), ("none", "不接收")]


@require_POST
@capability_required(Capability.VIEW_RESIDENTS)
def resident_preference_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff record the channel the resident asked for (ADR 0056)."""
    resident = get_in_scope_or_404(Resident.objects.all(), request.user, pk=pk)
    choice = request.POST.get("choice", "")
    if choice not in {value for value, _label in PREFERENCE_CHOICES}:
        return _resident_page(request, pk, error="请选择默认、短信、微信或不接收。", status=400)
    try:
        resident_contact_preference_set(actor=request.user, resident=resident, choice=choice)  # type: ignore[arg-type]
    except DomainError as exc:
        return _resident_page(request, pk, error=exc.message, status=400)
    messages.success(request, "接收方式已保存。")
    return redirect("regions:resident", pk=pk)


@require_POST
@capability_required(Capability.VIEW_RESIDENTS)
def resident_reveal_view(request: HttpRequest, pk: int) -> HttpResponse:
    resident = get_in_scope_or_404(Resident.objects.all(), request.user, pk=pk)
    reason = request.POST.get("reason", "").strip()[:200]
    if not reason:
        return _reveal_answer(request, {"error": "请填写查看事由。"}, status=400)
    try:
        values = resident_reveal(actor=request.user, resident=resident, reason=reason)
    except (PermissionDenied, TooManyRequests) as exc:
        return _reveal_answer(request, {"error": exc.message}, status=exc.status)
    return _reveal_answer(request, {"values": values}, status=200)


def _reveal_answer(request: HttpRequest, context: dict[str, object], *, status: int) -> HttpResponse:
    """htmx swaps only 2xx answers (and the browser logs the others), so the
    form's own request gets 200 with the message; anything else the real status."""
    return render(request, "regions/_reveal.html", context, status=200 if request.htmx else status)  # type: ignore[attr-defined]


@require_GET
# Both: exporting is a capability of its own, and it must not open the
# residents to a role that cannot see them (window staff export registration data).
@capability_required(Capability.VIEW_RESIDENTS)
@capability_required(Capability.EXPORT_DATA)
def resident_export(request: HttpRequest) -> HttpResponse:
    """Through the export gate: masked and within the limit at once, else 需审批 (ADR 0060)."""
    return export_page(request, RESIDENTS_EXPORT.key)
