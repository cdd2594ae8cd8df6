"""Demo data of the collective economy, with the seed's names and
magnitudes: the 联村党委 of eight villages (西张村 among them), 山东宏湖控股有限公司
owned by four of them, a year of income per village by source (西张村's
便民市场 over 100万 a year), projections of about 50万 per village, and the
company's 2025 distribution (210万) made public after a village meeting.
Everything goes through the services and the workflow engine. Deterministic;
idempotent: does nothing when the company exists."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db import transaction

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.core.actors import SYSTEM
from grassroots.core.commands import HUTIAN
from grassroots.core.errors import DomainError
from grassroots.party.models import Branch, BranchKind
from grassroots.party.services.organisation import branch_create
from grassroots.regions.models import Level, Node

from .models import Company, Source
from .services import distribution, income, meeting, milestones, projects, tenants
from .services.companies import Holding, company_create

COMPANY = "山东宏湖控股有限公司"
COMMITTEE = "湖田街道跨村联建联村党委"
YEAR = 2025
# Monthly income of a village by source, in yuan (a village draws three of them).
MONTHLY = {
    Source.MARKET: 90_000,
    Source.PARCEL: 18_000,
    Source.SERVICES: 25_000,
    Source.RENT: 30_000,
}
SHARES = ("30", "25", "25", "20")
# The satellite park's tenants (about 10,000 m² intended in all), in m².
TENANTS = (("淄博鲁中机电有限公司", 2600), ("湖田精密模具厂", 2400), ("齐鲁新材料科技", 2800), ("博山智能包装", 2200))
# The seed's 区重点项目15个 and 市重大项目7个 (the named ones first).
CITY_PROJECTS = (
    "五金机电城",
    "民祥科技工业园",
    "海易胶固",
    "湖田智能装备产业园",
    "淄博陶瓷新材料基地",
    "北部物流枢纽",
    "城市更新片区",
)
DISTRICT_PROJECTS = (
    "卫星产业园一期",
    "便民市场提升改造",
    "电商快递驿站集群",
    "西张村标准厂房",
    "湖田路综合管廊",
    "店子社区邻里中心",
    "新型建材产业园",
    "冷链物流中心",
    "村级光伏电站",
    "农产品加工园",
    "文化礼堂改建",
    "老旧小区改造",
    "污水管网提升",
    "智慧社区平台",
    "职业技能培训基地",
)

# The project register (park phase, market, road): kind, owner, budget,
# funding and dated milestones; the first `reached` of them reached.
D = datetime.date
REGISTER = {
    "卫星产业园一期": (
        "park",
        "湖田街道经管站",
        "38000000.00",
        "专项债券、平台公司自筹",
        (
            ("立项批复", D(2025, 3, 1), 10),
            ("土地腾空", D(2025, 9, 30), 30),
            ("主体封顶", D(2026, 6, 30), 70),
            ("竣工验收", D(2027, 3, 31), 100),
        ),
        3,
    ),
    "便民市场提升改造": (
        "market",
        "西张村股份经济合作社",
        "2600000.00",
        "村集体自筹、街道奖补",
        (("方案设计", D(2025, 11, 1), 20), ("摊位改造", D(2026, 5, 31), 60), ("开业运营", D(2027, 1, 31), 100)),
        2,
    ),
    "湖田路综合管廊": (
        "road",
        "街道城建办",
        "12500000.00",
        "区财政资金",
        (("管线迁改", D(2026, 4, 30), 25), ("管廊主体", D(2026, 10, 31), 65), ("路面恢复", D(2027, 5, 31), 100)),
        1,
    ),
}


@dataclass
class DemoReport:
    created: bool
    message: str = ""
    villages: int = 0
    entries: int = 0
    projects: int = 0

    def summary(self) -> str:
        if not self.created:
            return self.message
        return (
            f"已生成联村党委({self.villages} 个村/社区)、{COMPANY}、{self.entries} 条集体收入、"
            f"{YEAR} 年度分配方案和 {self.projects} 个重点项目。"
        )


def _register(name: str) -> dict[str, Any]:
    if name not in REGISTER:
        return {}
    project_type, owner, budget, funding, *_rest = REGISTER[name]
    return {"project_type": project_type, "owner": owner, "budget": Decimal(budget), "funding": funding}


def _villages(subdistrict: Node) -> list[Node]:
    """Eight villages, 西张村 first when the tree has it."""
    villages = list(Node.objects.filter(path__startswith=subdistrict.path, level=Level.VILLAGE).order_by("path"))
    villages.sort(key=lambda v: (v.short_name != "西张村", v.path))
    return villages[:8]


def _shares(n: int) -> list[Decimal]:
    """The seed's four shareholders' shares; an even split on a smaller tree."""
    if n == len(SHARES):
        return [Decimal(x) for x in SHARES]
    each = (Decimal(100) / n).quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
    return [Decimal(100) - each * (n - 1)] + [each] * (n - 1)


def generate_demo_economy(*, subdistrict_code: str = HUTIAN) -> DemoReport:
    subdistrict = Node.objects.filter(code=subdistrict_code, level=Level.SUBDISTRICT).first()
    if subdistrict is None:
        raise DomainError("demo_no_subdistrict", f"没有找到代码为 {subdistrict_code} 的街道,请先运行 load_hutian。")
    if Company.objects.filter(name=COMPANY).exists():
        return DemoReport(created=False, message=f"已有{COMPANY},未重复生成集体经济演示数据。")
    villages = _villages(subdistrict)
    if not villages:
        raise DomainError("demo_no_villages", f"{subdistrict.label}下没有村/社区。")
    rng = random.Random(14)
    report = DemoReport(created=True, villages=len(villages))
    with transaction.atomic():
        # The one 联村党委 is party's (ADR 0045): party's demo sets one up; else it is set up here.
        committee = Branch.objects.filter(node=subdistrict, kind=BranchKind.JOINT).order_by("id").first()
        if committee is None:
            committee = branch_create(
                actor=SYSTEM, name=COMMITTEE, kind=BranchKind.JOINT, node=subdistrict, villages=villages
            )
        owners = villages[:4]
        holdings = [
            Holding(village=v, share=share, contribution=share * Decimal(100_000))
            for v, share in zip(owners, _shares(len(owners)), strict=True)
        ]
        company = company_create(
            actor=SYSTEM,
            name=COMPANY,
            node=subdistrict,
            founded_on=datetime.date(2023, 6, 1),
            holdings=holdings,
            committee=committee,
            note="组织村、社区以资金入股形式成立的镇级集体经济投资公司",
        )
        sources = list(MONTHLY)
        for n, village in enumerate(villages):
            drawn = [Source.MARKET, Source.RENT, Source.SERVICES] if n == 0 else rng.sample(sources, 3)
            for month in range(1, 13):
                for source in drawn:
                    base = MONTHLY[source] * (100 + rng.randint(-15, 15)) // 100
                    income.income_record(
                        actor=SYSTEM,
                        village=village,
                        month=datetime.date(YEAR, month, 1),
                        source=source,
                        amount=Decimal(base),
                        project="卫星产业园一期" if source == Source.RENT and n < 4 else "",
                    )
                    report.entries += 1
            income.target_set(actor=SYSTEM, village=village, year=YEAR, amount=Decimal(500_000 + 50_000 * (n % 3)))
        stages = ("building", "building", "preparing")
        for level, names in (("city", CITY_PROJECTS), ("district", DISTRICT_PROJECTS)):
            for n, name in enumerate(names):
                project = projects.project_save(
                    actor=SYSTEM,
                    node=subdistrict,
                    data=projects.ProjectInput(
                        name=name,
                        level=level,
                        stage=stages[n % 3],
                        next_milestone="主体工程开工" if n % 3 == 2 else "年底前完成投资计划",
                        next_milestone_on=datetime.date(2026, 12, 31),
                        blockers="土地腾空进度滞后" if n % 4 == 0 else "",
                        leader="街道党工委书记" if level == "city" else "街道办事处副主任",
                        **_register(name),
                    ),
                )
                if name in REGISTER:
                    *_info, steps, reached = REGISTER[name]
                    for step, planned, progress in steps:
                        milestones.milestone_add(
                            actor=SYSTEM, project=project, name=step, planned_on=planned, progress=progress
                        )
                    for _step, planned, _progress in steps[:reached]:
                        milestones.milestone_reach(actor=SYSTEM, project=project, day=planned)
                if name == "卫星产业园一期":
                    # 意向入驻约10000平方米: intended tenants, two of them further along.
                    for k, (firm, area) in enumerate(TENANTS):
                        tenant = tenants.tenant_create(
                            actor=SYSTEM,
                            project=project,
                            company=firm,
                            area_m2=Decimal(area),
                            annual_rent=Decimal(area) * 60,
                        )
                        for action in ("sign", "settle")[: max(0, 2 - k)]:
                            tenants.tenant_act(actor=SYSTEM, tenant=tenant, action=action)
                if level == "city" and n < 3:
                    # 千亩待腾空土地: the named projects' plots, stages advancing in parallel.
                    for k, village in enumerate(villages[:3]):
                        plot = projects.plot_create(
                            actor=SYSTEM,
                            village=village,
                            name=f"{name}{k + 1}号地块",
                            area_mu=Decimal(110 + 15 * k + 20 * n),
                            project=project,
                        )
                        for stage in ("signed", "vacated", "demolished", "compensated")[: (n + k) % 4 + 1]:
                            projects.plot_stage_set(
                                actor=SYSTEM, plot=plot, stage=stage, day=datetime.date(2026, 10, 1 + k)
                            )
                report.projects += 1
        plan = distribution.plan_create(
            actor=SYSTEM, company=company, year=YEAR, total=Decimal("2100000.00"), note="增收约210万元"
        )
        # Submitted by the subdistrict's staff when the demo users exist (the
        # collective matter is accepted by the system either way: ADR 0045).
        station = (
            User.objects.filter(role=Role.SUBDISTRICT_STAFF, jurisdiction=subdistrict, is_active=True)
            .order_by("pk")
            .first()
        )
        plan = meeting.plan_submit(actor=station or SYSTEM, plan=plan)
        plan = distribution.plan_approve(
            actor=SYSTEM, plan=plan, resolution="各股东村村民代表会议表决通过(应到30人,实到28人,同意27人)"
        )
        # The system moves it to 公示 (晒事 publishes in a staff member's name after a real meeting).
        meeting.plan_publish(actor=SYSTEM, plan=plan)
    return report
