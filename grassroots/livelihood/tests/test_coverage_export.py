"""The month's coverage per grid and list as an audited Excel export."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.core.audit import Action
from grassroots.core.models import AuditEntry

from ..models import ListKind
from .support import elder, visited

pytestmark = pytest.mark.django_db


def _sheet(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def test_coverage_export_counts_per_grid_and_list(client, tree, people, django_assert_max_num_queries):
    seen = elder(tree.unit_a1, "张桂兰", age=80, phone="13912345678")
    elder(tree.unit_a1, "李秀英", age=80)
    visited(seen, "birthday")
    elder(tree.unit_b1, "赵大爷", age=80)
    client.force_login(people.village_a)
    url = reverse("livelihood:coverage-export")
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200
    rows = _sheet(response)
    header = rows[0]
    assert header[:2] == ("村/社区", "网格")
    by_grid = {(r[0], r[1]): r for r in rows[1:]}
    grid = by_grid[("西张村", tree.grid_a1.label)]
    due_col = header.index(f"{ListKind.BIRTHDAY.label}应走访")
    assert header[due_col + 1 : due_col + 3] == (f"{ListKind.BIRTHDAY.label}已走访", f"{ListKind.BIRTHDAY.label}覆盖率")
    assert grid[due_col] == 2 and grid[due_col + 1] == 1 and grid[due_col + 2] == "50%"
    assert rows[-1][0] == "合计" and not any(r[0] == "店子社区" for r in rows[1:])
    text = str(rows)
    assert "张桂兰" not in text and "13912345678" not in text and seen.id_number not in text
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.detail["grids"] == len(rows) - 2
    # A month with no one due: zeros and dashes, no error; a bad month falls back.
    empty = _sheet(client.get(url, {"month": "2000-01"}))
    assert empty[1][due_col] == 0 and empty[1][due_col + 2] == "—"
    assert client.get(url, {"month": "garbage"}).status_code == 200
    client.force_login(people.grid_a)  # grid workers see coverage, do not export it
    assert client.get(url).status_code == 403
    assert 'data-testid="coverage-export"' not in client.get(reverse("livelihood:index")).content.decode()
