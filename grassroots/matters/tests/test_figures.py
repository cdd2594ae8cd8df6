"""The matter-figures API: every figure equals the work queue's count for
the same node and filter (`matters_visible_to`), per subtree, per child and
per day."""

from __future__ import annotations

import datetime

import pytest

from grassroots.regions.models import Node

from ..models import Matter
from ..selectors import matters_visible_to
from ..selectors.figures import DailyPoint, matter_daily_trend, matter_figures, matter_figures_by_child
from ..services import closing, lifecycle
from ..services.rollup import matter_rollup_backfill
from ..services.rollup_rebuild import matter_rollup_rebuild
from ..states import OPEN_STATES, State
from . import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def clock(monkeypatch):
    return f.freeze(monkeypatch)


@pytest.fixture
def staff(tree, clock):
    return f.make_staff(tree)


def queue_count(user, node, **filters) -> int:
    return matters_visible_to(user=user, node=node, **filters).count()


def assert_agrees_with_queue(figures, user, node) -> None:
    for state in State:
        assert figures.by_state[state.value] == queue_count(user, node, state=state.value), state
    assert figures.open == queue_count(user, node, state=list(OPEN_STATES))
    assert figures.overdue == queue_count(user, node, overdue="late")
    assert figures.late3 == queue_count(user, node, overdue="late3")


def _late(matter: Matter, due: datetime.date, days: int = 5) -> Matter:
    """Set a due date in the past behind the services' back (as time passing
    would), and rebuild the rollup the way an operator would after such an edit."""
    Matter.objects.filter(pk=matter.pk).update(due_date=due, deadline_days=days)
    matter_rollup_rebuild()
    return matter


@pytest.fixture
def world(tree, staff):
    """Matters in every state over both villages; some late, one 3× late
    (today is Mon 30 Nov 2026: a 5-day matter due on or before 16 Nov is 3× late)."""
    va, vb = staff.village_a, staff.village_b
    for state in State:
        f.matter_in_state(state, node=tree.unit_a1, handler=va)
    f.matter_in_state(State.HANDLING, node=tree.grid_a2, handler=va)
    _late(f.matter_in_state(State.HANDLING, node=tree.grid_a2, handler=va), D(2026, 11, 27))
    _late(f.matter_in_state(State.ACCEPTED, node=tree.unit_a1, handler=va), D(2026, 11, 16))
    _late(f.matter_in_state(State.DELIBERATING, node=tree.unit_b1, handler=vb), D(2026, 11, 10), days=3)
    # Late by date but resolved: not overdue.
    _late(f.matter_in_state(State.RESOLVED, node=tree.unit_b1, handler=vb), D(2026, 11, 2))
    f.matter_in_state(State.REPORTED, node=tree.village_b, handler=vb)
    return tree


def test_figures_of_each_node_equal_the_queue(world, staff):
    for node in [world.subdistrict, world.village_a, world.village_b, world.grid_a1, world.grid_a2, world.unit_b1]:
        assert_agrees_with_queue(matter_figures(node=node), staff.street, node)


def test_figures_have_every_state_and_known_totals(world):
    figures = matter_figures(node=world.subdistrict)
    assert set(figures.by_state) == {state.value for state in State}
    assert sum(figures.by_state.values()) == Matter.objects.count()
    assert figures.overdue == 3
    assert figures.late3 == 2
    assert matter_figures(node=world.grid_b1).by_state == dict.fromkeys([s.value for s in State], 0) | {
        "deliberating": 1,
        "resolved": 1,
        "merged": 0,
    }


def test_figures_by_child_one_row_per_child_in_path_order(world, staff):
    rows = matter_figures_by_child(node=world.subdistrict)
    assert [node for node, _ in rows] == [world.village_a, world.village_b]
    for node, figures in rows:
        assert_agrees_with_queue(figures, staff.street, node)
    grids = matter_figures_by_child(node=world.village_a)
    assert [node for node, _ in grids] == [world.grid_a1, world.grid_a2]
    for node, figures in grids:
        assert_agrees_with_queue(figures, staff.street, node)


def test_figures_by_child_include_zeros_and_leave_out_matters_at_the_node(tree, staff):
    f.matter_in_state(State.REPORTED, node=tree.village_b, handler=staff.village_b)
    rows = dict(matter_figures_by_child(node=tree.village_b))
    assert next(iter(rows)) == tree.grid_b1
    children = Node.objects.filter(path__startswith=tree.village_b.path, depth=tree.village_b.depth + 1)
    assert [node.path for node in rows] == sorted(node.path for node in children)
    assert rows[tree.grid_b1].open == 0
    assert sum(rows[tree.grid_b1].by_state.values()) == 0
    assert matter_figures(node=tree.village_b).open == 1
    assert matter_figures_by_child(node=tree.unit_b1) == []


def test_figures_query_counts(world, django_assert_max_num_queries):
    # The node's subtree rows over all due dates and without one, then those
    # due after the window's start (ADR 0047), and the work calendar's
    # overrides for the cutoffs (the year is covered by the package).
    with django_assert_max_num_queries(3):
        matter_figures(node=world.subdistrict)
    # The children, their two reads of subtree rows, the work calendar.
    with django_assert_max_num_queries(5):
        matter_figures_by_child(node=world.subdistrict)
    matter_rollup_backfill(days=[D(2026, 11, 1) + datetime.timedelta(days=i) for i in range(29)])
    # The node's subtree day rows, the recorded days, its two reads of subtree
    # tally rows, the calendar.
    with django_assert_max_num_queries(5):
        matter_daily_trend(node=world.subdistrict, start=D(2026, 11, 1), end=D(2026, 11, 30))


def test_daily_trend_follows_transitions_day_by_day(tree, staff, clock):
    va = staff.village_a
    clock.at(D(2026, 11, 23))  # Monday
    first = f.report(node=tree.unit_a1)
    second = f.report(node=tree.grid_a2)
    lifecycle.matter_accept(actor=va, matter=first, category=f.category(deadline_days=1))
    clock.at(D(2026, 11, 24))
    lifecycle.matter_assign(actor=va, matter=first, assignee=va, plan="更换楼道感应灯。")
    lifecycle.matter_reject(actor=va, matter=second, reason="不属于本平台受理范围。")
    f.report(node=tree.unit_b1)
    clock.at(D(2026, 11, 26))
    lifecycle.matter_resolve(actor=va, matter=first, result="已更换。")
    clock.at(D(2026, 11, 27))
    closing.matter_close(actor=va, matter=first)
    clock.at(D(2026, 11, 30))
    closing.matter_reopen(actor=va, matter=first, reason="灯又坏了。")

    points = matter_daily_trend(node=tree.subdistrict, start=D(2026, 11, 22), end=D(2026, 11, 30))
    assert [p.day for p in points] == [D(2026, 11, 22) + datetime.timedelta(days=i) for i in range(9)]
    by_day = {p.day: p for p in points}
    assert by_day[D(2026, 11, 22)] == DailyPoint(D(2026, 11, 22), 0, 0, 0, 0, 0)
    assert (by_day[D(2026, 11, 23)].created, by_day[D(2026, 11, 23)].open_at_end) == (2, 2)
    assert (by_day[D(2026, 11, 24)].created, by_day[D(2026, 11, 24)].open_at_end) == (1, 2)
    # Due on Tue 24 Nov (1 working day from Mon 23): late from Wed 25 Nov.
    assert by_day[D(2026, 11, 24)].overdue_at_end == 0
    assert by_day[D(2026, 11, 25)].overdue_at_end == 1
    assert by_day[D(2026, 11, 26)].open_at_end == 1  # resolved that day
    assert by_day[D(2026, 11, 26)].overdue_at_end == 0
    assert by_day[D(2026, 11, 27)].closed == 1
    assert sum(p.closed for p in points) == 1
    # Reopened today with a new due date: open again, and today's point equals now.
    now = matter_figures(node=tree.subdistrict)
    today = by_day[D(2026, 11, 30)]
    assert (today.open_at_end, today.overdue_at_end, today.late3_at_end) == (now.open, now.overdue, now.late3)
    assert today.open_at_end == 2
    # A village's trend counts only its subtree.
    village_b = matter_daily_trend(node=tree.village_b, start=D(2026, 11, 24), end=D(2026, 11, 24))
    assert village_b == [DailyPoint(D(2026, 11, 24), 1, 0, 1, 0, 0)]


def test_daily_trend_created_equals_the_queue_by_day(world, staff, clock):
    clock.at(D(2026, 12, 1))
    f.report(node=world.grid_a1)
    points = matter_daily_trend(node=world.subdistrict, start=D(2026, 11, 29), end=D(2026, 12, 1))
    for point in points:
        assert point.created == queue_count(staff.street, world.subdistrict, date_from=point.day, date_to=point.day)
    assert points[-1].open_at_end == matter_figures(node=world.subdistrict).open


def test_daily_trend_late3_at_end_moves_with_the_days(tree, staff, clock):
    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    _late(matter, D(2026, 11, 16))  # 3× late from Mon 30 Nov, not on Fri 27 Nov
    points = matter_daily_trend(node=tree.subdistrict, start=D(2026, 11, 27), end=D(2026, 11, 30))
    assert [p.late3_at_end for p in points] == [0, 0, 0, 1]
    assert points[-1].late3_at_end == queue_count(staff.street, tree.subdistrict, overdue="late3")


def test_daily_trend_empty_range(tree):
    assert matter_daily_trend(node=tree.subdistrict, start=D(2026, 11, 30), end=D(2026, 11, 29)) == []
