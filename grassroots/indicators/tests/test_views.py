"""The indicator pages: the month's table (query count pinned), entry with
Chinese errors and nothing lost, correction after locking, import, history,
trend, export and the briefing PDF."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from grassroots.core.actors import SYSTEM

from ..models import Ledger, Value
from ..selectors import indicator_table
from ..services.values import values_set
from ..services.workflow import ledger_transition
from ..states import Action, State
from .support import FIRST, MONTH, indicator, ledger_at
from .xlsx import workbook

pytestmark = pytest.mark.django_db
TABLE = reverse("indicators:table")


def _q(tree, month="2023-09", node=None):
    return f"?node={(node or tree.subdistrict).pk}&month={month}"


def _year(tree, year, amounts):
    for m, amount in enumerate(amounts, start=1):
        values_set(
            actor=SYSTEM, node=tree.subdistrict, month=datetime.date(year, m, 1), values={indicator(): Decimal(amount)}
        )


def test_the_table_computes_in_two_queries(
    tree, people, client, django_assert_num_queries, django_assert_max_num_queries
):
    _year(tree, 2022, ["5", "10", "16", "22", "28", "34", "40", "46", "50"])
    _year(tree, 2023, ["6", "12", "18", "25", "31", "38", "44", "50", "56"])
    with django_assert_num_queries(2):
        rows = indicator_table(node=tree.subdistrict, month=MONTH)
    first = rows[0]
    assert first.indicator.name == FIRST
    assert first.cumulative == Decimal("56") and first.monthly == Decimal("6")
    assert first.yoy == Decimal("12.0")  # 56 against 50
    assert first.mom == Decimal("0.0")  # 6 against 6
    assert rows[1].value is None and rows[1].show["yoy"] == "—"
    client.force_login(people.station)
    with django_assert_max_num_queries(14):
        response = client.get(TABLE + _q(tree))
    body = response.content.decode()
    assert response.status_code == 200
    assert "+12.0%" in body and "56" in body and "填报中" in body


def test_entry_keeps_input_on_errors_and_saves(tree, people, client):
    client.force_login(people.station)
    url = reverse("indicators:enter") + _q(tree)
    first, second = indicator(), indicator("固定资产投资")
    response = client.post(url, {f"i{first.pk}": "五十六", f"i{second.pk}": "38"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "应为数字" in body and 'value="五十六"' in body and 'value="38"' in body
    assert not Ledger.objects.exists()
    response = client.post(url, {})
    assert response.status_code == 400 and "请至少填写一个指标值" in response.content.decode()
    response = client.post(url, {f"i{first.pk}": "56", f"i{second.pk}": "38"})
    assert response.status_code == 302
    assert Value.objects.get(indicator=second).value == 38
    response = client.post(url, {f"i{first.pk}": "", f"i{second.pk}": "39"})
    assert response.status_code == 400 and "不能清空" in response.content.decode()


def test_review_lock_and_a_correction_that_asks_for_a_reason(tree, people, client):
    ledger = ledger_at(tree.subdistrict)
    client.force_login(people.reviewer)
    assert client.post(reverse("indicators:ledger-review", args=[ledger.pk])).status_code == 302
    assert client.post(reverse("indicators:ledger-lock", args=[ledger.pk])).status_code == 302
    assert Ledger.objects.get(pk=ledger.pk).state == State.LOCKED
    client.force_login(people.station)
    url = reverse("indicators:enter") + _q(tree)
    page = client.get(url).content.decode()
    assert "更正原因" in page and "已锁定" in page
    response = client.post(url, {f"i{indicator().pk}": "57"})
    assert response.status_code == 400 and "须填写原因" in response.content.decode()
    assert Value.objects.get().value == 56
    assert client.post(url, {f"i{indicator().pk}": "57", "reason": "统计局反馈"}).status_code == 302
    value = Value.objects.get()
    history = client.get(reverse("indicators:value", args=[value.pk])).content.decode()
    assert "锁定后更正" in history and "统计局反馈" in history


def test_second_person_rule_on_the_page(tree, people, client):
    ledger = values_set(actor=people.station, node=tree.subdistrict, month=MONTH, values={indicator(): Decimal(1)})
    client.force_login(people.station)
    response = client.post(reverse("indicators:ledger-review", args=[ledger.pk]), follow=True)
    assert "另一人" in response.content.decode()
    assert Ledger.objects.get(pk=ledger.pk).state == State.DRAFT


def test_import_page_lists_lines(tree, people, client):
    client.force_login(people.station)
    url = reverse("indicators:import")
    assert client.get(url).status_code == 200
    bad = workbook([[tree.subdistrict.code, "", "2023-09", "没有这个指标", "", "1"]])
    response = client.post(url, {"file": bad})
    assert response.status_code == 400 and "第 2 行" in response.content.decode()
    good = workbook([[tree.subdistrict.code, "", "2023-09", FIRST, "亿元", "56"]])
    assert client.post(url, {"file": good}).status_code == 302
    assert Value.objects.get().value == 56


def test_trend_export_and_briefing(tree, people, client):
    _year(tree, 2022, ["5", "10", "16", "22", "28", "34", "40", "46", "50"])
    _year(tree, 2023, ["6", "12", "18", "25", "31", "38", "44", "50", "56"])
    client.force_login(people.station)
    trend = client.get(reverse("indicators:trend", args=[indicator().pk]) + _q(tree))
    body = trend.content.decode()
    assert trend.status_code == 200 and 'id="trend-data"' in body and "indicators/trend.js" in body and "+12.0%" in body
    export = client.get(reverse("indicators:export") + _q(tree))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    pdf = client.get(reverse("indicators:briefing") + _q(tree))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    word = client.get(reverse("indicators:briefing-word") + _q(tree))
    text = word.content.decode()
    assert word.status_code == 200 and word["Content-Type"].startswith("application/msword")
    assert "规上工业总产值累计完成56亿元,同比增长12.0%" in text and "attachment" in word["Content-Disposition"]


def test_bad_place_inputs_never_fail(tree, people, client):
    client.force_login(people.village_a)
    for query in ["?month=2023-13", "?month=abc&node=x", f"?node={tree.village_b.pk}", "?node=99999999999999999999"]:
        response = client.get(TABLE + query)
        assert response.status_code == 200
    # village staff see their own village by default, never another's figures
    ledger_at(tree.village_b)
    body = client.get(TABLE + f"?node={tree.village_b.pk}&month=2023-09").content.decode()
    assert tree.village_a.name in body and "请选择辖区内" in body
    assert client.get(reverse("indicators:trend", args=[999999])).status_code == 404


def test_ledger_actions_for_other_subtrees_are_404(tree, people, client):
    ledger = ledger_at(tree.village_b)
    ledger_transition(actor=SYSTEM, ledger=ledger, action=Action.REVIEW)
    client.force_login(people.village_a)
    assert client.get(reverse("indicators:value", args=[ledger.values.get().pk])).status_code == 404
