"""The figures: signing rates per project, batch, village and worker with
the stated rounding, yesterday's change from the stage dates, the curve."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ..models import Unit
from ..selectors import progress
from ..states import State
from .support import advance_to, unit_at

pytestmark = pytest.mark.django_db


def test_rate_rounds_half_up_to_two_decimals():
    assert progress.rate(11650, 11698) == Decimal("99.59")
    assert progress.rate(289, 365) == Decimal("79.18")
    assert progress.rate(1, 8) == Decimal("12.50")
    assert progress.rate(1, 200000) == Decimal("0.00")
    assert progress.rate(0, 0) is None


def test_summary_groups_and_yesterday(tree, project, people, django_assert_max_num_queries):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    earlier = today - datetime.timedelta(days=5)
    a1 = unit_at(project, tree.village_a, "A-1", worker=people.worker_a)
    a2 = unit_at(project, tree.village_a, "A-2", worker=people.worker_a, batch=2)
    unit_at(project, tree.village_a, "A-3")
    b1 = unit_at(project, tree.village_b, "B-1", worker=people.worker_b)
    advance_to(a1, State.SIGNED, on=earlier)
    advance_to(a2, State.ASSESSED, on=yesterday)
    advance_to(a2, State.SIGNED, on=today)
    advance_to(b1, State.CONFIRMED, on=today)
    units = progress.project_units(user=people.office, project=project)
    with django_assert_max_num_queries(1):
        summary = progress.summary(units, day=today)
    assert (summary.total, summary.signed, summary.signed_yesterday) == (4, 2, 1)
    assert summary.rate == Decimal("50.00") and summary.rate_yesterday == Decimal("25.00")
    confirmed = next(s for s in summary.stages if s.state == State.CONFIRMED)
    assert (confirmed.today, confirmed.yesterday, confirmed.change) == (3, 2, 1)
    # One grouped query each, and the groups' names (no join in the aggregate).
    with django_assert_max_num_queries(6):
        batches, villages, workers = progress.by_batch(units), progress.by_village(units), progress.by_worker(units)
    assert [(r.label, r.total, r.signed) for r in batches] == [("第一批次", 3, 1), ("第二批次", 1, 1)]
    assert {r.key: (r.total, r.signed) for r in villages} == {tree.village_a.pk: (3, 2), tree.village_b.pk: (1, 0)}
    assert {r.label: r.signed for r in workers} == {"rel_worker_a": 2, "rel_worker_b": 0, "未分配": 0}
    with django_assert_max_num_queries(4):
        figures = progress.breakdown(units, day=today)
    assert figures.summary == summary
    assert (figures.batches, figures.villages, figures.workers) == (batches, villages, workers)
    assert progress.signing_curve(units) == {"days": [earlier.isoformat(), today.isoformat()], "signed": [1, 2]}
    # A village's staff see their village's slice of the same project.
    mine = progress.summary(progress.project_units(user=people.worker_a, project=project), day=today)
    assert (mine.total, mine.signed) == (3, 2)
    assert Unit.objects.count() == 4


def test_dashboard_is_recomputed_after_every_change(tree, project, people, django_assert_max_num_queries):
    today = timezone.localdate()
    unit = unit_at(project, tree.village_a, "C-1")
    unit_at(project, tree.village_a, "C-2")
    first = progress.dashboard(user=people.office, project=project, day=today)
    assert (first.figures.summary.total, first.figures.summary.signed) == (2, 0)
    with django_assert_max_num_queries(1):  # nothing changed: the key lookup only
        again = progress.dashboard(user=people.office, project=project, day=today)
    assert again == first
    advance_to(unit, State.SIGNED)
    after = progress.dashboard(user=people.office, project=project, day=today)
    assert after.figures.summary.signed == 1 and after.curve["signed"] == [1]
    # Another user's scope has its own entry.
    assert progress.dashboard(user=people.worker_b, project=project, day=today).figures.summary.total == 0
