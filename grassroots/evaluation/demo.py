"""Demo appraisal sessions (after the matters demo): for a few villages,
closed sessions for the two months before this one with ballots cast through
the real services, and this month's session in preparation (draft); then the
subdistrict's red/yellow list of the last closed months, published. Choices
are deterministic (seeded); trackers and codes stay truly random. Idempotent."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.core.actors import SYSTEM
from grassroots.core.errors import DomainError
from grassroots.matters.models import Matter
from grassroots.publicity.services import publication_publish
from grassroots.regions.models import Level, Node

from . import ranking
from .board import SCALE
from .models import AppraisalSession
from .services import ballots, sessions
from .states import State


@dataclass
class DemoReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"新建评议 {len(self.created)} 个,已存在或条件不足跳过 {len(self.skipped)} 个。"


# Satisfied / basic / unsatisfied weights by role, so that the demo's
# red/yellow list has people on both lists.
AVERAGE = (6, 3, 1)
PROFILES: dict[str, tuple[int, int, int]] = {
    Role.SUBDISTRICT_STAFF: (9, 1, 0),
    Role.VILLAGE_STAFF: AVERAGE,
    Role.GRID_WORKER: (2, 3, 5),
}


def _close_with_ballots(session: AppraisalSession, rng: random.Random) -> None:
    session = sessions.session_freeze(session=session, actor=SYSTEM)
    codes = ballots.slips_issue(session=session, actor=None)
    roster = session.roster.count()
    voters = max(1, roster - rng.randint(0, min(2, roster - 1))) if roster else 0
    # Each staff member is rated consistently from month to month (so that
    # the red/yellow list has someone on each list); matters in between.
    weights = {
        str(item.pk): PROFILES.get(item.staff.role, AVERAGE) if item.staff else AVERAGE
        for item in session.items.select_related("staff")
    }
    for code in codes[:voters]:
        choices = {item: rng.choices(SCALE, weights=w)[0] for item, w in weights.items()}
        ballots.ballot_cast(session_id=session.pk, code=code, choices=choices)
    ballots.session_close(session=session, attendance=voters, void_codes=codes[voters:], actor=SYSTEM)


def generate_demo_evaluation(*, seed: int = 2023, villages: int = 4) -> DemoReport:
    report = DemoReport()
    rng = random.Random(seed)
    # Late in a month: the two months before were appraised (closed), this
    # month's session is being prepared (draft, items so far).
    open_month = sessions.month_start(timezone.localdate())
    closed_months = [sessions.previous_month(open_month), sessions.previous_month(sessions.previous_month(open_month))]
    # The villages where collective matters were resolved in those months
    # (an appraisal has items only there), most first.
    since = timezone.make_aware(datetime.datetime.combine(closed_months[-1], datetime.time()))
    paths = list(Matter.objects.filter(touches_collective=True, resolved_at__gte=since).values_list("path", flat=True))
    villages_with_people = [v for v in Node.objects.filter(level=Level.VILLAGE) if v.representatives.exists()]
    counts = Counter({v.pk: sum(1 for path in paths if path.startswith(v.path)) for v in villages_with_people})
    # Villages with their own staff accounts first (their people are appraised).
    staffed = set(User.objects.filter(role=Role.VILLAGE_STAFF).values_list("jurisdiction_id", flat=True))
    candidates = sorted(
        villages_with_people, key=lambda v: (not (v.pk in staffed and counts[v.pk]), -counts[v.pk], v.path)
    )[:villages]
    for village in candidates:
        for month in [*closed_months, open_month]:
            session, created = sessions.session_create(village=village, month=month)
            label = str(session)
            if not created or not session.items.exists():
                report.skipped.append(label)
                continue
            if month != open_month and session.state == State.DRAFT:
                _close_with_ballots(session, rng)
            report.created.append(label)
    if report.created:
        _publish_ranking()
    return report


def _publish_ranking() -> None:
    """The red/yellow list of the last closed months. The demo subdistrict
    counts staff with results in at least one of the last three months (its
    appraisals only started recently)."""
    street = User.objects.filter(username="street").select_related("jurisdiction").first()
    subdistrict = street.jurisdiction if street is not None else None
    if street is None or subdistrict is None or subdistrict.level != Level.SUBDISTRICT:
        return
    ranking.rule_save(
        actor=street, subdistrict=subdistrict, months=3, min_months=1, red_min=85, yellow_below=70,
        unsatisfied_share_max=30,
    )  # fmt: skip
    end_month = sessions.previous_month(sessions.month_start(timezone.localdate()))
    try:
        draft = ranking.ranking_publish(actor=street, subdistrict=subdistrict, end_month=end_month)
    except DomainError:
        return  # no closed appraisal in the window: nothing to rank
    publication_publish(actor=street, publication=draft)
