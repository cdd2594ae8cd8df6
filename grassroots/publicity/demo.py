"""Demo publications (晒事), after the matters, deliberation and evaluation
demos: the resolutions of recent closed meetings, the results of closed
appraisal sessions, current plan and
result notices in the demo users' villages (so that the portal, the LED
boards and the feeds have something to show today), one draft, one notice
withdrawn with a reason and one objection from a resident. Everything goes
through the services; the sources come through the publication-source
protocol (ADR 0033). The subdistrict's red/yellow list is published by the
evaluation demo, which computes it. Idempotent: does nothing when demo
notices exist."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.core.errors import DomainError
from grassroots.regions.models import Node

from . import services
from .models import Kind, Objection, Publication, State
from .registry import PublicationSource, source_for

DEMO_MARK = "demo"  # Publication.data["demo"] marks the rows this module made
CHANNELS = ["portal", "notice", "led", "wechat"]
RECENT_MEETINGS_PER_NODE = 2


@dataclass
class DemoReport:
    created: bool
    message: str = ""
    resolutions: int = 0
    appraisals: int = 0
    current: int = 0
    ranking: int = 0
    objections: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        if not self.created:
            return self.message
        counts = {row["state"]: row["n"] for row in _state_counts()}
        states = ",".join(f"{State(str(k)).label} {v}" for k, v in counts.items())
        return (
            f"晒事演示数据:议事决议公示 {self.resolutions} 条,评议结果公示 {self.appraisals} 条,"
            f"评事考评排行 {self.ranking} 条,当前理事公示 {self.current} 条,异议 {self.objections} 件;"
            f"全部公示 {states};用时 {self.seconds:.1f} 秒。"
        )


def _state_counts() -> list[dict[str, object]]:
    return list(Publication.objects.values("state").annotate(n=Count("id")).order_by("state"))


def _mark(publication: Publication) -> Publication:
    Publication.objects.filter(pk=publication.pk).update(data={**publication.data, DEMO_MARK: True})
    publication.refresh_from_db()
    return publication


def _publisher_for(node: Node, users: dict[str, User]) -> User:
    village = users["village"]
    if village.jurisdiction is not None and node.path.startswith(village.jurisdiction.path):
        return village
    return users["street"]


def _source(kind: str) -> PublicationSource:
    source = source_for(kind)
    assert source is not None, f"no publication source for {kind}"
    return source


def _publish_meetings(users: dict[str, User], report: DemoReport) -> None:
    """The latest closed meetings with resolutions of each convening unit:
    published on the day after the meeting for five working days."""
    seen: dict[int, int] = {}
    demo_nodes = {u.jurisdiction_id for u in users.values() if u.username in ("village", "community")}
    source = _source(Kind.RESOLUTION)
    for meeting in source.candidates():
        if seen.get(meeting.node_id, 0) >= RECENT_MEETINGS_PER_NODE:
            continue
        seen[meeting.node_id] = seen.get(meeting.node_id, 0) + 1
        title, content = source.draft(Kind.RESOLUTION, meeting)
        assert meeting.closed_at is not None
        start = timezone.localdate(meeting.closed_at)
        if seen[meeting.node_id] == 1 and meeting.node_id in demo_nodes:
            # The demo users' villages posted their latest resolutions late: up today.
            start = max(start, timezone.localdate() - datetime.timedelta(days=1))
        publication = services.publication_create(
            actor=_publisher_for(meeting.node, users),
            kind=Kind.RESOLUTION,
            meeting=meeting,
            title=title,
            content=content,
            channels=CHANNELS,
            starts_on=start,
            publish=True,
        )
        _mark(publication)
        report.resolutions += 1


def _publish_appraisals(users: dict[str, User], report: DemoReport) -> None:
    source = _source(Kind.APPRAISAL)
    for session in source.candidates():
        title, content = source.draft(Kind.APPRAISAL, session)
        assert session.closed_at is not None
        publication = services.publication_create(
            actor=users["street"],
            kind=Kind.APPRAISAL,
            appraisal=session,
            title=title,
            content=content,
            channels=CHANNELS,
            starts_on=timezone.localdate(session.closed_at),
            publish=True,
        )
        _mark(publication)
        report.appraisals += 1


def _current_matter_notices(users: dict[str, User], report: DemoReport) -> list[Publication]:
    """Plans of handling collective matters and results of resolved ones in
    the demo users' villages that have no notice up today: published now."""
    made = []
    today = timezone.localdate()
    source = _source(Kind.PLAN)
    for username in ("village", "community"):
        user = users.get(username)
        if user is None or user.jurisdiction is None:
            continue
        matters = source.candidates().filter(path__startswith=user.jurisdiction.path, touches_collective=True)[:4]
        for matter in matters:
            # A result once the matter is resolved, else its plan.
            kind = Kind.RESULT if source.refusal(Kind.RESULT, matter) is None else Kind.PLAN
            text = source.draft(kind, matter)[1]
            if not text.strip() or matter.publications.filter(kind=kind, ends_on__gte=today).exists():
                continue
            try:
                publication = services.publication_create(
                    actor=user,
                    kind=kind,
                    matter=matter,
                    title=f"关于“{matter.title}”的{kind.label}公示"[:100],
                    content=text,
                    channels=CHANNELS,
                    publish=True,
                )
            except DomainError:
                continue
            made.append(_mark(publication))
            report.current += 1
    return made


def _draft_and_withdrawn(users: dict[str, User], current: list[Publication]) -> None:
    source = _source(Kind.RESOLUTION)
    meeting = source.candidates().filter(publications__isnull=True).first()
    if meeting is not None:
        title, content = source.draft(Kind.RESOLUTION, meeting)
        _mark(
            services.publication_create(
                actor=_publisher_for(meeting.node, users),
                kind=Kind.RESOLUTION,
                meeting=meeting,
                title=title,
                content=content,
                channels=CHANNELS,
            )
        )
    # A resolution notice with a wrong tally: withdrawn with the reason, and
    # the corrected one published in its place.
    mistaken = (
        Publication.objects.filter(kind=Kind.RESOLUTION, state=State.PUBLISHED, data__has_key=DEMO_MARK)
        .select_related("meeting", "node")
        .order_by("-starts_on", "-pk")
        .first()
    )
    if mistaken is not None and mistaken.meeting is not None:
        actor = _publisher_for(mistaken.node, users)
        services.publication_withdraw(
            actor=actor, publication=mistaken, reason="表决票数录入有误,已核对会议记录,更正后重新公示。"
        )
        title, content = source.draft(Kind.RESOLUTION, mistaken.meeting)
        _mark(
            services.publication_create(
                actor=actor,
                kind=Kind.RESOLUTION,
                meeting=mistaken.meeting,
                title=title,
                content=content,
                channels=CHANNELS,
                publish=True,
            )
        )


def _objection(current: list[Publication], report: DemoReport) -> None:
    current = [p for p in current if p.matter_id] or list(
        Publication.objects.filter(state=State.PUBLISHED, data__has_key=DEMO_MARK).order_by("-pk")
    )
    open_ones = [p for p in current if p.state == State.PUBLISHED and services.objection_open(p)]
    if not open_ones:
        return
    services.objection_file(
        publication=open_ones[0],
        data=services.ObjectionInput(
            text="公示的方案中没有写明费用由谁承担,请补充说明并在群里答复。",
            phone="13900001234",
            name="陈先生",
        ),
        idempotency_key="publicity-demo-objection-1",
    )
    report.objections += 1


def generate_demo_publicity() -> DemoReport:
    if Publication.objects.filter(data__has_key=DEMO_MARK).exists():
        return DemoReport(created=False, message="晒事演示数据已存在,未重复生成。")
    users = {u.username: u for u in User.objects.filter(username__in=["village", "community", "street"])}
    if "street" not in users:
        return DemoReport(created=False, message="缺少演示账号 street,请先运行 create_demo_users。")
    started = time.monotonic()
    report = DemoReport(created=True)
    _publish_meetings(users, report)
    _publish_appraisals(users, report)
    current = _current_matter_notices(users, report)
    _draft_and_withdrawn(users, current)
    _objection(current, report)
    services.publications_end_due()
    report.ranking = Publication.objects.filter(kind=Kind.RANKING).exclude(state=State.DRAFT).count()
    report.seconds = time.monotonic() - started
    assert Objection.objects.count() >= report.objections
    return report
