"""Demo data of the WeChat channels: the resident groups of 西张村 and
店子社区 with their robots (demo keys; the default backend records posts
without sending), two residents' messages to the official account turned
into matters through the same service the callback calls, and a published
notice pushed to 西张村's groups. Safe to run again."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.core.errors import DomainError
from grassroots.publicity.models import Publication
from grassroots.publicity.models import State as PublicationState
from grassroots.regions.models import Level, Node

from .models import ChannelPost, WecomRobot
from .services.inbound import inbound_handle
from .services.posts import publication_push, robots_for
from .services.robots import robot_register

GROUPS = [
    ("西张村", "西张村邻里互助群", "5a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d"),
    ("西张村", "西张村老年协会群", "6b2e3d4c-5f6a-4b7c-9d8e-0f1a2b3c4d5e"),
    ("店子社区", "店子社区居民群", "7c3f4e5d-6a7b-4c8d-8e9f-1a2b3c4d5e6f"),
]
MESSAGES = [
    ("oDemoResident00000000000001", "8800000000000000001", "西张村 3号楼东侧路灯坏了一周,晚上出门很不方便"),
    ("oDemoResident00000000000002", "8800000000000000002", "店子社区 便民市场门口的垃圾桶满了,天热气味很大"),
]


@dataclass
class DemoReport:
    created: bool
    message: str = ""
    robots: int = 0
    matters: int = 0
    posts: int = 0

    def summary(self) -> str:
        if not self.created:
            return self.message
        return f"微信渠道演示数据:群机器人 {self.robots} 个,公众号来信事项 {self.matters} 件,公示推送 {self.posts} 条。"


def _village(subdistrict: Node, name: str) -> Node | None:
    return Node.objects.filter(path__startswith=subdistrict.path, level=Level.VILLAGE, short_name=name).first()


def generate_demo_channels(*, subdistrict_code: str) -> DemoReport:
    subdistrict = Node.objects.filter(code=subdistrict_code, level=Level.SUBDISTRICT).first()
    if subdistrict is None:
        raise DomainError("demo_no_subdistrict", f"没有找到代码为 {subdistrict_code} 的街道,请先运行 load_hutian。")
    if WecomRobot.objects.filter(path__startswith=subdistrict.path).exists():
        return DemoReport(created=False, message="已有微信群机器人,未重复生成微信渠道演示数据。")
    report = DemoReport(created=True)
    with transaction.atomic():
        for village_name, group, key in GROUPS:
            village = _village(subdistrict, village_name)
            staff = User.objects.filter(role=Role.VILLAGE_STAFF, jurisdiction=village, is_active=True).first()
            if village is None or staff is None:
                continue
            robot_register(actor=staff, node=village, name=group, webhook=key)
            report.robots += 1
        for openid, msg_id, text in MESSAGES:
            inbound_handle(
                message={
                    "ToUserName": "gh_demo_account",
                    "FromUserName": openid,
                    "CreateTime": "1700000000",
                    "MsgType": "text",
                    "Content": text,
                    "MsgId": msg_id,
                }
            )
            report.matters += 1
        village = _village(subdistrict, "西张村")
        staff = User.objects.filter(role=Role.VILLAGE_STAFF, jurisdiction=village, is_active=True).first()
        publication = (
            Publication.objects.filter(path__startswith=village.path, state=PublicationState.PUBLISHED)
            .order_by("-published_at", "-pk")
            .first()
            if village is not None
            else None
        )
        if publication is not None and staff is not None:
            robots = [robot.pk for robot in robots_for(actor=staff, publication=publication)]
            if robots:
                report.posts = len(
                    publication_push(actor=staff, publication=publication, robot_ids=robots, to_account=False)
                )
    report.posts = report.posts or ChannelPost.objects.filter(path__startswith=subdistrict.path).count()
    return report
