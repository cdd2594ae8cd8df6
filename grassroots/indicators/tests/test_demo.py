"""The demo ledgers: the seed's September 2023 year-to-date figures, with
last year's months so that year-on-year computes; idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.testing.factories import UserFactory

from ..demo import DEMO_MONTH, generate_demo_indicators
from ..models import Ledger
from ..selectors import indicator_table
from ..states import State
from ..views.briefing import _sentence

pytestmark = pytest.mark.django_db


def test_demo_on_the_small_tree(tree):
    report = generate_demo_indicators(subdistrict_code=tree.subdistrict.code)
    assert report.created and Ledger.objects.count() == report.ledgers == 21
    assert Ledger.objects.get(month=DEMO_MONTH).state == State.REVIEWED
    assert Ledger.objects.filter(state=State.LOCKED).count() == 20
    rows = {row.indicator.name: row for row in indicator_table(node=tree.subdistrict, month=DEMO_MONTH)}
    shown = {name: row.show["cumulative"] for name, row in rows.items()}
    assert shown == {
        "规上工业总产值": "56",
        "限上批发业销售额": "42",
        "限上零售业销售额": "9",
        "限上住宿业营业额": "1810",
        "限上餐饮业营业额": "1510",
        "规上服务业营业收入": "9.7",
        "固定资产投资": "38",
    }
    assert rows["规上工业总产值"].show["yoy"] == "+8.3%"
    assert rows["固定资产投资"].show["yoy"] == "-3.5%"
    assert all(row.mom is not None for row in rows.values())
    assert not generate_demo_indicators(subdistrict_code=tree.subdistrict.code).created


def test_briefing_of_the_demo_month(tree, client):
    """The briefing's sentence and table come from the ledger (the PDF renders them)."""
    generate_demo_indicators(subdistrict_code=tree.subdistrict.code)
    rows = indicator_table(node=tree.subdistrict, month=DEMO_MONTH)
    sentence = _sentence(rows)
    assert "规上工业总产值累计完成56亿元,同比增长8.3%" in sentence
    assert "限上住宿业营业额累计完成1810万元" in sentence
    assert "固定资产投资累计完成38亿元,同比下降3.5%" in sentence
    html = render_to_string(
        "indicators/briefing_pdf.html",
        {"node": tree.subdistrict, "month": DEMO_MONTH, "rows": rows, "sentence": sentence, "locked": False},
    )
    assert "2023年1—9月" in html and "9.7" in html and "+8.3%" in html
    client.force_login(UserFactory(username="brief", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict))
    pdf = client.get(reverse("indicators:briefing") + f"?node={tree.subdistrict.pk}&month=2023-09")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_command(tree):
    out = io.StringIO()
    call_command("generate_demo_indicators", "--subdistrict", tree.subdistrict.code, stdout=out)
    assert "月报 21 份" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("generate_demo_indicators", "--subdistrict", "000000000000", stdout=out)
