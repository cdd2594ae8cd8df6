"""Subscription messages (订阅通知) to residents who reported through the
official account and accepted the progress template: matters calls
`reporter_channel` (registered in ChannelsConfig.ready()) wherever it texts
reporters (accepted, resolved, deadline or unit changed, closed). One row per
matter event (the dedupe key is the event's), delivered after commit.
Nothing is queued when the resident chose SMS or no messages (ADR 0056),
whether they said so to the account or with the matter's phone number."""

from __future__ import annotations

from django.conf import settings

from grassroots.core.notifications.preferences import WECHAT, channel_allowed
from grassroots.matters.models import Matter, MatterEvent

from ..models import WechatInbound, WechatNotice
from ..tasks import schedule_notice


def reporter_channel(*, matter: Matter, event: MatterEvent, body: str, subject: str, link: str) -> int:
    if not settings.WECHAT_MP_TEMPLATE_ID:
        return 0
    inbound = WechatInbound.objects.filter(matter_id=matter.pk).select_related("identity").first()
    if inbound is None or not inbound.identity.subscribed or not inbound.identity.following:
        return 0
    if not channel_allowed(WECHAT, phone=matter.reporter_phone, openid=inbound.identity.openid):
        return 0
    notice, created = WechatNotice.objects.get_or_create(
        dedupe_key=f"matter:{event.matter_id}:event:{event.pk}:wechat:{inbound.identity_id}",
        defaults={
            "identity": inbound.identity,
            "matter": matter,
            "subject": subject[:100],
            "body": body[:500],
            "link": link[:500],
        },
    )
    if created:
        schedule_notice(notice.pk)
    return 1
