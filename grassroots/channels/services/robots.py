"""A village's resident groups (社区微信群) and their WeCom robots. The
webhook key is a secret: stored SM4-encrypted, shown only as its last four
characters, never returned by any page; registering and retiring are
audited. A group without a robot keeps the copy-and-paste relay."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.db import IntegrityError, transaction

from grassroots.core.audit import audit_record
from grassroots.regions.models import Level, Node

from ..errors import ChannelError
from ..models import WecomRobot
from ..permissions import require_robot_manager, require_scope

KEY_PATTERN = re.compile(r"^[A-Za-z0-9-]{16,64}$")


def parse_webhook_key(text: str) -> str:
    """The robot's key from the webhook address WeCom shows
    (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…) or the bare key."""
    text = (text or "").strip()
    if not text:
        raise ChannelError("webhook_required", "请粘贴群机器人的 Webhook 地址。", field="webhook")
    if "://" in text:
        parts = urlsplit(text)
        keys = parse_qs(parts.query).get("key", [])
        if parts.scheme != "https" or not parts.path.endswith("/cgi-bin/webhook/send") or len(keys) != 1:
            raise ChannelError(
                "webhook_invalid",
                "Webhook 地址应为企业微信群机器人的地址(https://…/cgi-bin/webhook/send?key=…)。",
                field="webhook",
            )
        text = keys[0]
    if not KEY_PATTERN.match(text):
        raise ChannelError(
            "webhook_key_invalid", "Webhook 密钥格式不正确,请从群机器人详情中完整复制。", field="webhook"
        )
    return text


def robot_register(*, actor: Any, node: Node, name: str, webhook: str) -> WecomRobot:
    require_robot_manager(actor)
    require_scope(actor, node)
    name = " ".join((name or "").split())
    if not name:
        raise ChannelError("name_required", "请填写群名称。", field="name")
    if len(name) > 50:
        raise ChannelError("name_too_long", "群名称不能超过 50 个字。", field="name")
    if node.level < Level.VILLAGE:
        raise ChannelError("node_too_high", "请选择群所属的村/社区或网格。", field="node")
    key = parse_webhook_key(webhook)
    try:
        with transaction.atomic():
            robot = WecomRobot.objects.create(
                node=node, name=name, webhook_key=key, key_tail=key[-4:], created_by=actor
            )
            audit_record(action="channels.robot_register", actor=actor, obj=robot, detail={"name": name})
    except IntegrityError:
        raise ChannelError("name_taken", "该村/社区已登记同名的群。", field="name") from None
    return robot


def robot_retire(*, actor: Any, robot: WecomRobot) -> WecomRobot:
    """Stop posting to a group (the robot was removed or the key leaked).
    Past posts stay on their publications."""
    require_scope(actor, robot)
    require_robot_manager(actor)
    if not robot.active:
        raise ChannelError("robot_retired", "该群机器人已停用。")
    with transaction.atomic():
        WecomRobot.objects.filter(pk=robot.pk).update(active=False)
        audit_record(action="channels.robot_retire", actor=actor, obj=robot, detail={"name": robot.name})
    robot.active = False
    return robot
