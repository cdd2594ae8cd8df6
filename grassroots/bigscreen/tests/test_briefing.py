"""The monthly briefing's work figures (registered by this app into the
indicator briefing): the PDF holds the lines, from the same queries as the
big screen."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.core.actors import SYSTEM
from grassroots.indicators.services.briefing import briefing_sections
from grassroots.indicators.services.values import values_set
from grassroots.indicators.tests.support import indicator
from grassroots.matters.tests.factories import make_staff, matter_in_state, report
from grassroots.mediation.tests.conftest import build_centre, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def month_data(tree):
    month = timezone.localdate().replace(day=1)
    values_set(actor=SYSTEM, node=tree.subdistrict, month=month, values={indicator(): Decimal("56")})
    return month


def test_the_section_counts_the_month(tree, people, month_data):
    staff = make_staff(tree)
    report(node=tree.grid_a1)
    matter_in_state("closed", node=tree.grid_b1, handler=staff.village_b)
    (section,) = briefing_sections(node=tree.subdistrict, month=month_data)
    lines = {line.label: line for line in section.lines}
    assert lines["受理群众诉求事项"].value == "2 件"
    assert lines["办结关闭事项"].value == "1 件"
    assert lines["月末在办事项"].value == "1 件"
    assert lines["调解矛盾纠纷"].value == "0 件"
    assert "受理群众诉求事项2件" in section.sentence
    # A village's briefing counts only its own matters.
    (village,) = briefing_sections(node=tree.village_b, month=month_data)
    assert {line.label: line for line in village.lines}["受理群众诉求事项"].value == "1 件"


def test_the_pdf_contains_the_work_figures(client, tree, people, month_data):
    make_case(build_centre(tree), node=tree.unit_a1)
    client.force_login(people.street)
    query = f"?node={tree.subdistrict.pk}&month={month_data:%Y-%m}"
    pdf = client.get(reverse("indicators:briefing") + query)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed"
    text = subprocess.run([pdftotext, "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    flat = "".join(text.split())
    for expected in (
        "重点工作情况",
        "规上工业总产值",
        "受理群众诉求事项",
        "调解矛盾纠纷1件",
        "安全检查",
        "标准地址核验",
        "重点项目",
    ):
        assert expected in flat, expected
    word = client.get(reverse("indicators:briefing-word") + query).content.decode()
    assert "重点工作情况" in word and "调解矛盾纠纷" in word
