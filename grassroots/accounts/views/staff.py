"""Staff pages on core's records: one's own in-app notifications and the
audit log (the audit administrator's)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts.permissions import capability_required, current_user
from grassroots.accounts.roles import Capability
from grassroots.core.audit import ACTION_LABELS, audit_verify
from grassroots.core.errors import NotFound
from grassroots.core.models import AuditEntry
from grassroots.core.notifications.selectors import notifications_for_user
from grassroots.core.notifications.services import notification_mark_read


@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    rows = notifications_for_user(user=current_user(request), unread_only=unread_only)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page, "unread_only": unread_only})


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notification_mark_read(user=current_user(request), notification_id=pk)
    except NotFound:
        raise Http404("未找到该消息。") from None
    return redirect(request.POST.get("next") or "notifications")


@require_GET
@capability_required(Capability.VIEW_AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.order_by("-id")
    action = request.GET.get("action", "")
    username = request.GET.get("user", "").strip()[:150]
    if action:
        entries = entries.filter(action=action)
    if username:
        entries = entries.filter(actor_username=username)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for entry in page.object_list:
        entry.action_label = ACTION_LABELS.get(entry.action, entry.action)  # type: ignore[attr-defined]
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "actions": sorted(ACTION_LABELS.items()), "action": action, "username": username},
    )


@require_POST
@capability_required(Capability.VIEW_AUDIT)
def audit_verify_view(request: HttpRequest) -> HttpResponse:
    result = audit_verify()
    return render(request, "core/_audit_verify.html", {"result": result})
