"""Demo data of the indicator ledger: the subdistrict's figures from the
seed's closing paragraph ("2023年1—9月份,规上工业企业实现总产值56亿元 …
固定资产投资 … 38亿元") as the year-to-date values of September 2023, with
plausible year-to-date figures for the other months of 2023 up to September
and every month of 2022 (so that year-on-year computes). 2022 and January to
August 2023 are locked; September 2023 is reviewed, waiting to be locked.
Everything goes through the services and the workflow engine. Deterministic;
idempotent: does nothing when the subdistrict has ledgers."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from grassroots.core.actors import SYSTEM
from grassroots.core.commands import HUTIAN
from grassroots.core.errors import DomainError
from grassroots.regions.models import Level, Node

from .models import Indicator, Ledger
from .services.defaults import indicators_seed_defaults
from .services.values import values_set
from .services.workflow import ledger_transition
from .states import Action

DEMO_MONTH = datetime.date(2023, 9, 1)
# Year-to-date at the demo month (the seed's sentence) and the growth on last year.
SEPTEMBER: dict[str, tuple[Decimal, Decimal]] = {
    "规上工业总产值": (Decimal("56"), Decimal("0.083")),
    "限上批发业销售额": (Decimal("42"), Decimal("0.121")),
    "限上零售业销售额": (Decimal("9"), Decimal("0.057")),
    "限上住宿业营业额": (Decimal("1810"), Decimal("0.264")),
    "限上餐饮业营业额": (Decimal("1510"), Decimal("0.182")),
    "规上服务业营业收入": (Decimal("9.7"), Decimal("0.069")),
    "固定资产投资": (Decimal("38"), Decimal("-0.035")),
}


@dataclass
class DemoReport:
    created: bool
    message: str = ""
    ledgers: int = 0

    def summary(self) -> str:
        if not self.created:
            return self.message
        return f"经济指标演示数据:月报 {self.ledgers} 份(2022年1月至2023年9月),2023年9月为已审核待锁定。"


def _weights(offset: int) -> list[float]:
    """Twelve monthly shares of a year's total (a slow start after the Spring Festival)."""
    raw = [0.78 if m == 1 else 0.62 if m == 2 else 1.0 + 0.09 * math.sin(m * 1.3 + offset) for m in range(1, 13)]
    return raw


def _ytd(total_to_september: Decimal, weights: list[float], month: int) -> Decimal:
    share = sum(weights[:month]) / sum(weights[:9])
    places = Decimal("0.01")
    return (total_to_september * Decimal(str(share))).quantize(places, rounding=ROUND_HALF_UP)


def figures_for(indicator: str, month: datetime.date) -> Decimal:
    """The demo's year-to-date figure of `indicator` for `month` (2022 or 2023)."""
    september, growth = SEPTEMBER[indicator]
    offset = list(SEPTEMBER).index(indicator)
    if month.year == DEMO_MONTH.year:
        return _ytd(september, _weights(offset), month.month)
    last_year = september / (1 + growth)
    return _ytd(last_year, _weights(offset + 3), month.month)


def _months() -> list[datetime.date]:
    return [datetime.date(2022, m, 1) for m in range(1, 13)] + [datetime.date(2023, m, 1) for m in range(1, 10)]


def generate_demo_indicators(*, subdistrict_code: str = HUTIAN) -> DemoReport:
    subdistrict = Node.objects.filter(code=subdistrict_code, level=Level.SUBDISTRICT).first()
    if subdistrict is None:
        raise DomainError("demo_no_subdistrict", f"没有找到代码为 {subdistrict_code} 的街道,请先运行 load_hutian。")
    if Ledger.objects.filter(node=subdistrict).exists():
        return DemoReport(created=False, message=f"{subdistrict.name}已有经济指标月报,未重复生成。")
    with transaction.atomic():
        indicators_seed_defaults()
        indicators = {i.name: i for i in Indicator.objects.filter(name__in=list(SEPTEMBER))}
        for month in _months():
            values = {indicators[name]: figures_for(name, month) for name in SEPTEMBER}
            ledger = values_set(actor=SYSTEM, node=subdistrict, month=month, values=values, source="import")
            ledger = ledger_transition(actor=SYSTEM, ledger=ledger, action=Action.REVIEW)
            if month < DEMO_MONTH:
                ledger_transition(actor=SYSTEM, ledger=ledger, action=Action.LOCK)
    return DemoReport(created=True, ledgers=len(_months()))
