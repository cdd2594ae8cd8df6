"""渠道配置 (ADR 0053): the security administrator's page for the outbound
channels. Each channel's credential fields (non-secret values shown, secret
ones only as 已设置/未设置 with when and by whom, never the value, not even a
tail), a test SMS to a typed number with its outcome, and the last 30 days'
delivery statistics per channel."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts.permissions import capability_required, current_user
from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError
from grassroots.core.notifications.credentials import CHANNEL_BY_KEY, credential_status, credentials_update
from grassroots.core.notifications.selectors import sms_stats_by_provider
from grassroots.core.notifications.sms.gateway import fallback_order, provider_label
from grassroots.core.notifications.sms.probe import sms_test_send

from .. import selectors

settings_required = capability_required(Capability.MANAGE_CHANNELS)
STATS_DAYS = 30
PHONE_MAX = 20


def _context(**extra: Any) -> dict[str, Any]:
    since = timezone.now() - datetime.timedelta(days=STATS_DAYS)
    sms = sms_stats_by_provider(since=since)
    sms_rows = [
        {"label": provider_label(name) if name else "未经通道发出(限流或全部失败)", **counts}
        for name, counts in sms.items()
    ]
    others = selectors.delivery_stats(since=since)
    channel_rows = [
        {"label": "企业微信群机器人", **others["wecom"]},
        {"label": "微信公众号图文", **others["wechat_mp"]},
        {"label": "公众号订阅通知", **others["wechat_notice"]},
    ]
    return {
        "channels": credential_status(),
        "order": [provider_label(name) for name in fallback_order()],
        "sms_rows": sms_rows,
        "channel_rows": channel_rows,
        "days": STATS_DAYS,
        **extra,
    }


@require_GET
@settings_required
def channel_settings(request: HttpRequest) -> HttpResponse:
    return render(request, "channels/settings.html", _context())


@require_POST
@settings_required
def channel_settings_save(request: HttpRequest, channel: str) -> HttpResponse:
    spec = CHANNEL_BY_KEY.get(channel)
    if spec is None:
        raise Http404("未找到该渠道。")
    values = {f.name: str(request.POST.get(f.name, "")) for f in spec.fields if f.name in request.POST}
    try:
        changed = credentials_update(actor=current_user(request), channel=channel, values=values)
    except DomainError as exc:
        return render(request, "channels/settings.html", _context(error_channel=channel, error=exc.message), status=400)
    if changed:
        messages.success(request, f"{spec.label}:已更新 {len(changed)} 项配置。")
    else:
        messages.info(request, f"{spec.label}:没有需要更新的配置。")
    return redirect("channels:settings")


@require_POST
@settings_required
def channel_test_sms(request: HttpRequest) -> HttpResponse:
    phone = str(request.POST.get("phone", ""))[:PHONE_MAX]
    try:
        result = sms_test_send(actor=current_user(request), phone=phone)
    except DomainError as exc:
        return render(request, "channels/settings.html", _context(test_error=exc.message), status=400)
    return render(request, "channels/settings.html", _context(test_result=result))
