"""The demo collective economy on the small tree: the committee, the
company with shares summing to 100%, a year of income, and the published
2025 distribution summing to 210万; a second run creates nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from grassroots.party.models import Branch, BranchKind

from ..demo import COMPANY, YEAR, generate_demo_economy
from ..models import Company, DistributionPlan, IncomeEntry, KeyProject, LandPlot, Tenant
from ..selectors import income_by_village
from ..services.distribution import shares_on
from ..states import State

pytestmark = pytest.mark.django_db


def test_demo_on_the_small_tree(tree, people):
    report = generate_demo_economy()
    assert report.created and "山东宏湖" in report.summary()
    joint = Branch.objects.get(kind=BranchKind.JOINT)
    assert joint.villages.count() == 2 and Company.objects.get(name=COMPANY).committee == joint
    company = Company.objects.get(name=COMPANY)
    assert sum(h.share for h in shares_on(company=company, day=datetime.date(YEAR, 12, 31))) == Decimal(100)
    assert IncomeEntry.objects.count() == report.entries == 2 * 12 * 3
    rows = {r.village.short_name: r for r in income_by_village(user=people.street, year=YEAR)}
    assert rows["西张村"].actual > Decimal("1000000")  # 便民市场 alone is over 100万 a year
    plan = DistributionPlan.objects.get()
    assert plan.state == State.PUBLISHED
    assert sum(line.amount for line in plan.lines.all()) == plan.total == Decimal("2100000.00")
    assert KeyProject.objects.filter(level="district").count() == 15
    assert KeyProject.objects.filter(level="city").count() == 7
    assert KeyProject.objects.filter(name__in=["五金机电城", "民祥科技工业园", "海易胶固"]).count() == 3
    assert sum(t.area_m2 for t in Tenant.objects.filter(project__name="卫星产业园一期")) == Decimal(10000)
    assert LandPlot.objects.exists() and "22 个重点项目" in report.summary()
    park = KeyProject.objects.get(name="卫星产业园一期")
    assert (park.project_type, park.progress, park.milestones.count()) == ("park", 70, 4)
    assert KeyProject.objects.get(name="湖田路综合管廊").progress == 25
    assert not generate_demo_economy().created
