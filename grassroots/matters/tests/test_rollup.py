"""The rollup (ADR 0047) stays equal to a scan of the matters after every
kind of write, and the figures read from it equal the scan's figures."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.core.errors import DomainError

from ..models import ANY_DUE_DATE, Matter, MatterDay, MatterSnapshotDay, MatterTally
from ..selectors.figures import (
    matter_daily_trend,
    matter_daily_trend_scan,
    matter_figures,
    matter_figures_by_child,
    matter_figures_by_child_scan,
    matter_figures_scan,
)
from ..services import closing, deliberation, escalation, lifecycle
from ..services.feedback import matter_reopen_request
from ..services.rollup import matter_rollup_backfill, matter_rollup_nightly
from ..services.rollup_rebuild import matter_rollup_differences, matter_rollup_rebuild
from ..states import State
from . import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def clock(monkeypatch):
    return f.freeze(monkeypatch)


@pytest.fixture
def staff(tree, clock):
    return f.make_staff(tree)


def assert_rollup_equals_scan(tree) -> None:
    assert matter_rollup_differences() == []
    for node in (tree.subdistrict, tree.village_a, tree.village_b, tree.grid_a1):
        assert matter_figures(node=node) == matter_figures_scan(node=node)
    assert matter_figures_by_child(node=tree.subdistrict) == matter_figures_by_child_scan(node=tree.subdistrict)
    assert matter_figures_by_child(node=tree.village_a) == matter_figures_by_child_scan(node=tree.village_a)


def test_each_transition_keeps_the_rollup_equal_to_the_scan(tree, staff, clock):
    va, street = staff.village_a, staff.street
    matter = f.report(node=tree.unit_a1)
    assert_rollup_equals_scan(tree)
    lifecycle.matter_accept(actor=va, matter=matter, category=f.category())
    assert_rollup_equals_scan(tree)
    lifecycle.matter_assign(actor=va, matter=matter, assignee=va, plan="更换楼道感应灯。")
    assert_rollup_equals_scan(tree)
    lifecycle.matter_assign(actor=va, matter=matter, assignee=staff.grid_a1, plan="网格员跟进。")  # reassign
    assert_rollup_equals_scan(tree)
    clock.advance(days=9)  # late now, without any write
    assert matter_figures(node=tree.subdistrict).overdue == 1
    escalation.matter_escalate(matter=matter, reason="久拖未办。", actor=va)
    assert_rollup_equals_scan(tree)
    deliberation.matter_deliberation_start(actor=va, matter=matter)
    assert_rollup_equals_scan(tree)
    assert matter.responsible_unit is not None
    deliberation.matter_deliberation_decide(
        actor=va,
        matter=matter,
        responsible_unit=matter.responsible_unit,
        assignee=va,
        due_date=clock.today + datetime.timedelta(days=7),
        plan="议定由村委会统一更换。",
    )
    assert_rollup_equals_scan(tree)
    assert matter_figures(node=tree.subdistrict).overdue == 0
    lifecycle.matter_resolve(actor=va, matter=matter, result="已更换。")
    assert_rollup_equals_scan(tree)
    matter_reopen_request(matter=matter, reason="灯还是不亮。")  # no state change yet
    assert_rollup_equals_scan(tree)
    other = f.matter_in_state(State.RESOLVED, node=tree.grid_a2, handler=va)
    closing.matter_close(actor=va, matter=other)
    assert_rollup_equals_scan(tree)
    closing.matter_reopen(actor=va, matter=other, reason="问题复发。")
    assert_rollup_equals_scan(tree)
    first = f.report(node=tree.unit_b1)
    second = f.report(node=tree.unit_b1, phone=f.OTHER_PHONE)
    lifecycle.matter_merge(actor=staff.village_b, matter=second, into=first)
    assert_rollup_equals_scan(tree)
    lifecycle.matter_reject(actor=street, matter=first, reason="不属于本平台受理范围。")
    assert_rollup_equals_scan(tree)
    assert MatterTally.objects.exists()
    closed = MatterDay.objects.filter(closed__gt=0)
    assert list(closed.filter(subtree=False).values_list("node_id", flat=True)) == [tree.grid_a2.pk]
    ancestors = {node.pk for node in tree.grid_a2.get_ancestors()} | {tree.grid_a2.pk}
    assert set(closed.filter(subtree=True).values_list("node_id", flat=True)) == ancestors


def test_a_transition_adds_at_most_two_statements(tree, staff, django_assert_max_num_queries):
    """The rollup's cost on writes: one upsert of the tally, one of the day row."""
    va = staff.village_a
    matter = f.matter_in_state(State.ACCEPTED, node=tree.unit_a1, handler=va)
    with CaptureQueriesContext(connection) as captured:
        lifecycle.matter_assign(actor=va, matter=matter, assignee=va, plan="更换楼道感应灯。")
    rollup_statements = [
        q
        for q in captured.captured_queries
        if "matters_matter" in q["sql"] and ("matters_mattertally" in q["sql"] or "matters_matterday" in q["sql"])
    ]
    assert len(rollup_statements) == 1  # assign: accepted -> handling keeps the day row untouched
    with CaptureQueriesContext(connection) as captured:
        lifecycle.matter_resolve(actor=va, matter=matter, result="已更换。")
    rollup_statements = [q for q in captured.captured_queries if "mattertally" in q["sql"] or "matterday" in q["sql"]]
    assert len(rollup_statements) == 2


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["report", "accept", "assign", "resolve", "close", "reopen", "reject", "merge", "wait"]),
            st.integers(min_value=0, max_value=5),
        ),
        min_size=1,
        max_size=14,
    )
)
def test_random_histories_keep_rollup_and_trend_equal_to_the_scan(tree, staff, clock, steps):
    start = clock.today
    va = staff.village_a
    nodes = [tree.unit_a1, tree.grid_a2, tree.village_a]
    for action, pick in steps:
        matters = list(Matter.objects.order_by("pk"))
        matter = matters[pick % len(matters)] if matters else None
        try:
            if action == "report" or matter is None:
                f.report(node=nodes[pick % len(nodes)], phone=f"1380013{8000 + len(matters):04d}")
            elif action == "accept" and matter.state == State.REPORTED:
                lifecycle.matter_accept(actor=va, matter=matter, category=f.category(deadline_days=1 + pick % 3))
            elif action == "assign" and matter.state == State.ACCEPTED:
                lifecycle.matter_assign(actor=va, matter=matter, assignee=va, plan="处理。")
            elif action == "resolve" and matter.state == State.HANDLING:
                lifecycle.matter_resolve(actor=va, matter=matter, result="已办结。")
            elif action == "close" and matter.state == State.RESOLVED:
                closing.matter_close(actor=va, matter=matter)
            elif action == "reopen" and matter.state == State.CLOSED:
                closing.matter_reopen(actor=va, matter=matter, reason="问题复发。")
            elif action == "reject" and matter.state == State.REPORTED:
                lifecycle.matter_reject(actor=va, matter=matter, reason="不属于受理范围。")
            elif action == "merge" and matter.state == State.REPORTED:
                into = next((m for m in matters if m.pk != matter.pk and m.state == State.REPORTED), None)
                if into is not None:
                    lifecycle.matter_merge(actor=va, matter=matter, into=into)
            elif action == "wait":
                matter_rollup_nightly(today=clock.today + datetime.timedelta(days=1))
                clock.advance(days=1)
        except DomainError:  # a refusal (e.g. the calendar): nothing written, the rollup included
            pass
    assert matter_rollup_differences() == []
    assert matter_figures(node=tree.subdistrict) == matter_figures_scan(node=tree.subdistrict)
    end = clock.today
    for node in (tree.subdistrict, tree.village_a, tree.grid_a2):
        trend = matter_daily_trend(node=node, start=start - datetime.timedelta(days=1), end=end)
        assert trend == matter_daily_trend_scan(node=node, start=start - datetime.timedelta(days=1), end=end)
    # Hypothesis reuses the function-scoped database: start the next example empty.
    # (Merges can chain, and a merged matter must keep its target: delete from
    # the matters nobody was merged into, one layer at a time.)
    while Matter.objects.exists():
        targets = Matter.objects.filter(merged_into__isnull=False).values("merged_into")
        Matter.objects.exclude(pk__in=targets).delete()
    for model in (MatterTally, MatterDay, MatterSnapshotDay):
        model.objects.all().delete()
    clock.at(start)


def test_rebuild_restores_a_lost_rollup_and_the_check_finds_drift(tree, staff, clock):
    for state in State:
        f.matter_in_state(state, node=tree.unit_a1, handler=staff.village_a)
    expected = matter_figures(node=tree.subdistrict)
    MatterTally.objects.filter(state=State.HANDLING).update(total=7)
    assert any("handling" in line for line in matter_rollup_differences())
    with pytest.raises(CommandError, match="不一致"):
        call_command("matters_rollup", "--check")
    call_command("matters_rollup", "--rebuild", "--history-days", "3", "--check")
    assert matter_rollup_differences() == []
    assert matter_figures(node=tree.subdistrict) == expected
    assert MatterSnapshotDay.objects.count() == 3
    with pytest.raises(CommandError, match="请指定"):
        call_command("matters_rollup")


def test_each_ancestor_keeps_a_subtree_row_and_the_check_finds_its_drift(tree, staff, clock):
    """A transition adds to the node's own row and to the subtree row of the
    node and every ancestor (one statement); the figures read only those."""
    matter = f.matter_in_state(State.ACCEPTED, node=tree.unit_a1, handler=staff.village_a)
    lifecycle.matter_assign(actor=staff.village_a, matter=matter, assignee=staff.village_a, plan="更换楼道感应灯。")
    handling = MatterTally.objects.filter(state=State.HANDLING, total=1)
    assert set(handling.filter(subtree=False).values_list("node_id", flat=True)) == {tree.unit_a1.pk}
    ancestors = {node.pk for node in tree.unit_a1.get_ancestors()} | {tree.unit_a1.pk}
    assert set(handling.filter(subtree=True).values_list("node_id", flat=True)) == ancestors
    assert not MatterTally.objects.filter(state=State.ACCEPTED).exclude(total=0).exists()
    assert_rollup_equals_scan(tree)
    MatterTally.objects.filter(subtree=True, node=tree.village_a, state=State.HANDLING).update(total=5)
    assert matter_figures(node=tree.village_a).by_state[State.HANDLING] == 5  # the read is that one row
    assert any(line.startswith("subtree") for line in matter_rollup_differences())
    matter_rollup_rebuild()
    assert_rollup_equals_scan(tree)


def test_the_migration_derives_the_subtree_rows_from_the_own_rows(tree, staff, clock):
    from django.apps import apps

    migration = importlib.import_module("grassroots.matters.migrations.0012_matter_tally_per_ancestor")
    later = importlib.import_module("grassroots.matters.migrations.0013_matter_day_per_ancestor")
    for state in State:
        f.matter_in_state(state, node=tree.unit_a1, handler=staff.village_a)
        f.matter_in_state(state, node=tree.grid_b1, handler=staff.village_b)
    kept = set(MatterTally.objects.filter(subtree=True).values_list("node_id", "state", "due_date", "total"))
    MatterTally.objects.filter(subtree=True).update(total=0)
    migration.add_subtree_rows(apps, None)
    later.add_rows_over_all_due_dates(apps, None)
    assert set(MatterTally.objects.filter(subtree=True).values_list("node_id", "state", "due_date", "total")) == kept
    assert_rollup_equals_scan(tree)
    migration.remove_subtree_rows(apps, None)
    assert not MatterTally.objects.filter(subtree=True).exists()


def test_day_rows_per_ancestor_the_trend_reads_one_row_per_day_and_the_check_finds_drift(tree, staff, clock):
    """A creation and a transition add to the node's own day row and to the
    subtree day row of the node and every ancestor, in one statement each; the
    nightly job writes the late counts of both; the trend reads the subtree
    rows of the node asked about."""
    matter = f.report(node=tree.unit_a1)
    rows = MatterDay.objects.filter(day=clock.today, created=1)
    ancestors = {node.pk for node in tree.unit_a1.get_ancestors()} | {tree.unit_a1.pk}
    assert set(rows.filter(subtree=True).values_list("node_id", flat=True)) == ancestors
    assert list(rows.filter(subtree=False).values_list("node_id", flat=True)) == [tree.unit_a1.pk]
    with CaptureQueriesContext(connection) as captured:
        lifecycle.matter_reject(actor=staff.village_a, matter=matter, reason="不属于受理范围。")
    assert len([q for q in captured.captured_queries if "matters_matterday" in q["sql"]]) == 1
    assert MatterDay.objects.get(node=tree.subdistrict, subtree=True, day=clock.today).exited == 1
    late = f.matter_in_state(State.HANDLING, node=tree.grid_b1, handler=staff.village_b)
    Matter.objects.filter(pk=late.pk).update(due_date=clock.today - datetime.timedelta(days=20), deadline_days=2)
    matter_rollup_rebuild()
    matter_rollup_nightly(today=clock.today + datetime.timedelta(days=1))
    for node in (tree.grid_b1, tree.village_b, tree.subdistrict):
        row = MatterDay.objects.get(node=node, subtree=True, day=clock.today)
        assert (row.overdue, row.late3) == (1, 1)
    assert not MatterDay.objects.filter(node=tree.village_a, subtree=True, day=clock.today).exclude(overdue=0).exists()
    assert_rollup_equals_scan(tree)
    start, end = clock.today - datetime.timedelta(days=2), clock.today + datetime.timedelta(days=1)
    with CaptureQueriesContext(connection) as captured:
        trend = matter_daily_trend(node=tree.subdistrict, start=start, end=end)
    assert trend == matter_daily_trend_scan(node=tree.subdistrict, start=start, end=end)
    day_reads = [q["sql"] for q in captured.captured_queries if "matters_matterday" in q["sql"]]
    assert len(day_reads) == 1 and "GROUP BY" not in day_reads[0]
    MatterDay.objects.filter(node=tree.village_b, subtree=True, day=clock.today).update(created=9)
    assert any(line.startswith("day* ") for line in matter_rollup_differences())
    MatterDay.objects.filter(node=tree.village_b, subtree=True, day=clock.today).update(late3=0)
    assert any(line.startswith("late* ") for line in matter_rollup_differences())
    matter_rollup_rebuild(history_days=1)
    assert matter_rollup_differences() == []


def test_migration_0013_derives_the_subtree_day_rows_from_the_own_rows(tree, staff, clock, monkeypatch):
    from django.apps import apps

    migration = importlib.import_module("grassroots.matters.migrations.0013_matter_day_per_ancestor")
    for state in State:
        f.matter_in_state(state, node=tree.unit_a1, handler=staff.village_a)
        f.matter_in_state(state, node=tree.grid_b1, handler=staff.village_b)
    matter_rollup_nightly(today=clock.today + datetime.timedelta(days=1))
    columns = ("node_id", "day", "created", "closed", "entered", "exited", "overdue", "late3")
    kept = set(MatterDay.objects.filter(subtree=True).values_list(*columns))
    assert kept
    MatterDay.objects.filter(subtree=True).update(created=0, entered=0)
    monkeypatch.setattr(migration, "CHUNK", 2)  # several chunks on a small tree
    migration.add_subtree_days(apps, None)
    assert set(MatterDay.objects.filter(subtree=True).values_list(*columns)) == kept
    assert_rollup_equals_scan(tree)
    migration.remove_subtree_days(apps, None)
    assert not MatterDay.objects.filter(subtree=True).exists()
    over_all = MatterTally.objects.filter(subtree=True, due_date=ANY_DUE_DATE)
    kept_tally = set(over_all.values_list("node_id", "state", "deadline_days", "total"))
    assert {node for node, *_rest in kept_tally} == {tree.subdistrict.pk, tree.village_a.pk, tree.village_b.pk} | {
        node.pk for node in (tree.unit_a1, tree.grid_b1, *tree.unit_a1.get_ancestors())
    }
    over_all.update(total=0)
    migration.add_rows_over_all_due_dates(apps, None)
    assert set(over_all.values_list("node_id", "state", "deadline_days", "total")) == kept_tally
    migration.remove_rows_over_all_due_dates(apps, None)
    assert not over_all.exists()


def test_nightly_snapshot_records_the_day_and_the_trend_reads_it(tree, staff, clock):
    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    Matter.objects.filter(pk=matter.pk).update(due_date=D(2026, 11, 16), deadline_days=5)
    matter_rollup_rebuild()
    clock.at(D(2026, 12, 1), hour=0)
    assert matter_rollup_nightly() >= 1
    assert MatterSnapshotDay.objects.filter(day=D(2026, 11, 30)).exists()
    row = MatterDay.objects.get(node=tree.unit_a1, subtree=False, day=D(2026, 11, 30))
    assert (row.overdue, row.late3) == (1, 1)
    # Recorded days agree with the timelines' scan.
    assert matter_rollup_backfill(days=[D(2026, 11, 30)]) == 0
    trend = matter_daily_trend(node=tree.subdistrict, start=D(2026, 11, 22), end=D(2026, 12, 1))
    assert trend == matter_daily_trend_scan(node=tree.subdistrict, start=D(2026, 11, 22), end=D(2026, 12, 1))
    assert trend[-2].late3_at_end == 1
