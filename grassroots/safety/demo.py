"""Demo data of the safety inspections (after generate_demo,
create_demo_users and generate_demo_addresses): about 150 premises over the
demo subdistrict's grids (warehouses, courtyards, disused factories, the
九小场所, key-industry enterprises; half with a standard address), an
inspection sweep over the last four weeks with failed items, and hazards in
every state: found, under rectification (some overdue and escalated),
awaiting re-inspection, closed, referred to enforcement; the first major
hazard found opens its matter, and an open resident's 安全隐患 matter becomes
a hazard lead with its notice issued (ADR 0039). Everything goes
through the services and the workflow engine. Deterministic; idempotent:
does nothing when premises exist."""

from __future__ import annotations

import contextlib
import datetime
import io
import random
import time
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.addresses.models import Address
from grassroots.core.actors import SYSTEM
from grassroots.core.errors import DomainError
from grassroots.matters.models import OPEN_STATES, Matter
from grassroots.regions.models import Level, Node

from .models import Hazard, Inspection, Premises, PremisesKind, Result, RiskLevel
from .services import hazards, links
from .services.campaigns import CampaignInput, campaign_open
from .services.checklists import checklists_seed_defaults
from .services.inspections import Answer, InspectionInput, inspection_record, inspector_allowed, versions_applicable
from .services.premises import PremisesInput, premises_create

PREMISES = 150
CAMPAIGN_TITLE = "仓库、院落和废弃厂房拉网式大排查(打非治违)"
# (kind, share in 150, name patterns)
KINDS: list[tuple[str, int, tuple[str, ...]]] = [
    (PremisesKind.WAREHOUSE, 30, ("{road}物流仓库", "{surname}记五金仓库", "{road}建材仓库", "{surname}氏冷链仓库")),
    (PremisesKind.COURTYARD, 15, ("{road}{n}号院落", "{surname}家大院")),
    (PremisesKind.DISUSED_FACTORY, 10, ("原{road}砖瓦厂", "原{surname}家机械厂旧厂房")),
    (PremisesKind.SMALL_SHOP, 20, ("{surname}记便利店", "{road}百货商店", "{surname}氏日杂店")),
    (PremisesKind.SMALL_RESTAURANT, 20, ("{surname}记小吃", "{road}面馆", "{surname}家水饺")),
    (PremisesKind.SMALL_HOTEL, 8, ("{road}旅馆", "{surname}家宾馆")),
    (PremisesKind.SMALL_WORKSHOP, 12, ("{surname}氏陶瓷作坊", "{road}木器加工厂")),
    (PremisesKind.SMALL_ENTERTAINMENT, 3, ("{road}歌舞厅",)),
    (PremisesKind.SMALL_INTERNET_CAFE, 4, ("{road}网吧",)),
    (PremisesKind.SMALL_BEAUTY, 6, ("{surname}记美发店", "{road}浴池")),
    (PremisesKind.SMALL_CLINIC, 4, ("{road}诊所",)),
    (PremisesKind.SMALL_SCHOOL, 4, ("{road}幼儿园",)),
    (PremisesKind.KEY_INDUSTRY, 14, ("{road}化工有限公司", "{surname}氏油品经营部", "{road}燃气供应站")),
]
ROADS = ("人民路", "华光路", "金晶大道", "共青团路", "西六路", "柳泉路", "新村路", "北京路", "华侨路", "湖田路")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ("建国", "秀英", "志强", "桂兰", "海涛", "丽娟", "国庆", "玉梅", "文革", "春生")
PROBLEMS = ("疏散通道堆放杂物", "灭火器过期失效", "电线私拉乱接", "安全出口上锁", "库房内住人", "未设置防爆设施")


@dataclass
class DemoReport:
    created: bool
    message: str = ""
    premises: int = 0
    inspections: int = 0
    hazards: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        if not self.created:
            return self.message
        return (
            f"安全检查演示数据:场所 {self.premises} 处,检查 {self.inspections} 次,隐患 {self.hazards} 条"
            f"(各状态均有);用时 {self.seconds:.1f} 秒。"
        )


def _premises(rng: random.Random, subdistrict: Node) -> list[Premises]:
    grids = list(Node.objects.filter(path__startswith=subdistrict.path, level=Level.GRID).order_by("path"))
    if not grids:
        raise DomainError("demo_no_grids", "演示街道下没有网格,请先运行 generate_demo。")
    addresses = {
        grid.pk: list(Address.objects.filter(path__startswith=grid.path, kind="building").order_by("path", "id")[:20])
        for grid in grids
    }
    created = []
    n = 0
    for kind, share, patterns in KINDS:
        for i in range(share):
            grid = grids[n % len(grids)]
            n += 1
            road, surname = rng.choice(ROADS), rng.choice(SURNAMES)
            name = rng.choice(patterns).format(road=road, surname=surname, n=10 + i)
            near = addresses.get(grid.pk) or []
            risk = (
                RiskLevel.MAJOR
                if kind == PremisesKind.KEY_INDUSTRY and i % 3 == 0
                else rng.choice((RiskLevel.LOW, RiskLevel.GENERAL, RiskLevel.GENERAL, RiskLevel.HIGH))
            )
            data = PremisesInput(
                name=f"{name}({i + 1})" if Premises.objects.filter(name=name).exists() else name,
                kind=kind,
                risk_level=risk,
                node=grid,
                operator_name=surname + rng.choice(GIVEN),
                operator_phone=f"139{rng.randrange(10**8):08d}",
                address=near[i % len(near)] if near and i % 2 == 0 else None,
                location="" if i % 2 == 0 else f"{road}{rng.randrange(1, 200)}号附近",
            )
            created.append(premises_create(actor=SYSTEM, data=data))
    return created


def _inspectors(premises: Premises) -> list[User]:
    """Up to two of the demo users responsible for the place: the grid
    worker, village staff, else the subdistrict's staff."""
    roles = (Role.GRID_WORKER, Role.VILLAGE_STAFF, Role.SUBDISTRICT_STAFF)
    people = User.objects.filter(is_active=True, role__in=roles).select_related("jurisdiction")
    allowed = [u for u in people if inspector_allowed(u, premises)]
    allowed.sort(key=lambda u: (roles.index(u.role), u.pk))
    return allowed[:2]


def _inspect(
    rng: random.Random, premises: Premises, when: datetime.datetime, fails: int
) -> tuple[Inspection, list[int]]:
    version = versions_applicable(premises)[0]
    items = list(version.items.order_by("position"))
    failed = rng.sample(range(len(items)), min(fails, len(items)))
    answers = {
        item.pk: Answer(Result.FAIL, rng.choice(PROBLEMS)) if n in failed else Answer(Result.PASS)
        for n, item in enumerate(items)
    }
    inspectors = _inspectors(premises)
    inspection = inspection_record(
        actor=SYSTEM,
        premises=premises,
        data=InspectionInput(version=version, answers=answers, inspected_at=when, inspectors=inspectors),
    )
    return inspection, [items[n].pk for n in failed]


def generate_demo_safety(*, subdistrict_code: str = "370303003000") -> DemoReport:
    started = time.perf_counter()
    subdistrict = Node.objects.filter(code=subdistrict_code, level=Level.SUBDISTRICT).first()
    if subdistrict is None:
        raise DomainError("demo_no_subdistrict", f"没有找到代码为 {subdistrict_code} 的街道,请先运行 load_hutian。")
    if Premises.objects.filter(path__startswith=subdistrict.path).exists():
        return DemoReport(created=False, message=f"{subdistrict.label}已有安全检查场所,未重复生成。")
    rng = random.Random(13)
    report = DemoReport(created=True)
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        checklists_seed_defaults()
        premises = _premises(rng, subdistrict)
        report.premises = len(premises)
        # The sweep: two in three premises inspected over the last four weeks.
        swept = [p for i, p in enumerate(premises) if i % 3 != 2]
        for i, item in enumerate(swept):
            when = now - datetime.timedelta(days=27 - (i * 27 // len(swept)), hours=rng.randrange(0, 6))
            fails = 0 if i % 4 == 0 else (1 if i % 4 in (1, 2) else 2)
            inspection, failed = _inspect(rng, item, when, fails)
            report.inspections += 1
            for n, item_id in enumerate(failed):
                hazard = hazards.hazard_raise(
                    actor=SYSTEM,
                    inspection=inspection,
                    item_id=item_id,
                    level="major" if (i + n) % 9 == 0 else "general",
                )
                report.hazards += 1
                stage = (i + n) % 6
                if stage == 0:
                    continue  # found, no notice yet
                issued_on = when.date() if stage != 1 else today - datetime.timedelta(days=20)
                hazard = hazards.hazard_issue_notice(
                    actor=SYSTEM, hazard=hazard, days=3 if stage == 1 else 10, today=issued_on
                )
                if stage in (1, 2):
                    continue  # under rectification (stage 1 overdue)
                hazard = hazards.hazard_rectify(actor=SYSTEM, hazard=hazard, evidence=_evidence(), note="已整改")
                if stage == 3:
                    continue  # awaiting re-inspection
                if stage == 4:
                    hazards.hazard_reinspect(actor=SYSTEM, hazard=hazard, passed=True, note="复查合格")
                else:
                    hazards.hazard_refer(actor=SYSTEM, hazard=hazard, record="移交区应急管理局执法大队立案查处")
        hazards.escalate_overdue(today=today)
        _links(premises)
        campaign_open(
            actor=SYSTEM,
            data=CampaignInput(
                title=CAMPAIGN_TITLE,
                node=subdistrict,
                kinds=[
                    PremisesKind.WAREHOUSE,
                    PremisesKind.COURTYARD,
                    PremisesKind.DISUSED_FACTORY,
                    PremisesKind.KEY_INDUSTRY,
                ],
                starts_on=today - datetime.timedelta(days=28),
                due_on=today + datetime.timedelta(days=14),
            ),
        )
    report.seconds = time.perf_counter() - started
    return report


def _links(premises: list[Premises]) -> None:
    """A major hazard's matter and a resident's matter turned hazard lead,
    where the place is served (a demo tree without staff has neither)."""
    path = premises[0].path[: Node.steplen * Level.SUBDISTRICT]
    major = Hazard.objects.filter(path__startswith=path, level="major", state="found").order_by("id").first()
    with contextlib.suppress(DomainError):
        if major is not None:
            with transaction.atomic():
                links.hazard_open_matter(actor=SYSTEM, hazard=major)
    reported = (
        Matter.objects.filter(path__startswith=path, state__in=OPEN_STATES, category__parent__code="safety")
        .order_by("id")
        .first()
    )
    if reported is None:
        return
    at = next((p for p in premises if links.village_path(p.path) == links.village_path(reported.path)), None)
    with contextlib.suppress(DomainError), transaction.atomic():
        lead = links.hazard_from_matter(
            actor=SYSTEM,
            matter=reported,
            data=links.LeadInput(
                description=reported.title[:200], premises=at, new_premises=None if at else _lead_premises(reported)
            ),
        )
        hazards.hazard_issue_notice(actor=SYSTEM, hazard=lead, days=5)


def _lead_premises(matter: Matter) -> PremisesInput:
    return PremisesInput(
        name=f"{matter.node.label}反映点",
        kind=PremisesKind.COURTYARD,
        risk_level=RiskLevel.GENERAL,
        node=links.lead_node(matter),
        operator_name="物业负责人",
    )


def _evidence() -> SimpleUploadedFile:
    """A small JPEG standing for the operator's photo of the rectified site."""
    buffer = io.BytesIO()
    Image.new("RGB", (48, 36), (60, 140, 80)).save(buffer, format="JPEG")
    return SimpleUploadedFile("整改.jpg", buffer.getvalue(), content_type="image/jpeg")
