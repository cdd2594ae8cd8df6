"""The drill-down pages (ADR 0046): the rows behind a batch's, a village's and
a worker's figure, with that group's own count, signed and rate from one
aggregate (which also serves the paginator), a page read in index order, and
a statement count that does not grow with the rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..states import State
from .support import advance_to, unit_at

pytestmark = pytest.mark.django_db
# Session, user, the user's node, project, the aggregate, the page of rows,
# the unread notifications and the test transaction's savepoints: the same
# for 3 rows or 40.
MAX_QUERIES = 10


@pytest.fixture
def spread(tree, project, people):
    units = [unit_at(project, tree.village_a, f"D-{n:02d}", worker=people.worker_a) for n in range(40)]
    units += [unit_at(project, tree.village_b, f"E-{n:02d}", worker=people.worker_b, batch=2) for n in range(3)]
    for unit in units[:10] + units[40:41]:
        advance_to(unit, State.SIGNED)
    return units


@pytest.mark.parametrize(
    ("key", "total", "signed", "rate"),
    [("batch", 40, 10, "25.00%"), ("village", 3, 1, "33.33%"), ("worker", 40, 10, "25.00%")],
)
def test_each_drill_down_counts_in_one_aggregate(
    client, project, people, spread, key, total, signed, rate, django_assert_max_num_queries
):
    value = {
        "batch": project.batches.get(number=1).pk,
        "village": spread[40].village_id,
        "worker": people.worker_a.pk,
    }[key]
    client.force_login(people.office)
    url = reverse("relocation:units", args=[project.pk])
    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get(url, {key: value})
    html = page.content.decode()
    assert f"共 {total} 户" in html
    assert f'data-testid="count-signed">{signed}<' in html and f'data-testid="count-rate">{rate}<' in html
    assert html.count('data-testid="unit-row"') == min(total, 30)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, {key: value, "page": 2})
    sqls = [q["sql"] for q in queries.captured_queries]
    counting = [sql for sql in sqls if "COUNT(" in sql.upper() and "relocation_unit" in sql]
    assert len(counting) == 1, counting  # the paginator reuses the aggregate


def test_rows_come_in_batch_then_number_order(client, project, people, spread):
    client.force_login(people.office)
    html = client.get(reverse("relocation:units", args=[project.pk])).content.decode()
    assert html.index("D-00") < html.index("D-01") < html.index("D-29")
    last = client.get(reverse("relocation:units", args=[project.pk]), {"page": 2}).content.decode()
    assert last.index("D-39") < last.index("E-00")


def test_a_village_user_sees_only_their_villages_figures(client, project, people, spread):
    client.force_login(people.worker_b)
    html = client.get(reverse("relocation:units", args=[project.pk]), {"signed": "1"}).content.decode()
    assert "共 1 户" in html and "D-00" not in html
