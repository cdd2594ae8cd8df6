"""The staff pages: coverage and lists with pinned query counts, the PDF
and the masked, audited export, visits and their bad input."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.core.audit import Action
from grassroots.core.models import AuditEntry

from ..models import CareVisit
from .support import elder, visited

pytestmark = pytest.mark.django_db


def test_index_and_list_queries_do_not_grow(client, tree, people, django_assert_max_num_queries):
    for n in range(25):
        visited(elder(tree.unit_a1, f"老人{n}", age=70 + n), "birthday")
    client.force_login(people.street)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("livelihood:index")).content.decode()
    assert "1 / 25" not in page and "25 / 25" in page
    with django_assert_max_num_queries(12):
        page = client.get(reverse("livelihood:list", args=[tree.grid_a1.pk, "birthday"])).content.decode()
    assert page.count('data-testid="person"') == 25


def test_empty_list_month_and_unknown_list(client, tree, people):
    client.force_login(people.grid_a)
    url = reverse("livelihood:list", args=[tree.grid_a1.pk, "birthday"])
    page = client.get(url, {"month": "2026-02"}).content.decode()
    assert 'data-testid="empty"' in page and "2026年2月" in page
    assert client.get(url, {"month": "garbage"}).status_code == 200
    assert client.get(reverse("livelihood:list", args=[tree.grid_a1.pk, "nope"])).status_code == 404
    assert client.get(reverse("livelihood:list", args=[tree.grid_b1.pk, "birthday"])).status_code == 404


def test_export_is_masked_and_audited(client, tree, people):
    resident = elder(tree.unit_a1, age=80, phone="13912345678")
    client.force_login(people.village_a)
    response = client.get(reverse("livelihood:list-export", args=[tree.grid_a1.pk, "birthday"]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][3] == "身份证号(脱敏)" and rows[1][0] == resident.name
    text = str(rows)
    assert resident.id_number not in text and "13912345678" not in text and "139****5678" in text
    assert AuditEntry.objects.filter(action=Action.EXPORT).count() == 1
    client.force_login(people.grid_a)  # grid workers may see, not export
    assert client.get(reverse("livelihood:list-export", args=[tree.grid_a1.pk, "birthday"])).status_code == 403


def test_print_is_a_pdf(client, tree, people):
    elder(tree.unit_a1, age=80)
    client.force_login(people.grid_a)
    response = client.get(reverse("livelihood:list-print", args=[tree.grid_a1.pk, "birthday"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_visit_bad_input_keeps_what_was_typed(client, tree, people):
    resident = elder(tree.unit_a1, age=80)
    client.force_login(people.grid_a)
    url = reverse("livelihood:visit-new", args=[resident.pk, "birthday"])
    response = client.post(url, {"kind": "birthday", "visited_on": "2000-01-01", "note": "送了蛋糕"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "送了蛋糕" in page and "走访日期不能早于" in page
    response = client.post(url, {"kind": "birthday", "visited_on": "", "opinion": "想要"})
    assert response.status_code == 400 and "请填写日期" in response.content.decode()
    assert client.get(reverse("livelihood:visit-new", args=[resident.pk, "nope"])).status_code == 404
    assert CareVisit.objects.count() == 0
    client.force_login(people.grid_b)
    assert client.get(url).status_code == 404


def test_visit_list_and_detail(client, tree, people, django_assert_max_num_queries):
    for n in range(12):
        visited(elder(tree.unit_a1, f"老人{n}", age=80), "birthday", opinion="想要扶手")
    client.force_login(people.grid_a)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("livelihood:visits")).content.decode()
    assert page.count('data-testid="visit-row"') == 12
    visit = CareVisit.objects.order_by("pk")[0]
    page = client.get(reverse("livelihood:visit", args=[visit.pk])).content.decode()
    assert "转为说事事项" in page
    empty = client.post(reverse("livelihood:visit-matter", args=[visit.pk]), {"title": "长" * 101})
    assert empty.status_code == 400 and "事项标题太长了" in empty.content.decode()
