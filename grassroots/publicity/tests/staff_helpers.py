"""Builders for the staff-side 晒事 tests: a closed meeting with resolutions
and a closed appraisal session with results, both reached through the
deliberation and evaluation services."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from grassroots.deliberation.models import Meeting
from grassroots.deliberation.services import agenda, meetings, resolutions
from grassroots.deliberation.services.resolutions import VoteInput
from grassroots.deliberation.tests.setup import make_representatives, publish_rules
from grassroots.evaluation.models import AppraisalSession
from grassroots.evaluation.services import ballots, sessions
from grassroots.matters.models import Channel, Matter, ResponsibleUnit, UnitKind
from grassroots.regions.models import Node
from grassroots.testing.factories import SmallTree

from ..models import Publication
from ..services import publication_create

DECISION_ROAD = "同意对村东主路进行硬化,资金从村集体公益金列支,预算 12 万元。"
DECISION_HALL = "暂缓改建文化礼堂,待资金落实后再议。"


def _earlier_today() -> datetime.datetime:
    """Two hours ago, but never before today's local midnight: a meeting may
    not be convened on an earlier day, and from 00:00 to 02:00 local time (16:00
    to 18:00 UTC) two hours ago is yesterday."""
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return max(now - datetime.timedelta(hours=2), midnight)


def closed_meeting(
    actor: Any, village: Node, unit: Node, *, title: str = "十一月村民协商议事会", serial_base: int = 300
) -> Meeting:
    """A consultation meeting of `village` with two resolutions (one passed
    with a responsible unit and due date, one failed), closed."""
    reps = make_representatives(village, unit, 3, serial_base=serial_base)
    if not village.rule_sets.filter(published_at__isnull=False).exists():
        publish_rules(actor, village)
    meeting = meetings.meeting_convene(
        actor=actor,
        node=village,
        data=meetings.MeetingInput(
            kind="consultation",
            title=title,
            starts_at=_earlier_today(),
            place="村委会议室",
        ),
    )
    meetings.meeting_invite(actor=actor, meeting=meeting, representatives=reps)
    meeting = meetings.meeting_open(actor=actor, meeting=meeting)
    for invitation in meeting.invitations.all():
        meetings.attendance_set(actor=actor, invitation=invitation, present=True)
    unit_row, _ = ResponsibleUnit.objects.get_or_create(
        node=village, name=f"{village.label}村委会", defaults={"kind": UnitKind.VILLAGE}
    )
    road = agenda.agenda_add_topic(actor=actor, meeting=meeting, title="村东主路硬化")
    resolutions.resolution_record(
        actor=actor,
        item=road,
        data=VoteInput(
            decision=DECISION_ROAD,
            votes_for=3,
            responsible_unit=unit_row,
            due_date=datetime.date(2027, 3, 31),
        ),
    )
    hall = agenda.agenda_add_topic(actor=actor, meeting=meeting, title="文化礼堂改建")
    resolutions.resolution_record(
        actor=actor, item=hall, data=VoteInput(decision=DECISION_HALL, votes_for=1, votes_against=2)
    )
    return meetings.meeting_close(actor=actor, meeting=meeting, minutes="会议审议两项议题。")


def closed_appraisal(tree: SmallTree, actor: Any, handlers: list[Any], *, voters: int = 6) -> AppraisalSession:
    """Village A's appraisal of October 2026, closed: `handlers[0]` is rated
    on every ballot, `handlers[1]` (if given) on only two (below the
    anonymity threshold of five), plus one collective matter each."""
    month = datetime.date(2026, 10, 1)
    resolved = datetime.datetime(2026, 10, 15, 10, 0, tzinfo=timezone.get_current_timezone())
    for n, handler in enumerate(handlers, start=1):
        Matter.objects.create(
            number=f"M2026{900 + n:05d}",
            tracking_code=f"TC{900 + n:08d}",
            node=tree.grid_a1,
            title=f"集体事项{n}:村道路灯安装",
            description="村道路灯安装",
            channel=Channel.WALK_IN,
            touches_collective=True,
            assignee=handler,
            state="resolved",
            resolved_at=resolved,
        )
    make_representatives(tree.village_a, tree.unit_a1, voters, serial_base=500)
    session, _ = sessions.session_create(village=tree.village_a, month=month, actor=actor)
    session = sessions.session_freeze(session=session, actor=actor)
    codes = ballots.slips_issue(session=session, actor=actor)
    items = list(session.items.all())
    first_staff = next(i for i in items if i.kind == "staff" and i.staff_id == handlers[0].pk)
    other_staff = [i for i in items if i.kind == "staff" and i.staff_id != handlers[0].pk]
    matters = [i for i in items if i.kind == "matter"]
    for n, code in enumerate(codes[:voters]):
        choices = {str(first_staff.pk): "satisfied" if n < 4 else "basic"}
        for item in matters:
            choices[str(item.pk)] = "satisfied" if n % 3 else "unsatisfied"
        if n < 2:
            for item in other_staff:
                choices[str(item.pk)] = "unsatisfied"
        ballots.ballot_cast(session_id=session.pk, code=code, choices=choices)
    return ballots.session_close(session=session, attendance=voters, void_codes=codes[voters:], actor=actor)


def draft_of(actor: Any, matter: Matter, **overrides: Any) -> Publication:
    values: dict[str, Any] = {
        "kind": "plan",
        "title": "关于西张村集体厂房出租的理事方案",
        "content": "厂房按公开招租方式出租,租金收入纳入村集体账户。",
        "channels": ["portal", "wechat"],
    }
    values.update(overrides)
    return publication_create(actor=actor, matter=matter, **values)
