"""Demo data of the livelihood app (after generate_demo, create_demo_users and
generate_demo_matters), with the seed's magnitudes scaled to the demo tree
(Hutian: 6,352 residents aged 70+, 4,126 school-age children, 400 health
rounds serving 8,300 people a year):

- schools and grades on the residents aged 3 to 14 (kindergarten, primary,
  junior middle school), so the children's lists fill themselves;
- flags: living alone (the 70+ who are alone in their household), disabled
  (about 1.5% of residents), low income (about 2.5% of households);
- this month's visits: three in five of the birthday lists (about one in seven
  with an opinion, half of those turned into 说事 matters), two in five children
  given a gift, half the living-alone elderly visited;
- health rounds of the last 60 days at the scaled yearly rate;
- the 四大 民生实事 projects (龙湾便民市场 about 5 million yuan, ten village
  roads, a 30-million-yuan park, a 党群服务中心 about 300,000 yuan) with
  milestones, the reached ones published through 晒事 by the subdistrict;
- the 六大活动 on the calendar and the Friday cleaning day with this week's
  check-ins.

Everything goes through the services. Deterministic; idempotent: does
nothing when the subdistrict has flags already."""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.core.actors import SYSTEM
from grassroots.core.errors import DomainError
from grassroots.regions.models import Household, Level, Node, Resident

from . import selectors
from .models import CareFlag, FlagKind, ListKind, VisitKind
from .services.activities import ActivityInput, activity_create, check_in, registration_add, registration_attend
from .services.flags import flag_set
from .services.projects import MilestoneInput, ProjectInput, milestone_reach, project_create
from .services.visits import health_round_record, visit_record, visit_to_matter

SEED_ELDERLY = 6352
SEED_ROUNDS_PER_YEAR = 400
SEED_SERVED_PER_YEAR = 8300
ROUND_DAYS = 60
SCHOOLS: tuple[tuple[int, int, str, tuple[str, ...]], ...] = (
    (3, 5, "{village}幼儿园", ("小班", "中班", "大班")),
    (6, 11, "湖田小学", ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级")),
    (12, 14, "湖田中学", ("初一", "初二", "初三")),
)
OPINIONS = (
    "楼道灯坏了很久,晚上上下楼看不清",
    "希望社区办个老年食堂,子女不在身边做饭不便",
    "小区门口台阶太高,想加装扶手",
    "想咨询高龄津贴怎么申领",
    "家门口的路面坑洼,下雨积水",
)
SOURCES = {
    FlagKind.LIVING_ALONE: ("走访核实", "民政台账"),
    FlagKind.DISABLED: ("残联残疾人证", "残联台账"),
    FlagKind.LOW_INCOME: ("民政低保台账", "低收入人口动态监测"),
}


@dataclass
class DemoReport:
    created: bool
    message: str = ""
    children: int = 0
    flags: int = 0
    visits: int = 0
    matters: int = 0
    rounds: int = 0
    projects: int = 0
    activities: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        if not self.created:
            return self.message
        return (
            f"民生关爱演示数据:学龄儿童 {self.children} 人登记学校,关爱对象标记 {self.flags} 条,"
            f"本月走访 {self.visits} 次(转说事 {self.matters} 件),健康巡诊 {self.rounds} 次,"
            f"民生实事 {self.projects} 项,活动 {self.activities} 个;"
            f"用时 {self.seconds:.1f} 秒。"
        )


def _age(birth: datetime.date, today: datetime.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _schools(subdistrict: Node, today: datetime.date) -> int:
    villages = {n.path: n.label for n in Node.objects.filter(path__startswith=subdistrict.path, level=Level.VILLAGE)}
    step = Node.steplen * Level.VILLAGE
    young = Resident.objects.filter(
        path__startswith=subdistrict.path, birth_date__gt=today.replace(year=today.year - 15)
    ).only("pk", "path", "birth_date")
    changed = []
    for resident in young.iterator(chunk_size=2000):
        age = _age(resident.birth_date, today)
        for low, high, school, grades in SCHOOLS:
            if low <= age <= high:
                resident.school = school.format(village=villages.get(resident.path[:step], "湖田"))
                resident.grade = grades[age - low]
                changed.append(resident)
    Resident.objects.bulk_update(changed, ["school", "grade"], batch_size=500)
    return len(changed)


def _flags(rng: random.Random, subdistrict: Node, today: datetime.date) -> int:
    cutoff = today.replace(year=today.year - selectors.ELDERLY_AGE)
    alone_households = (
        Household.objects.filter(path__startswith=subdistrict.path)
        .annotate(n=Count("residents"))
        .filter(n=1)
        .values("pk")
    )
    alone = Resident.objects.filter(household__in=alone_households, birth_date__lte=cutoff).select_related("household")
    residents = list(Resident.objects.filter(path__startswith=subdistrict.path).select_related("household"))
    disabled = rng.sample(residents, max(1, len(residents) * 15 // 1000)) if residents else []
    heads = [r for r in residents if r.is_household_head]
    poor = rng.sample(heads, max(1, len(heads) * 25 // 1000)) if heads else []
    count = 0
    for kind, people in (
        (FlagKind.LIVING_ALONE, list(alone)),
        (FlagKind.DISABLED, disabled),
        (FlagKind.LOW_INCOME, poor),
    ):
        for resident in people:
            since = today - datetime.timedelta(days=rng.randrange(60, 2000))
            flag_set(actor=SYSTEM, kind=kind, resident=resident, source=rng.choice(SOURCES[kind]), since=since)
            count += 1
    return count


def _visitors(subdistrict: Node) -> dict[str, User]:
    """The demo grid worker of each grid (by the grid's path)."""
    workers = User.objects.filter(
        role=Role.GRID_WORKER, is_active=True, jurisdiction__path__startswith=subdistrict.path
    ).select_related("jurisdiction")
    return {w.jurisdiction.path: w for w in workers if w.jurisdiction is not None}


def _visits(rng: random.Random, subdistrict: Node, today: datetime.date, report: DemoReport) -> None:
    month = today.replace(day=1)
    visitors = _visitors(subdistrict)
    plan = (
        (ListKind.BIRTHDAY, VisitKind.BIRTHDAY, 0.6, "送生日蛋糕和慰问品,老人身体硬朗"),
        (ListKind.CHILDREN, VisitKind.GIFT, 0.4, "赠送书包和文具"),
        (ListKind.LIVING_ALONE, VisitKind.CARE, 0.5, "查看水电燃气安全,叮嘱按时服药"),
    )
    for list_kind, kind, share, note in plan:
        people = list(selectors.members(kind=list_kind, month=month, path=subdistrict.path).order_by("pk"))
        for resident in rng.sample(people, int(len(people) * share)):
            actor = visitors.get(resident.path[: selectors.GRID_PATH_LEN], SYSTEM)
            opinion = rng.choice(OPINIONS) if list_kind == ListKind.BIRTHDAY and rng.random() < 0.15 else ""
            visit = visit_record(
                actor=actor,
                resident=resident,
                list_kind=list_kind,
                kind=kind,
                visited_on=month + datetime.timedelta(days=rng.randrange(0, today.day)),
                note=note,
                opinion=opinion,
            )
            report.visits += 1
            if opinion and (report.matters == 0 or rng.random() < 0.5):
                visit_to_matter(actor=actor, visit=visit)
                report.matters += 1


def _rounds(rng: random.Random, subdistrict: Node, today: datetime.date) -> int:
    elderly = selectors.members(kind=ListKind.BIRTHDAY, month=today, path=subdistrict.path).count() * 12
    scale = max(elderly, 1) / SEED_ELDERLY
    sessions = max(3, round(SEED_ROUNDS_PER_YEAR * scale * ROUND_DAYS / 365))
    per_session = SEED_SERVED_PER_YEAR / SEED_ROUNDS_PER_YEAR
    villages = list(Node.objects.filter(path__startswith=subdistrict.path, level=Level.VILLAGE).order_by("path"))
    for n in range(sessions):
        village = villages[n % len(villages)]
        served = max(1, round(rng.gauss(per_session, 5)))
        health_round_record(
            actor=SYSTEM,
            node=village,
            place=f"{village.label}{rng.choice(('卫生室', '党群服务中心', '日间照料中心'))}",
            held_on=today - datetime.timedelta(days=rng.randrange(0, ROUND_DAYS)),
            served=served,
        )
    return sessions


# (title, where: "" for the subdistrict or the village index, budget, funding, milestones, reached)
PROJECTS: tuple[tuple[str, int | None, str, str, tuple[tuple[str, int], ...], int], ...] = (
    ("龙湾便民市场", None, "5000000", "街道财政", (("立项审批", 10), ("主体施工", 60), ("竣工开业", 100)), 2),
    ("湖田公园", None, "30000000", "区财政专项资金", (("规划设计", 10), ("土方绿化", 50), ("建成开放", 100)), 1),
    ("党群服务中心", 0, "300000", "街道财政", (("装修改造", 70), ("投入使用", 100)), 2),
)
VILLAGE_ROADS = 10
ROAD_BUDGET = "800000"
SIX = (
    ("sports", "第二届全民运动会"),
    ("red_song", "“唱支山歌给党听”红歌会"),
    ("exhibition", "书法摄影展"),
    ("art_show", "迎新春文艺汇演"),
    ("film", "电影进社区观影季"),
    ("village", "文化进村活动"),
)


def _projects(subdistrict: Node, today: datetime.date) -> int:
    villages = list(Node.objects.filter(path__startswith=subdistrict.path, level=Level.VILLAGE).order_by("path"))
    publisher_user = User.objects.filter(role=Role.SUBDISTRICT_STAFF, is_active=True, jurisdiction=subdistrict).first()
    rows = list(PROJECTS)
    rows += [
        (f"{village.label}村道硬化", n, ROAD_BUDGET, "区财政“四好农村路”资金", (("开工", 40), ("完工验收", 100)), n % 3)
        for n, village in enumerate(villages[:VILLAGE_ROADS])
    ]
    count = 0
    for title, where, budget, funding, milestones, reached in rows:
        node = subdistrict if where is None or not villages else villages[where]
        project = project_create(
            actor=SYSTEM,
            data=ProjectInput(
                title=title,
                node=node,
                budget=Decimal(budget),
                funding_source=funding,
                milestones=[MilestoneInput(name, percent) for name, percent in milestones],
            ),
        )
        count += 1
        if publisher_user is None:
            continue  # reaching publishes, and only a user with the capability publishes
        for milestone in project.milestones.order_by("position")[:reached]:
            milestone_reach(actor=publisher_user, milestone=milestone, note="按计划完成")
    return count


def _activities(rng: random.Random, subdistrict: Node, today: datetime.date) -> int:
    villages = list(Node.objects.filter(path__startswith=subdistrict.path, level=Level.VILLAGE).order_by("path"))
    count = 0
    for n, (kind, title) in enumerate(SIX):
        node = subdistrict if n % 2 == 0 or not villages else villages[n % len(villages)]
        activity = activity_create(
            actor=SYSTEM,
            data=ActivityInput(
                title=title,
                kind=kind,
                node=node,
                starts_on=today.replace(day=1) + datetime.timedelta(days=3 * n),
                place=f"{node.label}文化广场",
                capacity=None,
            ),
        )
        count += 1
        if activity.starts_on <= today:
            people = list(Resident.objects.filter(path__startswith=node.path).order_by("pk")[:200])
            for resident in rng.sample(people, min(len(people), 20)):
                row = registration_add(actor=SYSTEM, activity=activity, resident=resident)
                if rng.random() < 0.8:
                    registration_attend(actor=SYSTEM, registration=row)
    cleaning = activity_create(
        actor=SYSTEM,
        data=ActivityInput(
            title="周五固定清扫日",
            kind="cleaning",
            node=subdistrict,
            starts_on=datetime.date(today.year, 1, 2),
            place="各村/社区",
            weekday=4,
        ),
    )
    for village in villages:
        if rng.random() < 0.8:
            check_in(actor=SYSTEM, activity=cleaning, village=village, participants=rng.randrange(15, 60))
    return count + 1


def generate_demo_livelihood(*, subdistrict_code: str = "370303003000") -> DemoReport:
    started = time.perf_counter()
    subdistrict = Node.objects.filter(code=subdistrict_code, level=Level.SUBDISTRICT).first()
    if subdistrict is None:
        raise DomainError("demo_no_subdistrict", f"没有找到代码为 {subdistrict_code} 的街道,请先运行 load_hutian。")
    if CareFlag.objects.filter(path__startswith=subdistrict.path).exists():
        return DemoReport(created=False, message=f"{subdistrict.label}已有民生关爱数据,未重复生成。")
    rng = random.Random(70)
    today = timezone.localdate()
    report = DemoReport(created=True)
    with transaction.atomic():
        report.children = _schools(subdistrict, today)
        report.flags = _flags(rng, subdistrict, today)
        _visits(rng, subdistrict, today, report)
        report.rounds = _rounds(rng, subdistrict, today)
        report.projects = _projects(subdistrict, today)
        report.activities = _activities(rng, subdistrict, today)
    report.seconds = time.perf_counter() - started
    return report
