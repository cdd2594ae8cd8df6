"""Demo data of the relocation ledger (after generate_demo and
create_demo_users), with the seed's own projects and magnitudes:

- 火车站北广场: 11,698 units over four villages, 11,650 signed (99.59%),
  signings spread over the last 120 days (a few yesterday and today, so the
  daily report has a change), most signed units vacated, demolished and
  compensated;
- 三条快速路: 第一批次 365 non-residential units, 289 signed (79%); 第二批次
  427 houses, 121 with their information confirmed;
- 临高高速 and 花山路南延: smaller road projects (together the roads hold
  about 1,000 households and nearly 1,000,000 m²).

Units are written with bulk_create (the stage dates and amounts filled as
the workflow would have, one import event each and one audit entry), not
through the services one by one: 13,000 transitions would take minutes.
Deterministic (seeded); idempotent: does nothing when the projects exist."""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import DomainError
from grassroots.core.validators import id_number_check_char
from grassroots.regions.demo import DIVISION_PREFIX, GIVEN_FEMALE_NEW, GIVEN_MALE_OLD, MOBILE_PREFIXES, SURNAMES
from grassroots.regions.models import Level, Node

from .models import Batch, BatchKind, Project, ProjectKind, Unit, UnitEvent, UnitKind
from .states import DATE_FIELD, TABLE, State

STATION = "火车站北广场"


@dataclass(frozen=True)
class BatchPlan:
    number: int
    name: str
    kind: str
    units: int
    signed: int  # how many reached signing
    confirmed: int = 0  # how many of the rest have their information confirmed


@dataclass(frozen=True)
class ProjectPlan:
    name: str
    kind: str
    implementer: str
    villages: int  # spread over the first n villages
    batches: tuple[BatchPlan, ...]
    prefix: str


PLANS: tuple[ProjectPlan, ...] = (
    ProjectPlan(
        STATION,
        ProjectKind.STATION,
        "张店区房屋征收服务中心",
        4,
        (
            BatchPlan(1, "第一批次(站前路以北)", BatchKind.RESIDENTIAL, 4200, 4200),
            BatchPlan(2, "第二批次(北广场核心区)", BatchKind.RESIDENTIAL, 5120, 5101, 10),
            BatchPlan(3, "第三批次(沿街商铺)", BatchKind.NON_RESIDENTIAL, 2378, 2349, 20),
        ),
        "BG",
    ),
    ProjectPlan(
        "三条快速路",
        ProjectKind.ROAD,
        "淄博市城市快速路建设指挥部",
        3,
        (
            BatchPlan(1, "第一批次365户非住宅", BatchKind.NON_RESIDENTIAL, 365, 289, 40),
            BatchPlan(2, "第二批次427户", BatchKind.RESIDENTIAL, 427, 0, 121),
        ),
        "KS",
    ),
    ProjectPlan(
        "临高高速",
        ProjectKind.ROAD,
        "山东高速临高项目征迁办",
        2,
        (BatchPlan(1, "第一批次", BatchKind.RESIDENTIAL, 126, 98, 20),),
        "LG",
    ),
    ProjectPlan(
        "花山路南延",
        ProjectKind.ROAD,
        "张店区住房和城乡建设局",
        2,
        (BatchPlan(1, "第一批次", BatchKind.RESIDENTIAL, 84, 61, 15),),
        "HS",
    ),
)


@dataclass
class DemoReport:
    created: bool
    projects: int = 0
    units: int = 0
    seconds: float = 0.0
    rates: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        if not self.created:
            return "征迁演示数据已存在,未重复生成。"
        rates = ";".join(f"{name} {rate}" for name, rate in self.rates.items())
        return f"已生成 {self.projects} 个征迁项目、{self.units} 户征迁户(用时 {self.seconds:.1f} 秒):{rates}。"


class _Heads:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.surnames = [s for s, _ in SURNAMES]
        self.weights = [w for _, w in SURNAMES]

    def name(self) -> str:
        given = self.rng.choice((GIVEN_MALE_OLD, GIVEN_FEMALE_NEW))
        length = 1 if self.rng.random() < 0.25 else 2
        return self.rng.choices(self.surnames, weights=self.weights)[0] + "".join(
            self.rng.choice(given) for _ in range(length)
        )

    def id_number(self) -> str:
        birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 60 * 365))
        first17 = f"{DIVISION_PREFIX}{birth:%Y%m%d}{self.rng.randint(0, 999):03d}"
        return first17 + id_number_check_char(first17)

    def phone(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randint(0, 99_999_999):08d}"


def _stage_dates(
    rng: random.Random, today: datetime.date, *, signed: bool, confirmed: bool, near: bool
) -> dict[str, Any]:
    """The dates a unit's stages would carry: signed units over the last 120
    days (a few on the last two days when `near`), later stages after them."""
    dates: dict[str, Any] = {}
    if not (signed or confirmed):
        return dates
    if signed:
        sign = today - datetime.timedelta(days=rng.randint(0, 1) if near else int(rng.triangular(2, 120, 100)))
        confirm = sign - datetime.timedelta(days=rng.randint(7, 30))
        dates.update(
            confirmed_on=confirm, assessed_on=sign - datetime.timedelta(days=rng.randint(1, 6)), signed_on=sign
        )
        step = sign
        for name, share in (("vacated_on", 0.96), ("demolished_on", 0.93), ("compensated_on", 0.9)):
            days = (today - step).days
            if days < 3 or rng.random() > share:
                break
            step = step + datetime.timedelta(days=rng.randint(1, min(20, days - 1)))
            dates[name] = step
    else:
        dates["confirmed_on"] = today - datetime.timedelta(days=rng.randint(0, 40))
        if rng.random() < 0.4:
            dates["assessed_on"] = dates["confirmed_on"] + datetime.timedelta(
                days=min(rng.randint(1, 5), (today - dates["confirmed_on"]).days)
            )
    return dates


def _state_of(dates: dict[str, Any]) -> str:
    """The state the last dated stage leads to."""
    state = str(State.PENDING)
    for action, name in DATE_FIELD.items():
        if name in dates:
            state = TABLE.target(action)
    return state


def _units(
    plan: ProjectPlan, project: Project, villages: list[Node], workers: dict[int, list[User]], seed: int
) -> list[Unit]:
    rng = random.Random(f"{seed}:{plan.name}")
    heads = _Heads(rng)
    today = timezone.localdate()
    built: list[Unit] = []
    for batch_plan in plan.batches:
        batch = Batch.objects.create(
            project=project, number=batch_plan.number, name=batch_plan.name, kind=batch_plan.kind
        )
        non_residential = batch_plan.kind == BatchKind.NON_RESIDENTIAL
        for n in range(batch_plan.units):
            village = villages[n % len(villages)]
            signed = n < batch_plan.signed
            confirmed = not signed and n < batch_plan.signed + batch_plan.confirmed
            dates = _stage_dates(rng, today, signed=signed, confirmed=confirmed, near=signed and n % 997 == 0)
            if non_residential:
                area = Decimal(rng.randint(80_000, 420_000)) / 100
                kind = rng.choice((UnitKind.SHOP, UnitKind.ENTERPRISE))
            else:
                area = Decimal(rng.randint(4_500, 18_000)) / 100
                kind = UnitKind.HOUSE
            price = Decimal(rng.randint(5200, 8800))
            assessed = (area * price).quantize(Decimal("0.01")) if "assessed_on" in dates else None
            agreed = (
                (assessed * Decimal("1.03")).quantize(Decimal("0.01")) if assessed and "signed_on" in dates else None
            )
            pool: list[User | None] = [*workers.get(village.pk, [])] or [None]
            built.append(
                Unit(
                    project=project,
                    batch=batch,
                    number=f"{plan.prefix}{batch_plan.number}-{n + 1:05d}",
                    village=village,
                    path=village.path,
                    kind=kind,
                    floor_area=area,
                    head_name=heads.name(),
                    head_phone=heads.phone(),
                    head_id_number=heads.id_number(),
                    worker=pool[n % len(pool)],
                    state=_state_of(dates),
                    assessed_amount=assessed,
                    agreed_amount=agreed,
                    paid_amount=agreed if "compensated_on" in dates else None,
                    location=f"{village.short_name or village.name}{rng.randint(1, 300)}号",
                    **dates,
                )
            )
    return built


def generate_demo_relocation(*, subdistrict_code: str = "370303003000", seed: int = 2023) -> DemoReport:
    if Project.objects.filter(name=STATION).exists():
        return DemoReport(created=False)
    started = time.perf_counter()
    subdistrict = Node.objects.filter(code=subdistrict_code, level=Level.SUBDISTRICT).first()
    if subdistrict is None:
        raise DomainError("no_subdistrict", "找不到演示街道,请先运行 generate_demo。")
    villages = list(Node.objects.filter(path__startswith=subdistrict.path, level=Level.VILLAGE).order_by("path"))
    if not villages:
        raise DomainError("no_villages", "演示街道下没有村/社区。")
    workers: dict[int, list[User]] = {}
    # The 包户 workers of each village: its staff and its relocation workers (ADR 0046).
    worker_roles = [Role.VILLAGE_STAFF, Role.RELOCATION_WORKER]
    for user in User.objects.filter(role__in=worker_roles, is_active=True, jurisdiction__in=villages).order_by("pk"):
        workers.setdefault(user.jurisdiction_id, []).append(user)  # type: ignore[arg-type]
    report = DemoReport(created=True)
    with transaction.atomic():
        for plan in PLANS:
            project = Project.objects.create(
                name=plan.name,
                kind=plan.kind,
                node=subdistrict,
                implementer=plan.implementer,
                target_date=datetime.date(timezone.localdate().year + 1, 6, 30),
            )
            units = Unit.objects.bulk_create(
                _units(plan, project, villages[: plan.villages], workers, seed), batch_size=2000
            )
            UnitEvent.objects.bulk_create(
                [UnitEvent(unit=u, action="import", to_state=u.state, text="演示数据") for u in units], batch_size=2000
            )
            audit_record(action=AuditAction.CREATE, obj=project, detail={"demo_units": len(units)})
            signed = sum(1 for u in units if u.signed_on is not None)
            report.projects += 1
            report.units += len(units)
            report.rates[plan.name] = f"{signed}/{len(units)}"
    if connection.vendor == "postgresql":
        # Fresh statistics after a bulk insert, or the planner guesses one row per project.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE relocation_unit")
    report.seconds = time.perf_counter() - started
    return report
