"""The demo ledgers: the seed's September 2023 year-to-date figures, with
last year's months so that year-on-year computes; idempotent."""

from __future__ import annotations

import pytest

from ..demo import DEMO_MONTH, generate_demo_indicators
from ..models import Ledger
from ..selectors import indicator_table
from ..states import State

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
