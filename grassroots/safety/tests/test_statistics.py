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
    with django_assert_max_num_queries(12):
        page = client.get(reverse("safety:statistics"))
    body = page.content.decode()
    assert 'data-testid="total-hazards">2<' in body and "50.0%" in body
    export = client.get(reverse("safety:statistics-export"), {"month": timezone.localdate().strftime("%Y-%m")})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "范围" and any(row[0] == "合计" and row[3] == 2 for row in rows)
