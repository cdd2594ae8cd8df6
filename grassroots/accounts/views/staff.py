"""Staff pages on core's records: one's own in-app notifications and the
audit log (the audit administrator's)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts.permissions import capability_required, current_user
from grassroots.accounts.roles import Capability
from grassroots.core.audit import ACTION_LABELS, audit_verify
from grassroots.core.errors import NotFound
from grassroots.core.masking import mask_phone
from grassroots.core.models import AuditEntry, Notification
from grassroots.core.notifications.selectors import notifications_for_user, sms_outbox_counts
from grassroots.core.notifications.selectors import sms_outbox as sms_outbox_rows
from grassroots.core.notifications.services import notification_mark_read
from grassroots.core.notifications.sms.gateway import PROVIDER_LABELS, fallback_order, provider_label, template_for
from grassroots.core.notifications.sms.kinds import kind_label, registered_kinds


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


SMS_RECEIPT_FILTERS = {"none": "", "delivered": "delivered", "undelivered": "undelivered"}


@require_GET
@capability_required(Capability.VIEW_SMS_OUTBOX)
def sms_outbox(request: HttpRequest) -> HttpResponse:
    """短信发送记录: every SMS of the outbox with its masked number, its
    gateway attempts and its delivery receipt; and which approved template
    each message kind uses at each provider."""
    status = request.GET.get("status", "")
    status = status if status in Notification.Status.values else ""
    receipt = request.GET.get("receipt", "")
    receipt = receipt if receipt in SMS_RECEIPT_FILTERS else ""
    provider = request.GET.get("provider", "")
    provider = provider if provider in PROVIDER_LABELS else ""
    kinds = registered_kinds()
    kind = request.GET.get("kind", "")
    kind = kind if kind in {k.code for k in kinds} else ""
    rows = sms_outbox_rows(
        status=status, receipt=SMS_RECEIPT_FILTERS[receipt] if receipt else None, provider=provider, kind=kind
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for row in page.object_list:
        row.masked_phone = mask_phone(row.address)  # type: ignore[attr-defined]
        row.kind_label = kind_label(row.sms_kind) if row.sms_kind else "—"  # type: ignore[attr-defined]
        row.provider_label = provider_label(row.provider) if row.provider else ""  # type: ignore[attr-defined]
        row.attempt_list = [  # type: ignore[attr-defined]
            {
                "provider": provider_label(a.provider),
                "outcome": a.get_outcome_display(),
                "ok": a.outcome == "accepted",
                "code": a.code,
                "message": a.message,
            }
            for a in row.sms_attempts.all()
        ]
    order = fallback_order()
    templates = [
        {
            "label": k.label,
            "code": k.code,
            "params": "、".join(k.params),
            "ids": [template_for(k.code, name) for name in order],
        }
        for k in kinds
    ]
    counts = sms_outbox_counts()
    return render(
        request,
        "core/sms_outbox.html",
        {
            "page": page,
            "status": status,
            "receipt": receipt,
            "provider": provider,
            "kind": kind,
            "statuses": Notification.Status.choices,
            "receipts": [("none", "未回执"), ("delivered", "已送达"), ("undelivered", "未送达")],
            "providers": sorted(PROVIDER_LABELS.items()),
            "kinds": [(k.code, k.label) for k in kinds],
            "counts": [(label, counts[value]) for value, label in Notification.Status.choices],
            "order": [provider_label(name) for name in order],
            "templates": templates,
            "backend": str(settings.SMS_BACKEND).rsplit(".", 1)[-1],
        },
    )
