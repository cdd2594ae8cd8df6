"""The statistics page and its Excel export: counts per village and kind,
the rectification rate, overdue hazards, a month filter, scope."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from grassroots.addresses.tests.support import jpeg

from ..models import PremisesKind
from ..selectors import safety_statistics
from ..services import hazards
from .support import inspect, premises_at, raised_hazard

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(tree, people):
    warehouse = premises_at(tree.grid_a1)
    premises_at(tree.grid_b1, kind=PremisesKind.SMALL_SHOP)
    inspection = inspect(warehouse, actor=people.grid_a, fail=2)
    first = hazards.hazard_issue_notice(
        actor=people.grid_a, hazard=raised_hazard(inspection), days=1, today=datetime.date(2026, 11, 2)
    )
    second = hazards.hazard_issue_notice(actor=people.grid_a, hazard=raised_hazard(inspection, n=1), days=5)
    first = hazards.hazard_rectify(actor=people.grid_a, hazard=first, evidence=jpeg())
    hazards.hazard_reinspect(actor=people.grid_a, hazard=first, passed=True)
    return second


def test_counts_rate_and_scope(tree, people, figures):
    today = timezone.localdate()
    stats = safety_statistics(user=people.street, today=today)
    assert (stats.total.premises, stats.total.inspections, stats.total.hazards) == (2, 1, 2)
    assert stats.total.noticed == 2 and stats.total.closed == 1 and stats.total.rate == 50.0
    assert [r.label for r in stats.places] == [tree.village_a.label, tree.village_b.label]
    assert stats.places[0].hazards == 2 and stats.places[1].premises == 1
    late = safety_statistics(user=people.street, today=figures.deadline + datetime.timedelta(days=1))
    assert late.total.overdue == 1
    theirs = safety_statistics(user=people.village_b, today=today)
    assert theirs.total.hazards == 0 and theirs.total.premises == 1
    empty_month = safety_statistics(user=people.street, month=datetime.date(2020, 1, 1), today=today)
    assert empty_month.total.inspections == 0 and empty_month.total.premises == 2


def test_page_and_export(client, people, figures, django_assert_max_num_queries):
    client.force_login(people.village_a)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("safety:statistics"))
    body = page.content.decode()
    assert 'data-testid="total-hazards">2<' in body and "50.0%" in body
    export = client.get(reverse("safety:statistics-export"), {"month": timezone.localdate().strftime("%Y-%m")})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "范围" and any(row[0] == "合计" and row[3] == 2 for row in rows)


def test_trend_and_grids(tree, people, figures):
    today = timezone.localdate()
    this_month = today.replace(day=1)
    stats = safety_statistics(user=people.street, today=today)
    assert len(stats.trend) == 12 and stats.trend[-1].month == this_month
    assert (stats.trend[-1].inspections, stats.trend[-1].hazards, stats.trend[-1].closed) == (1, 2, 1)
    assert sum(row.inspections for row in stats.trend[:-1]) == 0
    village = safety_statistics(user=people.street, node=tree.village_a, today=today)
    assert [r.label for r in village.places] == [tree.grid_a1.label, tree.grid_a2.label]
    assert village.places[0].hazards == 2 and village.total.premises == 1
    assert village.kinds[0].general + village.kinds[0].major == village.kinds[0].hazards == 2
    grid = safety_statistics(user=people.street, node=tree.grid_b1, today=today)
    assert [r.label for r in grid.places] == [tree.grid_b1.label] and grid.total.hazards == 0
    # Premises registered at the village itself get a row of their own.
    premises_at(tree.village_a, name="村委会仓库")
    again = safety_statistics(user=people.street, node=tree.village_a, today=today)
    assert again.places[-1].label.endswith("(未分网格)") and again.places[-1].premises == 1


def test_page_filters_charts_and_bad_filters(client, tree, people, figures, django_assert_max_num_queries):
    client.force_login(people.street)
    month = timezone.localdate().strftime("%Y-%m")
    with django_assert_max_num_queries(15):
        page = client.get(reverse("safety:statistics"), {"month": month, "node": tree.village_a.pk})
    body = page.content.decode()
    assert page.status_code == 200 and 'id="safety-stats-data"' in body and "safety/statistics.js" in body
    chart = page.context["chart"]
    assert len(chart["months"]) == 12 and chart["months"][-1] == month
    assert chart["places"]["labels"] == [tree.grid_a1.label, tree.grid_a2.label]
    assert chart["places"]["rate"][0] == 50.0 and sum(chart["kinds"]["general"]) + sum(chart["kinds"]["major"]) == 2
    assert f"month={month}&amp;node={tree.village_a.pk}" in body
    bad = client.get(reverse("safety:statistics"), {"month": "2026-13", "node": "99999999"})
    text = bad.content.decode()
    assert bad.status_code == 200 and "月份应为 YYYY-MM 格式" in text and "所选村/社区或网格无效" in text
    assert bad.context["stats"].month is None and bad.context["stats"].node is None
    outsider = people.village_b
    client.force_login(outsider)
    theirs = client.get(reverse("safety:statistics"), {"node": tree.village_a.pk})
    assert "所选村/社区或网格无效" in theirs.content.decode() and theirs.context["stats"].total.hazards == 0


def test_page_query_count_does_not_grow(client, tree, people, figures, django_assert_max_num_queries):
    for n in range(5):
        inspect(
            premises_at(tree.grid_b1, name=f"小作坊{n}", kind=PremisesKind.SMALL_WORKSHOP), actor=people.grid_b, fail=1
        )
    client.force_login(people.street)
    with django_assert_max_num_queries(15):
        client.get(reverse("safety:statistics"))
    export = client.get(reverse("safety:statistics-export"), {"node": tree.village_b.pk})
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(values_only=True))
    assert any(row[0] == "合计" and row[2] == 5 for row in rows)
