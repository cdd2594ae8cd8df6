"""Deterministic demo data for the mediation centre: committees, extra
mediators and legal advisers, an adviser for every grid, about 60 dispute
cases over the last year across the three sources, seven types, the villages
and every state (with sessions, agreements, judicial confirmations and
follow-up visits), and legal consultations.

Runs after `load_hutian`, `generate_demo` and `create_demo_users` (the demo
users `street`, `mediator` and `lawyer` must exist). Idempotent: committees,
users and grid assignments are looked up first; a case is skipped when one
with the same title, place and registration date exists; a consultation when
one with the same grid, date and topic exists. Rows are written directly
(not through the services) so that their dates can lie in the past; states,
outcomes and events are consistent with the state table."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.regions.models import Level, Node, Resident

from .demo_cases import CaseBuilder, build_case, org_party, person
from .demo_data import (
    CONSULTATION_TOPICS,
    DISPUTES,
    EXTRA_ADVISERS,
    EXTRA_MEDIATORS,
    ORG_NAMES,
    SOURCE_CYCLE,
    VILLAGE_COMMITTEES,
)
from .models import (
    Committee,
    Consultation,
    ConsultationTopic,
    DisputeCase,
    GridAdviser,
    PartyKind,
    PartySide,
)
from .states import State

CASES = 60
CONSULTATIONS_PER_GRID = (0, 3)


@dataclass
class MediationDemoReport:
    created_cases: int = 0
    skipped_cases: int = 0
    consultations: int = 0
    grid_assignments: int = 0
    states: dict[str, int] = field(default_factory=dict)

    @property
    def created(self) -> bool:
        return bool(self.created_cases or self.consultations or self.grid_assignments)

    def summary(self) -> str:
        states = "、".join(f"{State(k).label} {v}" for k, v in sorted(self.states.items()))
        return (
            f"调解演示数据:新建案件 {self.created_cases} 件(已存在 {self.skipped_cases} 件),"
            f"网格法律顾问 {self.grid_assignments} 个,法律咨询 {self.consultations} 条。{states}"
        )


def _user(username: str, display_name: str, role: str, node: Node) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"role": role, "display_name": display_name, "jurisdiction": node}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _pick_state(rng: random.Random, age: int) -> str:
    if age <= 7:
        table = [(State.REGISTERED, 5), (State.ACCEPTED, 3), (State.MEDIATING, 2)]
    elif age <= 40:
        table = [
            (State.ACCEPTED, 1),
            (State.MEDIATING, 5),
            (State.AGREED, 2),
            (State.FAILED, 1),
            (State.FOLLOWING_UP, 1),
            (State.DECLINED, 1),
        ]
    else:
        table = [
            (State.CLOSED, 8),
            (State.FOLLOWING_UP, 3),
            (State.AGREED, 1),
            (State.FAILED, 2),
            (State.DECLINED, 1),
        ]
        if age <= 60:
            table.append((State.MEDIATING, 3))  # a few cases past their 30 days (overdue warnings)
    states, weights = zip(*table, strict=True)
    return str(rng.choices(states, weights=weights)[0])


def generate_demo_mediation(
    *, seed: int = 2023, subdistrict_code: str = "370303003000", reference_date: datetime.date | None = None
) -> MediationDemoReport:
    rng = random.Random(seed)
    reference = reference_date or timezone.localdate()
    subdistrict = Node.objects.filter(code=subdistrict_code).first()
    if subdistrict is None:
        raise LookupError("没有找到湖田街道,请先运行 load_hutian。")
    users = {u.username: u for u in User.objects.filter(username__in=["street", "mediator", "lawyer"])}
    if len(users) < 3:
        raise LookupError("缺少演示账号 street、mediator 或 lawyer,请先运行 create_demo_users。")
    villages = list(Node.objects.filter(path__startswith=subdistrict.path, level=Level.VILLAGE).order_by("path"))
    grids = list(Node.objects.filter(path__startswith=subdistrict.path, level=Level.GRID).order_by("path"))
    if not grids:
        raise LookupError("没有网格,请先运行 generate_demo。")
    report = MediationDemoReport()
    with transaction.atomic():
        mediators = [users["mediator"]] + [_user(u, n, Role.MEDIATOR, subdistrict) for u, n in EXTRA_MEDIATORS]
        advisers = [users["lawyer"]] + [_user(u, n, Role.LEGAL_ADVISER, subdistrict) for u, n in EXTRA_ADVISERS]
        committee, _ = Committee.objects.get_or_create(name="湖田街道人民调解委员会", defaults={"node": subdistrict})
        for village in villages:
            if village.label in VILLAGE_COMMITTEES:
                Committee.objects.get_or_create(name=f"{village.label}人民调解委员会", defaults={"node": village})
        committees = {c.path: c for c in Committee.objects.filter(active=True)}
        since = reference - datetime.timedelta(days=330)
        taken = set(GridAdviser.objects.filter(until__isnull=True).values_list("grid_id", flat=True))
        for index, grid in enumerate(grids):
            if grid.pk in taken:
                continue
            # Demo user `lawyer` serves the first village's grids (西张村 in Hutian) and every third grid.
            adviser = (
                users["lawyer"] if grid.path.startswith(villages[0].path) or index % 3 == 0 else advisers[1 + index % 2]
            )
            GridAdviser.objects.create(grid=grid, adviser=adviser, since=since)
            report.grid_assignments += 1
        adviser_of = {ga.grid_id: ga.adviser for ga in GridAdviser.objects.filter(until__isnull=True)}
        staff = {"street": users["street"]}
        residents_by_grid: dict[int, list[Resident]] = {}

        def residents_of(grid: Node) -> list[Resident]:
            return residents_by_grid.setdefault(
                grid.pk, list(Resident.objects.filter(path__startswith=grid.path).order_by("id")[:12])
            )

        # Each case draws from its own generator, so that a case's plan does
        # not depend on which earlier cases already exist (idempotent re-runs).
        plans = [_plan(random.Random(f"{seed}-{i}"), i, reference, grids) for i in range(CASES)]
        for i, plan in enumerate(plans):
            plan.parties = _parties(plan.rng, plan.kind, i, residents_of(plan.grid), None)
        for i, plan in enumerate(plans):
            if i % 10 == 9:
                # Every tenth case repeats the place and applicant of an earlier one (重复纠纷).
                earlier = plans[i - 7]
                plan.grid = earlier.grid
                plan.parties = [
                    earlier.parties[0],
                    *_parties(plan.rng, plan.kind, i, residents_of(plan.grid), None)[1:],
                ]
        builder = CaseBuilder(rng, reference, staff)
        for i, plan in enumerate(plans):
            if DisputeCase.objects.filter(title=plan.title, node=plan.grid, registered_on=plan.registered).exists():
                report.skipped_cases += 1
                continue
            builder.rng = plan.rng
            case = build_case(
                builder,
                number_year=plan.registered.year,
                title=plan.title,
                facts=plan.facts,
                kind=plan.kind,
                source=plan.source,
                registered=plan.registered,
                grid=plan.grid,
                state=plan.state,
                parties=plan.parties,
                committee=committees.get(plan.grid.path[: Level.VILLAGE * Node.steplen], committee),
                mediators=mediators,
                adviser=adviser_of.get(plan.grid.pk, users["lawyer"]),
                index=i,
            )
            report.created_cases += 1
            report.states[case.state] = report.states.get(case.state, 0) + 1
        builder.flush_event_times()
        report.consultations = _consultations(seed, reference, adviser_of, grids)
    return report


@dataclass
class _Plan:
    rng: random.Random
    kind: str
    title: str
    facts: str
    source: str
    registered: datetime.date
    grid: Node
    state: str
    parties: list[dict[str, Any]] = field(default_factory=list)


def _plan(rng: random.Random, i: int, reference: datetime.date, grids: list[Node]) -> _Plan:
    types = list(DISPUTES)
    kind = types[i % len(types)]
    title, facts = DISPUTES[kind][(i // len(types)) % len(DISPUTES[kind])]
    # Spread over the year, with a quarter of the cases in the last two months.
    age = 2 + (i * 6) % 360 if i % 4 else rng.randrange(2, 60)
    if i == 1:
        # One case whose mediation period ends within days (the queue's "due soon" warning).
        return _Plan(
            rng,
            kind,
            title,
            facts,
            SOURCE_CYCLE[1],
            reference - datetime.timedelta(days=27),
            grids[7 % len(grids)],
            State.MEDIATING,
        )
    return _Plan(
        rng=rng,
        kind=kind,
        title=title,
        facts=facts,
        source=SOURCE_CYCLE[i % len(SOURCE_CYCLE)],
        registered=reference - datetime.timedelta(days=age),
        # A stride coprime with Hutian's 66 grids: every case at a different grid
        # (repeats at one place are made on purpose, see below).
        grid=grids[(i * 7) % len(grids)],
        state=_pick_state(rng, age),
    )


def _parties(
    rng: random.Random, kind: str, index: int, residents: list[Resident], applicant: dict[str, Any] | None
) -> list[dict[str, Any]]:
    pool = list(residents)
    rng.shuffle(pool)
    first = applicant or (person(pool[0]) if pool else {"kind": PartyKind.PERSON, "name": "王某某"})
    first = {**first, "side": PartySide.APPLICANT}
    if kind in ORG_NAMES and index % 2 == 0:
        second = {**org_party(rng, kind, index), "side": PartySide.RESPONDENT}
    else:
        other = next((r for r in pool if r.name != first["name"]), None)
        second = {
            **(person(other) if other else {"kind": PartyKind.PERSON, "name": "李某某"}),
            "side": PartySide.RESPONDENT,
        }
    return [first, second]


def _consultations(seed: int, reference: datetime.date, adviser_of: dict[int, User], grids: list[Node]) -> int:
    created = 0
    surnames = "王张李刘孙赵陈杨徐马高于"
    for grid in grids:
        adviser = adviser_of.get(grid.pk)
        if adviser is None:
            continue
        rng = random.Random(f"{seed}-consultations-{grid.path}")
        for _ in range(rng.randrange(*CONSULTATIONS_PER_GRID)):
            category, topic = rng.choice(CONSULTATION_TOPICS)
            day = reference - datetime.timedelta(days=rng.randrange(0, 90))
            asker = rng.choice(surnames) + rng.choice("秀建国志玉明淑华") + rng.choice("兰英军强芳华")
            if Consultation.objects.filter(grid=grid, consulted_on=day, topic=topic).exists():
                continue
            Consultation.objects.create(
                grid=grid,
                adviser=adviser,
                consulted_on=day,
                category=ConsultationTopic(category),
                topic=topic,
                asker_name=asker,
                advice="已告知相关法律规定和维权途径,建议先行协商,协商不成可申请人民调解或依法起诉。",
            )
            created += 1
    return created
