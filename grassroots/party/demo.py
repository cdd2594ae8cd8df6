"""Demo data of party building (after generate_demo and create_demo_users):
a 党支部 in every village/community and a 联村党委 over the first three
villages; members from each village's adult residents (a secretary, a
deputy, committee members) and the demo staff accounts; 结对帮扶 pairs with
households and their visits over the last two months, and one stronger
branch paired with a weaker one; four 专题培训 sessions over the last three
months with attendance; last month's 红黄榜 computed and published.
Everything goes through the services. Deterministic; idempotent: does
nothing when branches exist."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.core.actors import SYSTEM
from grassroots.core.errors import DomainError
from grassroots.regions.models import Level, Node, Resident

from .models import Branch, BranchKind, Member, Post
from .services.board import board_compute, board_publish
from .services.organisation import MemberInput, branch_create, member_add
from .services.pairs import pair_branches, pair_household, pair_visit_record
from .services.training import TrainingInput, training_create, training_record_manual

MEMBERS_PER_VILLAGE = 12
PAIRS_PER_VILLAGE = 3
POSTS = (Post.SECRETARY, Post.DEPUTY, Post.ORGANISATION, Post.PUBLICITY, Post.DISCIPLINE, Post.WORKER)
DIFFICULTIES = ("独居老人,行动不便", "低保户,子女在外", "因病致贫", "残疾人家庭", "留守儿童家庭")
VISIT_NOTES = (
    "上门走访,了解近期生活情况",
    "帮助打扫卫生、检查用电安全",
    "代办医保报销材料",
    "送去米面油",
    "陪同就医复查",
)
TRAININGS = (
    ("学习贯彻党的二十届四中全会精神专题培训", "all", 3.0),
    ("基层党务工作者业务能力提升培训", "workers", 2.0),
    ("党员教育管理“红黄榜”积分规则解读", "members", 1.5),
    ("“四议两公开”工作法专题培训", "all", 2.0),
)


@dataclass
class DemoReport:
    created: bool
    message: str = ""
    branches: int = 0
    members: int = 0
    pairs: int = 0
    visits: int = 0
    trainings: int = 0
    attendances: int = 0

    def summary(self) -> str:
        if not self.created:
            return self.message
        return (
            f"已生成党组织 {self.branches} 个、党员 {self.members} 名、结对 {self.pairs} 对(记录 {self.visits} 次)、"
            f"专题培训 {self.trainings} 场(签到 {self.attendances} 人次),并发布上月红黄榜。"
        )


def _members(rng: random.Random, branch: Branch, village: Node, cutoff: datetime.date) -> list[Member]:
    adults = list(Resident.objects.filter(path__startswith=village.path, birth_date__lte=cutoff).order_by("id")[:400])
    chosen = rng.sample(adults, min(MEMBERS_PER_VILLAGE, len(adults))) if adults else []
    members = []
    for n, resident in enumerate(chosen):
        post = POSTS[n] if n < len(POSTS) else Post.NONE
        joined = datetime.date(rng.randint(1975, 2024), rng.randint(1, 12), 1)
        members.append(
            member_add(actor=SYSTEM, branch=branch, data=MemberInput(post=post, resident=resident, joined_on=joined))
        )
    for user in User.objects.filter(jurisdiction__path__startswith=village.path, is_active=True).order_by("id"):
        members.append(member_add(actor=SYSTEM, branch=branch, data=MemberInput(post=Post.COMMITTEE, user=user)))
    return members


def generate_demo_party(*, subdistrict_code: str = "370303003000", seed: int = 15) -> DemoReport:
    subdistrict = Node.objects.filter(code=subdistrict_code, level=Level.SUBDISTRICT).first()
    if subdistrict is None:
        raise DomainError("demo_no_subdistrict", f"没有找到代码为 {subdistrict_code} 的街道,请先运行 load_hutian。")
    if Branch.objects.filter(path__startswith=subdistrict.path).exists():
        return DemoReport(created=False, message=f"{subdistrict.label}已有党组织,未重复生成。")
    rng = random.Random(seed)
    report = DemoReport(created=True)
    today = timezone.localdate()
    cutoff = today.replace(year=today.year - 18)
    villages = list(Node.objects.filter(path__startswith=subdistrict.path, level=Level.VILLAGE).order_by("path"))
    with transaction.atomic():
        branches: list[Branch] = []
        all_members: list[Member] = []
        for village in villages:
            branch = branch_create(actor=SYSTEM, name=f"{village.label}党支部", kind=BranchKind.BRANCH, node=village)
            branches.append(branch)
            members = _members(rng, branch, village, cutoff)
            all_members.extend(members)
            for member in [m for m in members if m.resident is not None][:PAIRS_PER_VILLAGE]:
                own = member.resident.household_id if member.resident else 0
                households = Resident.objects.filter(path__startswith=village.path).exclude(household_id=own)
                target = households.order_by("-birth_date" if rng.random() < 0.3 else "birth_date").first()
                if target is None:
                    continue
                pair = pair_household(
                    actor=SYSTEM,
                    member=member,
                    household=target.household,
                    difficulty=rng.choice(DIFFICULTIES),
                    started_on=today - datetime.timedelta(days=rng.randint(70, 400)),
                )
                report.pairs += 1
                for _ in range(rng.randint(2, 4)):
                    pair_visit_record(
                        actor=SYSTEM,
                        pair=pair,
                        kind=rng.choice(("visit", "help")),
                        visited_on=today - datetime.timedelta(days=rng.randint(0, 58)),
                        note=rng.choice(VISIT_NOTES),
                    )
                    report.visits += 1
        if len(villages) >= 3:
            branch_create(
                actor=SYSTEM,
                name=f"{subdistrict.label}联村党委",
                kind=BranchKind.JOINT,
                node=subdistrict,
                villages=villages[:3],
            )
        if len(branches) >= 2:
            pair_branches(
                actor=SYSTEM,
                branch=branches[0],
                partner=branches[-1],
                difficulty="集体经济薄弱,党员年龄偏大",
                started_on=today - datetime.timedelta(days=200),
            )
            report.pairs += 1
        zone = timezone.get_current_timezone()
        for n, (title, audience, hours) in enumerate(TRAININGS):
            day = today - datetime.timedelta(days=12 + 25 * n)
            training = training_create(
                actor=SYSTEM,
                data=TrainingInput(
                    title=title,
                    audience=audience,
                    node=subdistrict,
                    hours=Decimal(str(hours)),
                    starts_at=datetime.datetime.combine(day, datetime.time(14, 30), tzinfo=zone),
                    location="街道党群服务中心",
                ),
            )
            report.trainings += 1
            for member in all_members:
                if rng.random() < 0.7:
                    training_record_manual(actor=SYSTEM, training=training, member=member)
                    report.attendances += 1
        report.branches = Branch.objects.filter(path__startswith=subdistrict.path).count()
        report.members = len(all_members)
        last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        board_publish(actor=SYSTEM, board=board_compute(actor=SYSTEM, subdistrict=subdistrict, month=last_month))
    return report
