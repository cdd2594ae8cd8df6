"""The dashboard's selectors: which node, which panels for which role, and
every figure equal to the count of the list it clicks through to."""

from __future__ import annotations

import pytest
from django.http import Http404

from grassroots.addresses.selectors import addresses_visible_to
from grassroots.matters.models import Matter
from grassroots.matters.selectors import matters_visible_to
from grassroots.matters.states import OPEN_STATES, State
from grassroots.mediation.selectors import QueueFilters, case_queue

from ..errors import DashboardError
from ..selectors import dashboard_for, dashboard_node, node_ancestors

pytestmark = pytest.mark.django_db


def test_own_node_and_nodes_below_it(tree, people):
    assert dashboard_node(user=people.street) == tree.subdistrict
    assert dashboard_node(user=people.grid_a1) == tree.grid_a1
    assert dashboard_node(user=people.street, pk=tree.village_a.pk) == tree.village_a
    assert dashboard_node(user=people.village_a, pk=tree.grid_a2.pk) == tree.grid_a2
    assert dashboard_node(user=people.window) is None
    assert node_ancestors(user=people.street, node=tree.grid_a1) == [tree.subdistrict, tree.village_a]
    assert node_ancestors(user=people.village_a, node=tree.grid_a1) == [tree.village_a]


@pytest.mark.parametrize(
    ("who", "where"), [("village_a", "village_b"), ("village_a", "subdistrict"), ("grid_a1", "grid_a2")]
)
def test_a_node_outside_the_subtree_is_404(tree, people, who, where):
    with pytest.raises(Http404):
        dashboard_node(user=getattr(people, who), pk=getattr(tree, where).pk)


def test_buildings_have_no_dashboard(tree, people):
    with pytest.raises(Http404):
        dashboard_node(user=people.street, pk=tree.unit_a1.pk)


def test_panels_follow_the_role(tree, people, world):
    def panels(user, node=None):
        return dashboard_for(user=user, node=node or dashboard_node(user=user)).panels

    assert panels(people.street) == [
        "matters", "key_villages", "mediation", "safety", "addresses", "relocation", "care", "indicators"
    ]  # fmt: skip
    assert panels(people.village_a) == [
        "matters", "key_villages", "safety", "addresses", "relocation", "care", "indicators"
    ]  # fmt: skip
    assert panels(people.grid_a1) == ["matters", "safety", "addresses", "care"]
    assert panels(people.window) == ["registration"]
    # A grid's dashboard opened by the subdistrict has no grid-less panels either.
    assert "indicators" not in panels(people.street, tree.grid_a1)


def test_unknown_trend_span_is_refused(people):
    with pytest.raises(DashboardError) as error:
        dashboard_for(user=people.street, node=dashboard_node(user=people.street), days=7)
    assert "30" in error.value.message


def test_matter_figures_equal_the_queue(tree, people, world):
    for user, node in [
        (people.street, tree.subdistrict),
        (people.street, tree.village_a),
        (people.grid_a1, tree.grid_a1),
    ]:
        panel = dashboard_for(user=user, node=node).matters
        assert panel is not None
        filters = {"node": node} if node != tree.subdistrict else {}
        assert panel.figures.open == matters_visible_to(user=user, state=sorted(OPEN_STATES), **filters).count()
        assert panel.figures.overdue == matters_visible_to(user=user, overdue="late", **filters).count()
        assert panel.figures.late3 == matters_visible_to(user=user, overdue="late3", **filters).count()
        for state in State:
            assert panel.figures.by_state[state] == matters_visible_to(user=user, state=state, **filters).count()
    subdistrict = dashboard_for(user=people.street, node=tree.subdistrict).matters
    assert subdistrict is not None
    assert (subdistrict.figures.open, subdistrict.figures.overdue, subdistrict.figures.late3) == (6, 3, 1)
    rows = {child.pk: figures for child, figures in subdistrict.children}
    assert [child for child, _ in subdistrict.children] == [tree.village_a, tree.village_b]
    assert (rows[tree.village_a.pk].open, rows[tree.village_a.pk].overdue, rows[tree.village_a.pk].late3) == (4, 2, 1)
    assert (rows[tree.village_b.pk].open, rows[tree.village_b.pk].overdue) == (2, 1)
    village = dashboard_for(user=people.village_a, node=tree.village_a).matters
    assert village is not None
    assert [child for child, _ in village.children] == [tree.grid_a1, tree.grid_a2]
    grid = dashboard_for(user=people.grid_a1, node=tree.grid_a1).matters
    assert grid is not None and grid.children == []


def test_trend_spans_the_days_asked_for(tree, people, world):
    node = tree.subdistrict
    for days in (30, 90):
        panel = dashboard_for(user=people.street, node=node, days=days).matters
        assert panel is not None
        assert len(panel.trend) == days
        assert panel.trend[-1].open_at_end == panel.figures.open
        assert sum(p.created for p in panel.trend) == Matter.objects.count() == 7


def test_mediation_by_source_equals_the_centre_queue(tree, people, world):
    for node, village in [(tree.subdistrict, None), (tree.village_a, tree.village_a)]:
        panel = dashboard_for(user=people.street, node=node).mediation
        assert panel is not None
        for row in panel.rows:
            queue = case_queue(user=people.street, filters=QueueFilters(source=row.key, village=village))
            assert row.total == queue.count()
            active = case_queue(
                user=people.street, filters=QueueFilters(source=row.key, village=village, state="active")
            )
            assert row.active == active.count()
    village = dashboard_for(user=people.street, node=tree.village_a).mediation
    assert village is not None
    totals = {r.key: r.total for r in village.rows}
    assert totals["police"] == 1 and totals["petition"] == 1 and totals["court"] == 0


def test_other_panels(tree, people, world):
    board = dashboard_for(user=people.street, node=tree.subdistrict)
    assert board.addresses is not None
    assert (board.addresses.total, board.addresses.verified) == (3, 1)
    assert board.addresses.total == addresses_visible_to(user=people.street).count()
    assert board.safety is not None
    assert (board.safety.total.inspections, board.safety.total.hazards) == (1, 1)
    assert board.relocation is not None
    [row] = board.relocation.rows
    assert (row.total, row.signed, str(row.rate)) == (2, 1, "50.00")
    assert board.care is not None
    alone = next(c for c in board.care.cells if c.kind == "living_alone")
    assert (alone.visited, alone.due, alone.percent) == (1, 1, 100)
    assert board.indicators is not None
    assert board.indicators.month is not None and board.indicators.month.isoformat() == "2026-09-01"
    [first] = board.indicators.rows
    assert first.cumulative == 56 and first.yoy is not None and float(first.yoy) == pytest.approx(12.0)
    # Village B's dashboard: none of village A's rows.
    village_b = dashboard_for(user=people.village_b, node=tree.village_b)
    assert village_b.addresses is not None and (village_b.addresses.total, village_b.addresses.verified) == (1, 0)
    assert village_b.safety is not None and village_b.safety.total.hazards == 0
    assert village_b.relocation is not None and village_b.relocation.rows == []
