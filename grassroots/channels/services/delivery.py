"""One attempt at an outgoing call, run by the tasks. A row is claimed with
one conditional UPDATE (pending and unclaimed, or claimed longer ago than the
lease), so two workers never send it at once. A group post's parts (the
markdown message, the QR image) and an article's steps (cover, draft,
submit) are recorded as each one succeeds, so a retry continues where the
last attempt stopped and a group never gets the same message twice. A
failure keeps the provider's errcode and message on the row; after the last
attempt (or an error that retrying cannot fix) the row is failed and shown
so on the publication's push page."""

from __future__ import annotations

import base64
import datetime
import enum
import hashlib
import logging
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from grassroots.core import links
from grassroots.core.documents import qr_png_data_uri

from ..backends import ProviderError, get_mp_backend, get_robot_backend
from ..models import ChannelPost, Status, Target, WechatIdentity, WechatNotice
from ..texts import article_html, digest, heading, markdown_text, notice_url

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
CLAIM_LEASE = datetime.timedelta(minutes=10)
# Errors a retry cannot fix: a wrong or deleted webhook key (93000), a bad
# AppID (40013), an unauthorised API (48001), a refused subscription (43101).
FINAL_ERRCODES = {93000, 40013, 48001, 43101}
TITLE_CHARS = 64
FIELD_CHARS = 20


class Outcome(enum.StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"
    RETRY = "retry"
    FAILED = "failed"


def _qr_png(url: str) -> bytes:
    return base64.b64decode(qr_png_data_uri(url, scale=8).split(",", 1)[1])


def _post_parts(post: ChannelPost) -> dict[str, Any]:
    """Send what is still missing of the post; answers the result so far.
    `post.result` is updated (and saved by the caller) step by step."""
    result = dict(post.result)
    if post.target == Target.WECOM:
        assert post.robot is not None
        backend = get_robot_backend()
        key = post.robot.webhook_key
        if "markdown" not in result.get("parts", []):
            backend.post(
                key=key, payload={"msgtype": "markdown", "markdown": {"content": markdown_text(post.publication)}}
            )
            result["parts"] = [*result.get("parts", []), "markdown"]
            _save_result(post, result)
        if "qr" not in result.get("parts", []):
            png = _qr_png(notice_url(post.publication))
            backend.post(
                key=key,
                payload={
                    "msgtype": "image",
                    "image": {"base64": base64.b64encode(png).decode(), "md5": hashlib.md5(png).hexdigest()},  # noqa: S324 - WeCom's checksum
                },
            )
            result["parts"] = [*result.get("parts", []), "qr"]
            _save_result(post, result)
        if not backend.live:
            result["demo"] = True
        return result
    mp = get_mp_backend()
    publication = post.publication
    if "thumb_media_id" not in result:
        result["thumb_media_id"] = mp.upload_image(png=_qr_png(notice_url(publication)))
        _save_result(post, result)
    if "media_id" not in result:
        title = heading(publication)
        result["media_id"] = mp.add_draft(
            article={
                "title": title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…",
                "author": "",
                "digest": digest(publication),
                "content": article_html(publication),
                "content_source_url": notice_url(publication),
                "thumb_media_id": result["thumb_media_id"],
                "need_open_comment": 0,
                "only_fans_can_comment": 0,
            }
        )
        _save_result(post, result)
    if "publish_id" not in result:
        result["publish_id"] = mp.submit_publish(media_id=result["media_id"])
        result["publish_status_label"] = "已提交发布"
        _save_result(post, result)
    return result


def _save_result(post: ChannelPost, result: dict[str, Any]) -> None:
    post.result = result
    ChannelPost.objects.filter(pk=post.pk).update(result=result, updated_at=timezone.now())


def _failure(exc: Exception) -> tuple[int | None, str]:
    if isinstance(exc, ProviderError):
        return exc.errcode, str(exc)[:500]
    return None, f"{type(exc).__name__}: {exc}"[:500]


def post_deliver(*, post_id: int, last_try: bool) -> Outcome:
    now = timezone.now()
    claimed = (
        ChannelPost.objects.filter(pk=post_id, status=Status.PENDING)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE))
        .update(attempts=F("attempts") + 1, claimed_at=now, updated_at=now)
    )
    if not claimed:
        return Outcome.SKIPPED
    post = ChannelPost.objects.select_related("publication", "robot").get(pk=post_id)
    try:
        result = _post_parts(post)
    except Exception as exc:
        errcode, message = _failure(exc)
        final = last_try or post.attempts >= MAX_ATTEMPTS or errcode in FINAL_ERRCODES
        ChannelPost.objects.filter(pk=post_id, claimed_at=now).update(
            status=Status.FAILED if final else Status.PENDING,
            claimed_at=None,
            last_error=message,
            result={**post.result, "errcode": errcode},
            updated_at=timezone.now(),
        )
        logger.warning(
            "Channel post %s attempt %s failed%s: %s", post_id, post.attempts, " (final)" if final else "", message
        )
        return Outcome.FAILED if final else Outcome.RETRY
    result.pop("errcode", None)
    ChannelPost.objects.filter(pk=post_id, claimed_at=now).update(
        status=Status.SENT,
        claimed_at=None,
        sent_at=timezone.now(),
        last_error="",
        result=result,
        updated_at=timezone.now(),
    )
    return Outcome.SENT


def _short(text: str) -> str:
    return text if len(text) <= FIELD_CHARS else text[: FIELD_CHARS - 1] + "…"


def notice_deliver(*, notice_id: int, last_try: bool) -> Outcome:
    now = timezone.now()
    claimed = (
        WechatNotice.objects.filter(pk=notice_id, status=Status.PENDING)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE))
        .update(attempts=F("attempts") + 1, claimed_at=now)
    )
    if not claimed:
        return Outcome.SKIPPED
    notice = WechatNotice.objects.select_related("identity", "matter").get(pk=notice_id)
    fields = [*settings.WECHAT_MP_TEMPLATE_FIELDS, "", "", ""]
    values = [_short(notice.matter.title), notice.matter.tracking_code, _short(notice.subject)]
    data = {name: value for name, value in zip(fields[:3], values, strict=True) if name}
    try:
        get_mp_backend().send_subscribe(
            openid=notice.identity.openid,
            template_id=str(settings.WECHAT_MP_TEMPLATE_ID),
            page=links.public_url(notice.link) if notice.link.startswith("/") else notice.link,
            data=data,
        )
    except Exception as exc:
        errcode, message = _failure(exc)
        final = last_try or notice.attempts >= MAX_ATTEMPTS or errcode in FINAL_ERRCODES
        WechatNotice.objects.filter(pk=notice_id, claimed_at=now).update(
            status=Status.FAILED if final else Status.PENDING, claimed_at=None, last_error=message
        )
        if errcode == 43101:
            # The resident withdrew the subscription: stop queueing more.
            WechatIdentity.objects.filter(pk=notice.identity_id).update(subscribed=False)
        return Outcome.FAILED if final else Outcome.RETRY
    WechatNotice.objects.filter(pk=notice_id, claimed_at=now).update(
        status=Status.SENT, claimed_at=None, sent_at=timezone.now(), last_error=""
    )
    return Outcome.SENT


def requeue_stalled(*, older_than: datetime.timedelta) -> tuple[list[int], list[int]]:
    """Pending posts and notices nothing has touched for a while (a lost
    queue message, a dead worker, an eager retry): their ids, to queue again."""
    cutoff = timezone.now() - older_than
    posts = list(
        ChannelPost.objects.filter(status=Status.PENDING, updated_at__lt=cutoff).values_list("pk", flat=True)[:500]
    )
    notices = list(
        WechatNotice.objects.filter(status=Status.PENDING, updated_at__lt=cutoff).values_list("pk", flat=True)[:500]
    )
    return posts, notices
