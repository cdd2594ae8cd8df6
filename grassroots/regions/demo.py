"""Deterministic demo data below the village level of one subdistrict: grids,
buildings, units, households, residents and resident representatives.

Everything is fictitious except the division codes above it. A seed fixes
every name, ID number, phone number and birth date (on a fresh database), so
screenshots and browser tests are reproducible. Ages follow a plausible
pyramid for an urban subdistrict in Shandong, with about 12–15% aged 70 or
more (Hutian reported 6,352 residents aged 70+).

Speed: nodes get their materialised paths computed here and are inserted with
one ``bulk_create`` (each parent's numchild is known in advance), so the
whole of Hutian takes seconds instead of the minutes that ~800 treebeard
``add_child`` calls and thousands of single inserts would."""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from grassroots.core.crypto import blind_index
from grassroots.core.errors import DomainError
from grassroots.core.validators import id_number_check_char

from .models import Household, Level, Node, Representative, Resident

DIVISION_PREFIX = "370303"  # 张店区, where Hutian lies
REPRESENTATIVES_SINCE = datetime.date(2024, 1, 1)
BATCH = 500

# Age bands (inclusive) and weights for household members other than the
# head; heads are drawn from the adult bands only. Tuned so that ~13% of all
# residents are 70 or older.
AGE_BANDS: tuple[tuple[int, int, float], ...] = (
    (0, 6, 6.0),
    (7, 17, 10.0),
    (18, 29, 12.0),
    (30, 39, 14.0),
    (40, 49, 14.0),
    (50, 59, 16.0),
    (60, 69, 16.0),
    (70, 79, 7.0),
    (80, 89, 3.0),
    (90, 99, 0.5),
)
HEAD_MIN_AGE = 25

# Common surnames in Shandong, weighted roughly by frequency.
SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 14),
    ("张", 12),
    ("李", 11),
    ("刘", 8),
    ("孙", 5),
    ("赵", 4),
    ("陈", 4),
    ("杨", 4),
    ("徐", 3),
    ("马", 3),
    ("高", 3),
    ("于", 3),
    ("董", 2),
    ("韩", 2),
    ("郭", 2),
    ("宋", 2),
    ("曹", 2),
    ("毕", 2),
    ("翟", 1),
    ("焦", 1),
    ("崔", 1),
    ("吕", 1),
    ("袁", 1),
    ("田", 1),
    ("许", 1),
    ("石", 1),
    ("任", 1),
    ("房", 1),
    ("蒲", 1),
    ("路", 1),
)
# Given-name characters by generation: names fashionable before ~1975 and after.
GIVEN_MALE_OLD = "国建志明德永富春庆海军文华祥成福顺立新贵长金忠"
GIVEN_MALE_NEW = "伟强磊涛斌超鹏飞鑫波浩宇轩博晨泽睿俊杰凯子航然一"
GIVEN_FEMALE_OLD = "秀兰英桂芳玉珍凤梅淑华荣美霞翠娥琴红云莲"
GIVEN_FEMALE_NEW = "静丽娜敏艳娟燕玲婷倩颖欣悦怡萱涵梓雪琳佳雨诗"

MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "198",
    "199",
]


@dataclass
class DemoReport:
    created: bool
    message: str
    villages: int = 0
    grids: int = 0
    buildings: int = 0
    units: int = 0
    households: int = 0
    residents: int = 0
    aged_70_plus: int = 0
    representatives: int = 0
    seconds: float = 0.0
    first_id_numbers: list[str] = field(default_factory=list, repr=False)

    def summary(self) -> str:
        if not self.created:
            return self.message
        return (
            f"已生成演示数据:{self.villages} 个村/社区,{self.grids} 个网格,{self.buildings} 栋楼,"
            f"{self.units} 个单元,{self.households} 户,{self.residents} 名居民"
            f"(其中 70 岁以上 {self.aged_70_plus} 名),{self.representatives} 名群众代表;"
            f"用时 {self.seconds:.1f} 秒。"
        )


# --- People ------------------------------------------------------------------


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class _People:
    """Random but reproducible residents."""

    def __init__(self, rng: random.Random, reference: datetime.date, taken_indexes: set[str]) -> None:
        self.rng = rng
        self.reference = reference
        self.taken_indexes = taken_indexes
        self.used: set[str] = set()
        self.surnames = [s for s, _ in SURNAMES]
        self.surname_weights = [w for _, w in SURNAMES]

    def surname(self) -> str:
        return self.rng.choices(self.surnames, weights=self.surname_weights)[0]

    def given_name(self, gender: str, birth: datetime.date) -> str:
        old = birth.year < 1975
        if gender == Resident.Gender.MALE:
            pool = GIVEN_MALE_OLD if old else GIVEN_MALE_NEW
        else:
            pool = GIVEN_FEMALE_OLD if old else GIVEN_FEMALE_NEW
        length = 1 if self.rng.random() < 0.25 else 2
        return "".join(self.rng.choice(pool) for _ in range(length))

    def age(self, *, minimum: int = 0) -> int:
        bands = [(lo, hi, w) for lo, hi, w in AGE_BANDS if hi >= minimum]
        lo, hi, _ = self.rng.choices(bands, weights=[w for _, _, w in bands])[0]
        return self.rng.randint(max(lo, minimum), hi)

    def birth_date(self, age: int) -> datetime.date:
        """A birth date at which someone is exactly `age` on the reference date."""
        latest = _years_before(self.reference, age)
        earliest = _years_before(self.reference, age + 1) + datetime.timedelta(days=1)
        return earliest + datetime.timedelta(days=self.rng.randint(0, (latest - earliest).days))

    def id_number(self, birth: datetime.date, gender: str) -> str:
        """GB 11643-1999: division, birth date, a 3-digit sequence whose last
        digit is odd for men and even for women, check character."""
        parity = (1, 3, 5, 7, 9) if gender == Resident.Gender.MALE else (0, 2, 4, 6, 8)
        for _ in range(1000):
            first17 = f"{DIVISION_PREFIX}{birth:%Y%m%d}{self.rng.randint(0, 99):02d}{self.rng.choice(parity)}"
            number = first17 + id_number_check_char(first17)
            if number in self.used:
                continue
            if self.taken_indexes and blind_index(number, purpose="resident.id_number") in self.taken_indexes:
                continue
            self.used.add(number)
            return number
        raise DomainError("demo_id_exhausted", "无法生成不重复的身份证号。")

    def phone(self, age: int) -> str:
        if age < 12 or (age >= 85 and self.rng.random() < 0.5):
            return ""
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randint(0, 99_999_999):08d}"

    def person(self, *, gender: str, age: int, surname: str, head: bool) -> dict[str, object]:
        birth = self.birth_date(age)
        return {
            "name": surname + self.given_name(gender, birth),
            "gender": gender,
            "birth_date": birth,
            "id_number": self.id_number(birth, gender),
            "phone": self.phone(age),
            "is_household_head": head,
        }

    def household(self, size: int) -> list[dict[str, object]]:
        """A head, often a spouse, children or a parent; children share the
        head's surname."""
        rng = self.rng
        head_gender = Resident.Gender.MALE if rng.random() < 0.65 else Resident.Gender.FEMALE
        other_gender = Resident.Gender.FEMALE if head_gender == Resident.Gender.MALE else Resident.Gender.MALE
        head_age = self.age(minimum=HEAD_MIN_AGE)
        surname = self.surname()
        members = [self.person(gender=head_gender, age=head_age, surname=surname, head=True)]
        if size >= 2:
            spouse_age = min(99, max(HEAD_MIN_AGE - 3, head_age + rng.randint(-5, 4)))
            members.append(self.person(gender=other_gender, age=spouse_age, surname=self.surname(), head=False))
        for _ in range(size - 2):
            gender = rng.choice((Resident.Gender.MALE, Resident.Gender.FEMALE))
            child_age = head_age - rng.randint(22, 34)
            if child_age >= 0 and rng.random() < 0.8:
                members.append(self.person(gender=gender, age=child_age, surname=surname, head=False))
            else:
                # Another relative living with the family (a parent, a sibling).
                age = min(99, head_age + rng.randint(20, 30)) if head_age < 70 else self.age(minimum=18)
                members.append(self.person(gender=gender, age=age, surname=self.surname(), head=False))
        return members


# --- Tree --------------------------------------------------------------------


def _new_node(parent_path: str, position: int, *, name: str, level: int, numchild: int) -> Node:
    depth = len(parent_path) // Node.steplen + 1
    return Node(
        path=Node._get_path(parent_path, depth, position),
        depth=depth,
        numchild=numchild,
        name=name,
        level=level,
    )


def _saved(objs: list, what: str) -> None:
    if any(o.pk is None for o in objs):  # pragma: no cover - SQLite < 3.35 or another backend
        raise RuntimeError(f"bulk_create did not return primary keys for {what}")


def demo_reset(*, subdistrict: Node) -> None:
    """Delete the demo rows under `subdistrict`: representatives, residents,
    households and every node below the villages."""
    try:
        with transaction.atomic():
            Representative.objects.filter(path__startswith=subdistrict.path).delete()
            Resident.objects.filter(path__startswith=subdistrict.path).delete()
            Household.objects.filter(path__startswith=subdistrict.path).delete()
            # treebeard's queryset delete removes descendants and fixes numchild.
            Node.objects.filter(path__startswith=subdistrict.path, depth=subdistrict.depth + 2).delete()
    except ProtectedError as exc:
        raise DomainError(
            "demo_in_use",
            "无法重置演示数据:已有账号或业务数据引用了其中的网格、楼栋、单元或居民,请先删除它们。",
        ) from exc


def generate_demo(
    *,
    seed: int = 2023,
    subdistrict_code: str = "370303003000",
    reference_date: datetime.date | None = None,
    reset: bool = False,
    village_codes: list[str] | None = None,
) -> DemoReport:
    """Generate demo data under every village of the subdistrict (or only
    those in `village_codes`). Does nothing if grids already exist there,
    unless `reset` deletes the previous demo data first."""
    started = time.perf_counter()
    subdistrict = Node.objects.filter(code=subdistrict_code, level=Level.SUBDISTRICT).first()
    if subdistrict is None:
        raise DomainError("demo_no_subdistrict", f"没有找到代码为 {subdistrict_code} 的街道,请先运行 load_hutian。")
    below = Node.objects.filter(path__startswith=subdistrict.path, depth__gt=subdistrict.depth + 1)
    if below.exists():
        if not reset:
            return DemoReport(
                created=False, message=f"{subdistrict.label}下已有网格,未重复生成(可加 --reset 重新生成)。"
            )
        demo_reset(subdistrict=subdistrict)
    villages = list(Node.objects.filter(path__startswith=subdistrict.path, level=Level.VILLAGE).order_by("path"))
    if village_codes is not None:
        villages = [v for v in villages if v.code in set(village_codes)]
    if not villages:
        raise DomainError("demo_no_villages", f"{subdistrict.label}下没有村/社区,请先导入区划。")
    reference = reference_date or timezone.localdate()
    rng = random.Random(seed)
    taken = set(Resident.objects.values_list("id_number_index", flat=True)) if Resident.objects.exists() else set()
    people = _People(rng, reference, taken)
    report = DemoReport(created=True, message="", villages=len(villages))

    with transaction.atomic():
        # 1. The tree below the villages, paths computed in memory.
        nodes: list[Node] = []
        units: list[tuple[Node, Node, Node, Node]] = []  # (village, grid, building, unit)
        for village in villages:
            grid_count = rng.randint(2, 4)
            village.numchild = grid_count
            building_no = 0
            for g in range(1, grid_count + 1):
                building_count = rng.randint(2, 4)
                grid = _new_node(village.path, g, name=f"第{g}网格", level=Level.GRID, numchild=building_count)
                nodes.append(grid)
                for b in range(1, building_count + 1):
                    building_no += 1
                    unit_count = rng.randint(2, 3)
                    building = _new_node(
                        grid.path, b, name=f"{building_no}号楼", level=Level.BUILDING, numchild=unit_count
                    )
                    nodes.append(building)
                    for u in range(1, unit_count + 1):
                        unit = _new_node(building.path, u, name=f"{u}单元", level=Level.UNIT, numchild=0)
                        nodes.append(unit)
                        units.append((village, grid, building, unit))
        Node.objects.bulk_create(nodes, batch_size=BATCH)
        _saved(nodes, "nodes")
        Node.objects.bulk_update(villages, ["numchild"], batch_size=BATCH)
        report.grids = sum(1 for n in nodes if n.level == Level.GRID)
        report.buildings = sum(1 for n in nodes if n.level == Level.BUILDING)
        report.units = len(units)

        # 2. Households, 3–6 per unit, two flats per floor.
        households: list[Household] = []
        sizes: list[int] = []
        for village, _grid, building, unit in units:
            for i in range(rng.randint(3, 6)):
                room = f"{i // 2 + 1}{i % 2 + 1:02d}"
                address = f"{subdistrict.label}{village.label}{building.name}{unit.name}{room}室"
                households.append(Household(unit=unit, path=unit.path, room=room, address=address))
                sizes.append(rng.choices((1, 2, 3, 4), weights=(15, 35, 30, 20))[0])
        Household.objects.bulk_create(households, batch_size=BATCH)
        _saved(households, "households")
        report.households = len(households)

        # 3. Residents.
        residents: list[Resident] = []
        for household, size in zip(households, sizes, strict=True):
            for member in people.household(size):
                residents.append(Resident(household=household, path=household.path, **member))
        Resident.objects.bulk_create(residents, batch_size=BATCH)
        _saved(residents, "residents")
        report.residents = len(residents)
        report.aged_70_plus = sum(1 for r in residents if _age(r.birth_date, reference) >= 70)
        report.first_id_numbers = [r.id_number for r in residents[:20]]

        # 4. Resident representatives, 5–9 adults per village.
        adults_by_village: dict[str, list[Resident]] = {v.path: [] for v in villages}
        for r in residents:
            if _age(r.birth_date, reference) >= 18:
                adults_by_village[r.path[: len(villages[0].path)]].append(r)
        representatives: list[Representative] = []
        for village in villages:
            adults = adults_by_village[village.path]
            chosen = rng.sample(adults, min(len(adults), rng.randint(5, 9)))
            representatives.extend(
                Representative(resident=r, village=village, path=village.path, since=REPRESENTATIVES_SINCE)
                for r in chosen
            )
        Representative.objects.bulk_create(representatives, batch_size=BATCH)
        report.representatives = len(representatives)

    report.seconds = time.perf_counter() - started
    report.message = report.summary()
    return report
