"""Deterministic demo data for 议事 (run after generate_demo_matters): rules
for every village/community and the subdistrict; about four consultation
meetings / talk days per village in the last two months with attendance,
resolutions and minutes (the newest one upcoming, with the village's
deliberating matters on its agenda); eight weeks of key-village selections
with their joint meetings. Idempotent: does nothing when demo meetings exist."""

from __future__ import annotations

import datetime
import random
import secrets
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.core.errors import DomainError
from grassroots.matters.models import Matter
from grassroots.matters.models import State as MatterState
from grassroots.matters.services.units import responsible_unit_default
from grassroots.regions.models import Level, Node

from . import selectors
from .models import Invitation, Kind, Meeting, RuleSet, WeeklySelection
from .rules import Proposers, Threshold, VoteMethod
from .services import agenda, meetings, resolutions, weekly
from .services.resolutions import VoteInput
from .services.rules import RuleInput, ruleset_create
from .states import State

TOPICS = [
    ("村内主干道路灯维修", "由村委会联系供电所三周内更换损坏路灯,费用从村集体公益资金列支。"),
    ("垃圾分类桶点位调整", "将 3 号楼北侧桶点移至停车场东侧,物业负责清洗。"),
    ("文化广场使用时间", "广场舞活动时间定为 18:30—20:30,音量由志愿者劝导。"),
    ("集体厂房出租方案", "厂房按评估价公开招租,租金收入纳入村集体经济账户并公示。"),
    ("老年食堂运营补贴", "对 70 岁以上老人每餐补贴 3 元,每季度公示补贴名单。"),
    ("雨污分流管网接入", "配合街道完成管网接入,施工期间设置临时通道。"),
    ("停车位划线与收费", "暂不收费,先行划线并试运行三个月后再议。"),
    ("村内河道清淤", "汛期前完成清淤,由网格员巡查并每周报告。"),
]
PLACES = ["村委会议室", "党群服务中心", "新时代文明实践站", "村民活动室"]


@dataclass
class DemoReport:
    created: bool
    message: str = ""
    rules: int = 0
    meetings: int = 0
    resolutions: int = 0
    weeks: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        if not self.created:
            return self.message
        return (
            f"议事演示数据:规则 {self.rules} 份,会议 {self.meetings} 场("
            + ",".join(f"{k} {v}" for k, v in self.by_state.items())
            + f"),决议 {self.resolutions} 项,每周重点村 {self.weeks} 周,用时 {self.seconds:.1f} 秒。"
        )


def _backdate(meeting: Meeting, starts: datetime.datetime) -> Meeting:
    """Demo history: the service refuses to convene in the past (a typo in
    real use), so past meetings are convened now and then moved back."""
    if meeting.starts_at != starts:
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=starts)
        meeting.refresh_from_db()
    return meeting


def _invite_quietly(meeting: Meeting, village: Node, on: datetime.date) -> list[Invitation]:
    """Past meetings: invitations without SMS (they were sent at the time).
    A joint meeting also has its standing staff members."""
    staff = (
        [Invitation.objects.create(meeting=meeting, staff=u) for u in selectors.joint_default_staff(meeting=meeting)]
        if meeting.kind == Kind.JOINT
        else []
    )
    return staff + [
        Invitation.objects.create(
            meeting=meeting, representative=rep, token_hash=selectors.token_digest(secrets.token_urlsafe(16))
        )
        for rep in selectors.representatives_in_term(village=village, on=on)
    ]


def _hold(
    actor: User, meeting: Meeting, rng: random.Random, topics: list[tuple[str, str]], *, matters: list[Matter]
) -> int:
    """Open, check in, vote on every item, close; returns resolutions recorded."""
    meeting = meetings.meeting_open(actor=actor, meeting=meeting)
    invitations = list(meeting.invitations.order_by("pk"))
    share = rng.choice([0.7, 0.8, 0.9, 1.0])
    for inv in invitations[: max(1, round(len(invitations) * share))]:
        meetings.attendance_set(actor=actor, invitation=inv, present=True)
    for title, _plan in topics:
        agenda.agenda_add_topic(actor=actor, meeting=meeting, title=title)
    for matter in matters:
        agenda.agenda_add_matter(actor=actor, meeting=meeting, matter=matter)
    quorum = resolutions.quorum_status(meeting, meeting.invitations.filter(present=True).count())
    count = 0
    plans = dict(topics)
    if quorum["met"]:
        present = quorum["present"]
        for item in meeting.agenda.select_related("matter").order_by("position"):
            votes_for = present - rng.randint(0, max(0, present // 3))
            if rng.random() < 0.15:
                votes_for = present // 3  # an occasional motion fails
            against = rng.randint(0, present - votes_for)
            decision = plans.get(item.title) or f"议定:{item.title}由责任单位限期办理。"
            unit = due = None
            if item.matter is not None and item.matter.category is not None:
                unit = responsible_unit_default(matter=item.matter, category=item.matter.category)
                due = timezone.localdate() + datetime.timedelta(days=rng.randint(5, 20))
            resolutions.resolution_record(
                actor=actor,
                item=item,
                data=VoteInput(
                    decision=decision,
                    votes_for=votes_for,
                    votes_against=against,
                    votes_abstain=present - votes_for - against,
                    responsible_unit=unit,
                    due_date=due,
                ),
            )
            count += 1
    meetings.meeting_close(
        actor=actor,
        meeting=meeting,
        minutes=f"会议应到 {quorum['expected']} 人,实到 {quorum['present']} 人"
        + ("" if quorum["met"] else ",未达法定人数,议题延期审议")
        + "。会议听取了村(居)委会工作情况,对各项议题逐项表决,决议由村(居)委会组织落实并公示。",
    )
    return count


def generate_demo_deliberation(*, seed: int = 2023, subdistrict_code: str = "370303003000") -> DemoReport:
    started = time.perf_counter()
    subdistrict = Node.objects.filter(code=subdistrict_code, level=Level.SUBDISTRICT).first()
    if subdistrict is None:
        raise LookupError(f"未找到区划代码为 {subdistrict_code} 的街道,请先运行 load_hutian。")
    if Meeting.objects.filter(path__startswith=subdistrict.path).exists():
        return DemoReport(created=False, message="已有议事会议数据,未重复生成。")
    actor = User.objects.filter(username="street").first()
    if actor is None:
        raise LookupError("未找到演示用户 street,请先运行 create_demo_users。")
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    report = DemoReport(created=True)
    villages = list(Node.objects.filter(level=Level.VILLAGE, path__startswith=subdistrict.path).order_by("path"))
    with transaction.atomic():
        thresholds = [Threshold.MAJORITY_PRESENT, Threshold.TWO_THIRDS_PRESENT, Threshold.MAJORITY_CAST]
        # Show-of-hands everywhere: the demo records counted tallies.
        for node, threshold in [(subdistrict, Threshold.MAJORITY_PRESENT)] + [
            (v, thresholds[i % 3]) for i, v in enumerate(villages)
        ]:
            if RuleSet.objects.filter(node=node).exists():
                continue
            ruleset_create(
                actor=actor,
                node=node,
                data=RuleInput(
                    title=node.label + ("党政联席会议议事规则" if node.level == Level.SUBDISTRICT else "协商议事规则"),
                    proposers=Proposers.RESIDENTS if node.level == Level.VILLAGE else Proposers.STAFF,
                    quorum_numerator=2,
                    quorum_denominator=3,
                    threshold=threshold,
                    vote_method=VoteMethod.HANDS,
                    effective_from=datetime.date(2024, 1, 1),
                    text="一、议事会由村(居)民代表组成,每月至少召开一次。\n二、到会代表达到应到人数的三分之二方可表决。\n三、决议按本规则规定的通过标准作出,并在公告栏公示。",
                ),
                publish=True,
            )
            report.rules += 1
        for v_index, village in enumerate(villages):
            if not selectors.representatives_in_term(village=village, on=today).exists():
                continue
            for n in range(4):
                upcoming = n == 3
                days_ago = [56, 38, 17, -5][n] + v_index % 4
                starts = timezone.localtime(now - datetime.timedelta(days=days_ago)).replace(
                    hour=19 if n % 2 else 9, minute=0, second=0, microsecond=0
                )
                kind = Kind.TALK_DAY if n == 1 else Kind.CONSULTATION
                meeting = meetings.meeting_convene(
                    actor=actor,
                    node=village,
                    data=meetings.MeetingInput(
                        kind=kind,
                        title=f"{village.label}{timezone.localtime(starts).month}月{Kind(kind).label}",
                        starts_at=max(starts, now),
                        place=PLACES[(v_index + n) % len(PLACES)],
                    ),
                )
                meeting = _backdate(meeting, starts)
                _invite_quietly(meeting, village, timezone.localtime(starts).date())
                if upcoming:
                    for matter in Matter.objects.filter(
                        path__startswith=village.path, state=MatterState.DELIBERATING
                    ).order_by("pk")[:3]:
                        try:
                            agenda.agenda_add_matter(actor=actor, meeting=meeting, matter=matter)
                        except DomainError:
                            continue
                    agenda.agenda_add_topic(actor=actor, meeting=meeting, title=TOPICS[(v_index + n) % len(TOPICS)][0])
                else:
                    topics = [TOPICS[(v_index * 2 + n + k) % len(TOPICS)] for k in range(2)]
                    report.resolutions += _hold(actor, meeting, rng, topics, matters=[])
                    closed = starts + datetime.timedelta(hours=2)
                    Meeting.objects.filter(pk=meeting.pk).update(
                        created_at=starts - datetime.timedelta(days=7), opened_at=starts, closed_at=closed
                    )
                report.meetings += 1
        monday = weekly.week_monday(today)
        for w in range(8, 0, -1):
            week = monday - datetime.timedelta(days=7 * w)
            selection = weekly.weekly_propose(subdistrict=subdistrict, week_start=week)
            if selection.status == selection.Status.CONFIRMED:
                continue
            chosen = list(selection.proposed.all())
            note = ""
            if w == 3 and len(villages) > 3:
                chosen = [chosen[0], villages[3] if villages[3] not in chosen else villages[4]]
                note = "该村雨污分流施工矛盾集中,调整为本周重点村。"
            selection = weekly.weekly_confirm(actor=actor, selection=selection, villages=chosen, note=note)
            for village in chosen:
                starts = timezone.make_aware(
                    datetime.datetime.combine(week + datetime.timedelta(days=2), datetime.time(9, 0))
                )
                meeting = meetings.meeting_convene(
                    actor=actor,
                    node=subdistrict,
                    host_village=village,
                    selection=selection,
                    data=meetings.MeetingInput(
                        kind=Kind.JOINT,
                        title=f"{week:%Y年%m月%d日}当周党政联席会议({village.label})",
                        starts_at=max(starts, now),
                        place=f"{village.label}村委会",
                    ),
                )
                meeting = _backdate(meeting, starts)
                _invite_quietly(meeting, village, week)
                topics = [TOPICS[(w + k + village.pk) % len(TOPICS)] for k in range(2)]
                report.resolutions += _hold(actor, meeting, rng, topics, matters=[])
                Meeting.objects.filter(pk=meeting.pk).update(
                    opened_at=starts, closed_at=starts + datetime.timedelta(hours=2)
                )
                report.meetings += 1
            WeeklySelection.objects.filter(pk=selection.pk).update(
                confirmed_at=timezone.make_aware(datetime.datetime.combine(week, datetime.time(8, 30)))
            )
            report.weeks += 1
        weekly.weekly_propose(subdistrict=subdistrict)
    report.by_state = {
        str(label): Meeting.objects.filter(path__startswith=subdistrict.path, state=value).count()
        for value, label in State.choices
    }
    report.seconds = time.perf_counter() - started
    return report
