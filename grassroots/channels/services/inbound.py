"""What the official account receives (ADR 0051). The callback view checks
the signature and decrypts; here one parsed message is recorded once, keyed
by WeChat's MsgId (events: openid + CreateTime + Event, WeChat's own rule),
so that a provider retry gets the same reply and never a second matter.

A resident's text becomes a 说事 matter anchored at the village or community
the text names (the account serves the whole subdistrict; a matter needs a
village or lower). Without a recognisable place the reply asks for it and
nothing is created. The reporter is the OpenID's identity, never a phone."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.core import links
from grassroots.core.errors import DomainError
from grassroots.core.models import ContactPreference
from grassroots.core.notifications.preferences import contact_preference_set
from grassroots.matters.models import Channel
from grassroots.matters.services.intake import MatterInput, format_tracking_code, matter_create
from grassroots.matters.services.notify import tracking_link
from grassroots.regions.models import Level, Node

from ..models import ChannelPost, InboundOutcome, Status, Target, WechatIdentity, WechatInbound

TITLE_CHARS = 30
MIN_TEXT = 5
PLACE_SUFFIXES = ("社区居委会", "村委会", "社区", "村")

NEED_PLACE_REPLY = (
    "您好,请在消息里写明您所在的村或社区和具体事情,例如:“西张村 3号楼前路灯不亮”。也可点击菜单“我要说事”填写。"
)
TOO_SHORT_REPLY = "请把事情说具体一些(至少 5 个字),我们收到后会转给所在村/社区办理。"
NOT_TEXT_REPLY = "目前只能受理文字消息,请用文字描述您反映的事情,并写明所在村或社区。"
WELCOME_REPLY = (
    "欢迎关注!直接发送文字即可反映身边的事(请写明所在村或社区),我们会回复查询码。点击菜单“进度查询”可随时查看办理进度。"
)

# Replies that set the resident's channel preference (ADR 0056): "TD" and
# "退订" as WeChat and SMS conventions have them, and a way back.
UNSUBSCRIBE_WORDS = frozenset({"td", "退订", "取消订阅", "不接收"})
RESUBSCRIBE_WORDS = frozenset({"恢复", "恢复通知", "订阅"})
UNSUBSCRIBED_REPLY = (
    "已退订:今后不再通过公众号或短信向您发送事项进度通知。回复“恢复”可重新接收,也可随时在进度查询页查看办理情况。"
)
RESUBSCRIBED_REPLY = "已恢复:今后事项进度会通过公众号通知您(需已订阅“办理进度通知”)。回复“TD”可退订。"


def preference_word(text: str) -> str | None:
    """The preference a reply sets ("none", "wechat"), or None when the text
    is not such a reply (then it is a resident's message)."""
    word = text.strip().rstrip("。.!!").lower()  # noqa: B005 - a set of trailing punctuation marks
    if word in UNSUBSCRIBE_WORDS:
        return ContactPreference.Choice.NONE
    if word in RESUBSCRIBE_WORDS:
        return ContactPreference.Choice.WECHAT
    return None


# Publish results (PUBLISHJOBFINISH publish_status), as WeChat documents them.
PUBLISH_STATUS = {
    0: "发布成功",
    1: "发布中",
    2: "原创校验失败",
    3: "常规失败",
    4: "平台审核不通过",
    5: "发布成功后用户删除",
    6: "发布成功后被系统封禁",
}


def _places() -> list[tuple[str, Node]]:
    """Every village-level node by its name and its name without the
    suffix (村/社区), longest first, so that 店子社区 wins over 店子."""
    names: list[tuple[str, Node]] = []
    for node in Node.objects.filter(level=Level.VILLAGE).order_by("path"):
        for name in {node.name, node.short_name} - {""}:
            names.append((name, node))
            for suffix in PLACE_SUFFIXES:
                stem = name.removesuffix(suffix)
                if stem != name and len(stem) >= 2:
                    names.append((stem, node))
                    break
    return sorted(names, key=lambda pair: -len(pair[0]))


def place_in(text: str) -> Node | None:
    """The village or community the text names; None when none or several do."""
    found: dict[int, Node] = {}
    for name, node in _places():
        if name in text:
            found.setdefault(node.pk, node)
    return next(iter(found.values())) if len(found) == 1 else None


def _title(text: str) -> str:
    first = " ".join(text.split())
    return first if len(first) <= TITLE_CHARS else first[: TITLE_CHARS - 1] + "…"


def message_key(message: dict[str, Any]) -> str:
    if message.get("MsgId"):
        return f"msg:{message['MsgId']}"[:128]
    return f"event:{message.get('FromUserName', '')}:{message.get('CreateTime', '')}:{message.get('Event', '')}"[:128]


def _text_outcome(text: str) -> tuple[str, Any, str]:
    """(outcome, matter, reply) for a resident's text."""
    if len(text) < MIN_TEXT:
        return InboundOutcome.TOO_SHORT, None, TOO_SHORT_REPLY
    place = place_in(text)
    if place is None:
        return InboundOutcome.NEED_PLACE, None, NEED_PLACE_REPLY
    return InboundOutcome.MATTER, place, ""


def _subscription(identity: WechatIdentity, message: dict[str, Any], *, popup: bool) -> None:
    """subscribe_msg_popup_event (accept/reject) and subscribe_msg_change_event
    (cancel) for the installation's progress template."""
    key = "SubscribeMsgPopupEvent" if popup else "SubscribeMsgChangeEvent"
    items = (message.get(key) or {}).get("List") or []
    if isinstance(items, dict):
        items = [items]
    for item in items:
        if not isinstance(item, dict) or item.get("TemplateId") != settings.WECHAT_MP_TEMPLATE_ID:
            continue
        accepted = item.get("SubscribeStatusString") == "accept"
        WechatIdentity.objects.filter(pk=identity.pk).update(
            subscribed=accepted, subscribed_at=timezone.now() if accepted else None
        )


def _publish_finished(message: dict[str, Any]) -> None:
    info = message.get("PublishEventInfo") or {}
    if not isinstance(info, dict):
        return
    publish_id = str(info.get("publish_id") or "")
    post = ChannelPost.objects.filter(target=Target.WECHAT_MP, result__publish_id=publish_id).first()
    if not publish_id or post is None:
        return
    try:
        status = int(info.get("publish_status", -1))
    except (TypeError, ValueError):
        status = -1
    detail = info.get("article_detail") or {}
    item = detail.get("item") if isinstance(detail, dict) else None
    if isinstance(item, list):
        item = item[0] if item else None
    result = {**post.result, "publish_status": status, "publish_status_label": PUBLISH_STATUS.get(status, "未知")}
    if isinstance(item, dict) and item.get("article_url"):
        result["article_url"] = str(item["article_url"])[:500]
    fields: dict[str, Any] = {"result": result}
    if status not in (0, 1):
        fields.update(status=Status.FAILED, last_error=f"公众号发布失败:{PUBLISH_STATUS.get(status, status)}")
    ChannelPost.objects.filter(pk=post.pk).update(**fields)


def _handle_event(identity: WechatIdentity, message: dict[str, Any]) -> str:
    event = str(message.get("Event", "")).lower()
    if event == "subscribe":
        WechatIdentity.objects.filter(pk=identity.pk).update(following=True)
        return WELCOME_REPLY
    if event == "unsubscribe":
        WechatIdentity.objects.filter(pk=identity.pk).update(following=False, subscribed=False)
    elif event in ("subscribe_msg_popup_event", "subscribe_msg_change_event"):
        _subscription(identity, message, popup=event == "subscribe_msg_popup_event")
    elif event == "publishjobfinish":
        _publish_finished(message)
    return ""


def _matter_reply(matter: Any, identity: WechatIdentity) -> str:
    reply = (
        f"已收到您反映的事项,已转{matter.node.name}办理。\n"
        f"查询码:{format_tracking_code(matter.tracking_code)}\n"
        f"办理进度:{links.public_url(tracking_link(matter.tracking_code))}"
    )
    if not identity.subscribed:
        reply += "\n订阅“办理进度通知”后,受理、办结和期限调整会通过公众号告诉您。"
    return reply


def inbound_handle(*, message: dict[str, Any]) -> str:
    """Record one message or event the account received and answer the
    passive reply's text ("" for none). Idempotent by the message's key."""
    openid = str(message.get("FromUserName") or "").strip()
    if not openid or len(openid) > 64:
        raise DomainError("openid_invalid", "消息缺少发送人。", field="FromUserName")
    key = message_key(message)
    existing = WechatInbound.objects.filter(msg_key=key).first()
    if existing is not None:
        return existing.reply
    identity, _ = WechatIdentity.objects.get_or_create(openid=openid)
    msg_type = str(message.get("MsgType") or "").lower()[:32]
    text = " ".join(str(message.get("Content") or "").split())[:5000] if msg_type == "text" else ""
    try:
        with transaction.atomic():
            matter = None
            outcome: str
            if msg_type == "event":
                outcome, reply = InboundOutcome.EVENT, _handle_event(identity, message)
            elif msg_type == "text" and (choice := preference_word(text)) is not None:
                contact_preference_set(
                    actor=None, choice=choice, source=ContactPreference.Source.WECHAT, openid=openid, object_label=key
                )
                outcome = InboundOutcome.PREFERENCE
                reply = UNSUBSCRIBED_REPLY if choice == ContactPreference.Choice.NONE else RESUBSCRIBED_REPLY
            elif msg_type == "text":
                outcome, place, reply = _text_outcome(text)
                if place is not None:
                    try:
                        matter, _created = matter_create(
                            data=MatterInput(
                                node=place,
                                title=_title(text),
                                description=text,
                                channel=Channel.WECHAT_MP,
                                channel_detail={"wechat_mp": key},
                            ),
                            idempotency_key=f"wxmp:{key}"[:64],
                        )
                    except DomainError as exc:
                        outcome, reply = InboundOutcome.OTHER, f"{exc.message}\n{NEED_PLACE_REPLY}"
                    else:
                        reply = _matter_reply(matter, identity)
            else:
                outcome, reply = InboundOutcome.OTHER, NOT_TEXT_REPLY
            WechatInbound.objects.create(
                msg_key=key,
                identity=identity,
                msg_type=msg_type,
                text=text,
                outcome=outcome,
                matter=matter,
                reply=reply,
            )
    except IntegrityError:
        # The same message arrived twice at once: the first one's reply.
        existing = WechatInbound.objects.filter(msg_key=key).first()
        if existing is None:
            raise
        return existing.reply
    return reply
