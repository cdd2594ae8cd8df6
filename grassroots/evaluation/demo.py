"""Demo appraisal sessions (after the matters demo): for a few villages,
closed sessions for two earlier months with ballots cast through the real
services, and an open (draft) session for the month just ended. Choices are
deterministic (seeded); trackers and codes stay truly random. Idempotent."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.utils import timezone

from grassroots.regions.models import Level, Node

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


def _close_with_ballots(session: AppraisalSession, rng: random.Random) -> None:
    session = sessions.session_freeze(session=session, actor=None)
    codes = ballots.slips_issue(session=session, actor=None)
    roster = session.roster.count()
    voters = max(1, roster - rng.randint(0, min(2, roster - 1))) if roster else 0
    item_ids = [str(pk) for pk in session.items.values_list("pk", flat=True)]
    weights = (6, 3, 1)
    for code in codes[:voters]:
        choices = {item: rng.choices(SCALE, weights=weights)[0] for item in item_ids}
        ballots.ballot_cast(session_id=session.pk, code=code, choices=choices)
    ballots.session_close(session=session, attendance=voters, void_codes=codes[voters:], actor=None)


def generate_demo_evaluation(*, seed: int = 2023, villages: int = 4) -> DemoReport:
    report = DemoReport()
    rng = random.Random(seed)
    this_month = sessions.month_start(timezone.localdate())
    open_month = sessions.previous_month(this_month)
    closed_months = [sessions.previous_month(open_month), sessions.previous_month(sessions.previous_month(open_month))]
    candidates = [v for v in Node.objects.filter(level=Level.VILLAGE).order_by("path") if v.representatives.exists()][
        :villages
    ]
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
    return report
