"""The relocation pages: the projects with their rates, the dashboard and
its drill-down, a unit's stages, handover and reveal, the worker's phone
page, the imports, and the daily report (PDF and Excel parsed)."""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.core.models import AuditEntry

from ..models import Unit
from ..states import State
from .support import PHONE, advance_to, unit_at
from .test_imports import STAGE_HEADERS, UNIT_HEADERS, unit_line, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(tree, project, people):
    units = [unit_at(project, tree.village_a, f"M-{n:02d}", worker=people.worker_a) for n in range(8)]
    for unit in units[:5]:
        advance_to(unit, State.SIGNED)
    return units


def test_projects_and_dashboard(client, project, many, people, django_assert_max_num_queries):
    client.force_login(people.office)
    listed = client.get(reverse("relocation:projects"))
    assert "签约 5 / 8 户" in listed.content.decode() and "62.50%" in listed.content.decode()
    # 15: the figures (cached by last change), the batches with their targets, the page furniture.
    with django_assert_max_num_queries(15):
        page = client.get(reverse("relocation:project", args=[project.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "62.50%" in html and 'id="signing-data"' in html
    assert "四舍五入" in html and PHONE not in html


def test_drill_down_rows_and_query_count(client, project, many, people, django_assert_max_num_queries):
    client.force_login(people.office)
    url = reverse("relocation:units", args=[project.pk])
    with django_assert_max_num_queries(10):
        page = client.get(url, {"signed": "1", "village": many[0].village_id})
    html = page.content.decode()
    assert "共 5 户" in html and "张**" in html and "张三丰" not in html
    bad = client.get(url, {"village": "abc", "state": "nope"})
    assert bad.status_code == 200 and "共 8 户" in bad.content.decode()


def test_a_stage_from_the_unit_page(client, unit, people):
    client.force_login(people.worker_a)
    page = client.get(reverse("relocation:unit", args=[unit.pk])).content.decode()
    assert "信息确认" in page and "138****5678" in page and PHONE not in page
    done = client.post(reverse("relocation:unit-confirm", args=[unit.pk]), {"note": "入户核实"})
    assert done.status_code == 302
    assert Unit.objects.get(pk=unit.pk).state == State.CONFIRMED
    missing = client.post(reverse("relocation:unit-assess", args=[unit.pk]), {"note": "缺金额"})
    assert missing.status_code == 400 and "请填写评估金额" in missing.content.decode()
    wrong = client.post(reverse("relocation:unit-sign", args=[unit.pk]), {"amount": "5"})
    assert wrong.status_code == 409 and Unit.objects.get(pk=unit.pk).state == State.CONFIRMED


def test_handover_page_and_reveal(client, unit, people):
    client.force_login(people.worker_a)
    short = client.post(reverse("relocation:unit-handover", args=[unit.pk]), {"reason": "短"})
    assert short.status_code == 400 and "至少 10 个字" in short.content.decode()
    client.post(reverse("relocation:unit-handover", args=[unit.pk]), {"reason": "户主对评估结果有异议,申请调解。"})
    page = client.get(reverse("relocation:unit", args=[unit.pk])).content.decode()
    assert "已转交一站式矛盾纠纷调解中心" in page and "待受理" in page
    revealed = client.post(reverse("relocation:unit-reveal", args=[unit.pk]), {"reason": "电话约谈"})
    assert PHONE in revealed.content.decode()
    client.force_login(people.office)
    refused = client.post(reverse("relocation:unit-reveal", args=[unit.pk]), {"reason": "核对"})
    assert refused.status_code == 403 and PHONE not in refused.content.decode()
    assert AuditEntry.objects.filter(action="data.reveal", result="denied").count() == 1


def test_mine_moves_a_unit_and_comes_back(client, unit, people, django_assert_max_num_queries):
    client.force_login(people.worker_a)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("relocation:mine"))
    assert "A-001" in page.content.decode()
    done = client.post(reverse("relocation:unit-confirm", args=[unit.pk]), {"next": "mine"})
    assert done.status_code == 302 and done["Location"].startswith(reverse("relocation:mine"))


def test_daily_report_pdf_and_excel(client, project, many, people):
    client.force_login(people.office)
    pdf = client.get(reverse("relocation:report-pdf", args=[project.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed"
    text = subprocess.run([pdftotext, "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "62.50%" in text and "征迁进度日报" in text
    sheet = client.get(reverse("relocation:report-xlsx", args=[project.pk]))
    book: Any = load_workbook(io.BytesIO(sheet.content)).active
    rows = list(book.iter_rows(values_only=True))
    assert rows[0][0] == "类别" and rows[1][2:4] == (8, 5) and str(rows[1][4]) == "62.50"
    assert AuditEntry.objects.filter(action="data.export").count() == 2


def test_stage_import_page_lists_line_errors(client, tree, project, people):
    unit_at(project, tree.village_a, "S-1")
    client.force_login(people.office)
    url = reverse("relocation:import-stages", args=[project.pk])
    upload = xlsx(STAGE_HEADERS, [["S-1", "签约", "", "1", ""]])
    upload.name = "stages.xlsx"
    page = client.post(url, {"file": upload})
    assert page.status_code == 400 and "第 2 行" in page.content.decode()
    assert Unit.objects.get(number="S-1").state == State.PENDING


def test_units_import_page(client, tree, project, people):
    client.force_login(people.office)
    url = reverse("relocation:import-units", args=[project.pk])
    assert client.get(url).status_code == 200
    garbage = io.BytesIO(b"not excel")
    garbage.name = "units.xlsx"
    refused = client.post(url, {"file": garbage})
    assert refused.status_code == 400 and "无法读取该文件" in refused.content.decode()
    upload = xlsx(UNIT_HEADERS, [unit_line("P-1"), unit_line("P-2")])
    upload.name = "units.xlsx"
    done = client.post(url, {"file": upload})
    assert done.status_code == 302 and Unit.objects.filter(project=project).count() == 2
    client.force_login(people.worker_a)
    assert client.get(url).status_code == 403
