"""Deterministic demo matters across the Hutian villages, in every state.

Everything goes through the services (so timelines, audit entries,
publications, feedback and notifications exist as they would in use); then
the timestamps are spread over the last ~60 days with `.update()` (created,
accepted, resolved and closed times, due dates, event times, publication
periods) and numbers are re-issued by the day reported. Finally the daily
escalation job runs once, so overdue matters are escalated.

Needs `load_hutian`, `generate_demo` and `create_demo_users` first. Does
nothing if demo matters exist (they carry `demo-<seed>-<n>` idempotency keys)."""

from __future__ import annotations

import dataclasses
import datetime
import random
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.core.errors import DomainError
from grassroots.core.models import Notification
from grassroots.core.publishing import publisher
from grassroots.core.workdays import WorkCalendar
from grassroots.regions.models import Household, Level, Node

from . import demo_data as data
from .models import (
    Category,
    Channel,
    EventKind,
    Feedback,
    Matter,
    MatterEvent,
    Rating,
    ReopenRequest,
    Urgency,
    Visit,
)
from .publishing import PLAN, RESULT
from .services import feedback as feedback_services
from .services import lifecycle
from .services.intake import MatterInput, VisitMatter, matter_create, matter_index, visit_log
from .services.rollup_rebuild import matter_rollup_rebuild
from .services.transitions import date_label
from .states import State

# A backdated publication's state (publicity's states), written with its dates.
PUBLISHED, ENDED = "published", "ended"

DEMO_KEY_PREFIX = "demo-"
SPAN_DAYS = 60
DEMO_USERS = ("grid", "village", "community", "street")
STATE_LABELS = dict(State.choices)


@dataclass(frozen=True)
class PlannedMatter:
    index: int
    village: str  # path
    node: str  # path
    category: str
    title: str
    description: str
    result: str
    channel: str
    age_days: float
    state: str
    urgency: str
    collective: bool
    anonymous: bool
    rating: str = ""
    merge_into: int | None = None  # index of an earlier planned matter
    joint_meeting: bool = False
    resident_pick: int = 0


@dataclass
class DemoMattersReport:
    created: bool
    message: str
    total: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    escalated: int = 0
    collective: int = 0
    publications: int = 0
    feedback: int = 0
    reopen_requests: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        if not self.created:
            return self.message
        states = ",".join(f"{STATE_LABELS[s]} {n}" for s, n in self.by_state.items() if n)
        return (
            f"已生成演示事项 {self.total} 件({states});逾期 {self.overdue} 件,升级督办 {self.escalated} 件;"
            f"涉及集体利益 {self.collective} 件,公示 {self.publications} 条;群众评价 {self.feedback} 条,"
            f"待答复的重新办理申请 {self.reopen_requests} 件;用时 {self.seconds:.1f} 秒。"
        )


# --- The plan (pure: the same seed and tree give the same plan) -----------------


def _state_for(rng: random.Random, age: float, collective: bool) -> str:
    roll = rng.random()
    if roll < 0.04:
        return State.REJECTED
    if roll < 0.08:
        return State.MERGED
    if age < 2:
        options = [(State.REPORTED, 55), (State.ACCEPTED, 30), (State.HANDLING, 15)]
    elif age < 10:
        options = [
            (State.REPORTED, 5),
            (State.ACCEPTED, 8),
            (State.HANDLING, 45),
            (State.RESOLVED, 27),
            (State.CLOSED, 15),
        ]
    elif age < 30:
        options = [(State.ACCEPTED, 3), (State.HANDLING, 17), (State.RESOLVED, 20), (State.CLOSED, 60)]
    else:
        options = [(State.HANDLING, 6), (State.RESOLVED, 6), (State.CLOSED, 88)]
    if collective and age >= 2 and rng.random() < 0.25:
        return State.DELIBERATING
    states, weights = zip(*options, strict=True)
    return str(rng.choices(states, weights=weights)[0])


def demo_plan(*, seed: int, villages: list[tuple[str, str, list[str]]], count: int) -> list[PlannedMatter]:
    """`villages`: (path, label, unit paths) in path order. Older matters come first."""
    rng = random.Random(seed)
    codes = sorted(data.TEMPLATES)
    weights = [data.WEIGHTS.get(code, data.DEFAULT_WEIGHT) for code in codes]
    # The villages with demo staff (西张村, 店子社区) get more matters.
    village_weights = [4 if label in ("西张村", "店子社区") else 1 for _path, label, _units in villages]
    ages = sorted((rng.uniform(0, SPAN_DAYS) for _ in range(count)), reverse=True)
    plans: list[PlannedMatter] = []
    for index, age in enumerate(ages):
        village_path, label, units = rng.choices(villages, weights=village_weights)[0]
        roll = rng.random()
        node = village_path if roll < 0.08 else (units[rng.randrange(len(units))] if units else village_path)
        code = rng.choices(codes, weights=weights)[0]
        title, description, result = rng.choice(data.TEMPLATES[code])
        values = {
            "v": label,
            "b": rng.randint(1, 12),
            "u": rng.randint(1, 3),
            "r": rng.choice(["101", "202", "301", "502"]),
        }
        collective = code in data.COLLECTIVE
        state = _state_for(rng, age, collective)
        merge_into = None
        if state == State.MERGED:
            targets = [
                p
                for p in plans
                if p.village == village_path and p.state in (State.REPORTED, State.ACCEPTED, State.HANDLING)
            ]
            if targets:
                target = rng.choice(targets)
                merge_into = target.index
                code, title, description = target.category, target.title + ",还是没人管", target.description
                values = {}
            else:
                state = State.REPORTED
        channel = rng.choices(
            [Channel.WEB, Channel.WECHAT, Channel.VISIT, Channel.HOTLINE, Channel.WALK_IN], weights=[35, 20, 20, 15, 10]
        )[0]
        rating = ""
        if state in (State.RESOLVED, State.CLOSED) and rng.random() < 0.6:
            rating = rng.choices([Rating.SATISFIED, Rating.BASICALLY, Rating.UNSATISFIED], weights=[70, 22, 8])[0]
        plans.append(
            PlannedMatter(
                index=index,
                village=village_path,
                node=node,
                category=code,
                title=title.format(**values) if values else title,
                description=description.format(**values) if values else description,
                result=result,
                channel=str(channel),
                age_days=round(age, 4),
                state=state,
                urgency=rng.choices([Urgency.NORMAL, Urgency.URGENT, Urgency.CRITICAL], weights=[85, 12, 3])[0],
                collective=collective,
                anonymous=channel == Channel.WEB and rng.random() < 0.15,
                rating=str(rating),
                merge_into=merge_into,
                joint_meeting=state == State.HANDLING and collective and rng.random() < 0.5,
                resident_pick=rng.randrange(1000),
            )
        )
    return _with_deliberations(plans, minimum=max(2, count // 50))


def _with_deliberations(plans: list[PlannedMatter], *, minimum: int) -> list[PlannedMatter]:
    """Deliberation is rare by chance; make sure the demo shows a few, taken
    from matters in handling (collective ones first)."""
    have = sum(1 for p in plans if p.state == State.DELIBERATING)
    candidates = sorted(
        (p for p in plans if p.state == State.HANDLING and p.age_days >= 2),
        key=lambda p: (not p.collective, p.index),
    )
    chosen = {p.index for p in candidates[: max(0, minimum - have)]}
    return [
        dataclasses.replace(p, state=State.DELIBERATING, joint_meeting=False) if p.index in chosen else p for p in plans
    ]


# --- Running the plan --------------------------------------------------------------


@dataclass
class _Context:
    subdistrict: Node
    users: dict[str, User]
    grid_path: str
    villages: dict[str, Node]
    categories: dict[str, Category]
    households: dict[str, list[Household]]
    created: dict[int, Matter] = field(default_factory=dict)


def _handler(ctx: _Context, plan: PlannedMatter) -> User:
    label = ctx.villages[plan.village].label
    if label == "西张村":
        return ctx.users["village"]
    if label == "店子社区":
        return ctx.users["community"]
    return ctx.users["street"]


def _assignee(ctx: _Context, plan: PlannedMatter) -> User:
    if plan.node.startswith(ctx.grid_path):
        return ctx.users["grid"]
    return _handler(ctx, plan)


def _create(ctx: _Context, plan: PlannedMatter, seed: int) -> Matter:
    node = Node.objects.get(path=plan.node)
    households = ctx.households.get(plan.node, [])
    household = households[plan.resident_pick % len(households)] if households else None
    resident = None
    if household is not None:
        # Adults with a phone report; children do not.
        residents = [r for r in household.residents.order_by("pk") if r.phone]
        resident = residents[plan.resident_pick % len(residents)] if residents else None
    key = f"{DEMO_KEY_PREFIX}{seed}-{plan.index:04d}"
    handler = _handler(ctx, plan)
    if plan.channel == Channel.VISIT and household is not None and plan.node.startswith(ctx.grid_path):
        visit = visit_log(
            actor=ctx.users["grid"],
            household=household,
            notes=data.VISIT_NOTES[plan.resident_pick % len(data.VISIT_NOTES)],
            matters=[VisitMatter(title=plan.title, description=plan.description, urgency=plan.urgency)],
        )
        matter = visit.matters.get()
        Matter.objects.filter(pk=matter.pk).update(idempotency_key=key)
        return matter
    channel = Channel.HOTLINE if plan.channel == Channel.VISIT else plan.channel
    detail: dict[str, Any] = {}
    if channel == Channel.WECHAT:
        detail = {
            "group": f"{ctx.villages[plan.village].label}居民交流群",
            "sender": data.WECHAT_NICKNAMES[plan.resident_pick % len(data.WECHAT_NICKNAMES)],
            "original": f"@网格员 {plan.description}",
        }
    elif channel == Channel.HOTLINE:
        detail = {"hotline": "12345 政务服务便民热线转办"}
    matter, _ = matter_create(
        data=MatterInput(
            node=node,
            title=plan.title,
            description=plan.description,
            channel=channel,
            location=household.address if household else "",
            reporter_resident=None if plan.anonymous else resident,
            reporter_name="" if plan.anonymous or resident is None else resident.name,
            reporter_phone=resident.phone if resident else f"1390533{plan.resident_pick:04d}",
            anonymous=plan.anonymous,
            # About three in five reporters agree to a public listing (ADR 0018);
            # derived from the plan, so the random stream (and the demo) stays the same.
            public_consent=plan.resident_pick % 5 < 3,
            urgency=plan.urgency,
            channel_detail=detail,
        ),
        actor=None if channel == Channel.WEB else handler,
        idempotency_key=key,
    )
    return matter


def _publish(ctx: _Context, matter: Matter, kind: str, actor: User) -> None:
    label = "理事方案" if kind == PLAN else "理事结果"
    content = matter.handling_plan if kind == PLAN else matter.result
    today = timezone.localdate()
    publisher().publish(
        actor=actor,
        matter=matter,
        kind=kind,
        title=f"关于“{matter.title}”的{label}公示"[:100],
        content=content or label,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=7),
        channels=["notice", "wechat", "led"] if kind == RESULT else ["notice", "wechat"],
    )


def _advance(ctx: _Context, plan: PlannedMatter, matter: Matter, rng: random.Random) -> None:
    handler = _handler(ctx, plan)
    target = plan.state
    if target == State.REPORTED:
        return
    if target == State.REJECTED:
        lifecycle.matter_reject(actor=handler, matter=matter, reason=rng.choice(data.REJECT_REASONS))
        return
    if target == State.MERGED:
        assert plan.merge_into is not None
        lifecycle.matter_merge(actor=handler, matter=matter, into=ctx.created[plan.merge_into])
        return
    lifecycle.matter_accept(
        actor=handler, matter=matter, category=ctx.categories[plan.category], touches_collective=plan.collective
    )
    if target == State.ACCEPTED:
        return
    if target == State.DELIBERATING:
        lifecycle.matter_deliberation_start(actor=handler, matter=matter)
        return
    lifecycle.matter_assign(actor=handler, matter=matter, assignee=_assignee(ctx, plan), plan=rng.choice(data.PLANS))
    if plan.collective:
        _publish(ctx, matter, PLAN, handler)
    if plan.joint_meeting:
        lifecycle.matter_request_joint_meeting(
            actor=ctx.users["street"], matter=matter, reason="涉及村集体利益和多个部门,提请街道联席会议研究。"
        )
    if target == State.HANDLING:
        if rng.random() < 0.3:
            lifecycle.matter_add_note(actor=handler, matter=matter, text="已联系反映人,约定时间上门查看。", public=True)
        return
    lifecycle.matter_resolve(actor=_assignee(ctx, plan), matter=matter, result=plan.result)
    if plan.collective:
        _publish(ctx, matter, RESULT, handler)
    if target == State.CLOSED:
        lifecycle.matter_close(actor=handler, matter=matter)
    if plan.rating:
        comments = data.UNSATISFIED_COMMENTS if plan.rating == Rating.UNSATISFIED else data.GOOD_COMMENTS
        feedback_services.matter_feedback_submit(matter=matter, rating=plan.rating, comment=rng.choice(comments))


# --- Spreading the timestamps -------------------------------------------------------


def _backdate(
    matter: Matter,
    plan: PlannedMatter,
    rng: random.Random,
    calendar: WorkCalendar,
    *,
    now: datetime.datetime,
    created_times: dict[int, datetime.datetime],
) -> None:
    created = created_times[matter.pk]
    events = list(MatterEvent.objects.filter(matter=matter).order_by("id"))
    times: dict[int, datetime.datetime] = {}
    current = created
    accepted_at = resolved_at = closed_at = None
    for event in events:
        if event.kind == EventKind.CREATED:
            current = created
        elif event.kind == EventKind.TRANSITION and event.action == "resolve":
            # Most matters are resolved within their deadline, some late.
            allowed = (matter.deadline_days or 5) * 1.4
            current = current + datetime.timedelta(
                days=rng.uniform(0.3, allowed * (1.6 if rng.random() < 0.2 else 0.9))
            )
        elif event.kind == EventKind.TRANSITION and event.action == "close":
            current = current + datetime.timedelta(days=rng.uniform(0.5, 4))
        elif event.kind == EventKind.MERGED_IN:
            # Not before the matter that was merged in had been reported.
            merged_at = created_times.get(event.data.get("merged"), current)
            current = max(current, merged_at) + datetime.timedelta(hours=rng.uniform(0.5, 6))
        else:
            current = current + datetime.timedelta(hours=rng.uniform(0.3, 20))
        # Keep everything in the past and in order; squeeze when the matter is young.
        latest = now - datetime.timedelta(minutes=5 * (len(events) - len(times)))
        current = min(current, latest)
        if times and current <= max(times.values()):
            current = max(times.values()) + datetime.timedelta(minutes=1)
        times[event.pk] = current
        if event.action == "accept":
            accepted_at = current
        elif event.action == "resolve":
            resolved_at = current
        elif event.action == "close":
            closed_at = current
    for pk, when in times.items():
        MatterEvent.objects.filter(pk=pk).update(created_at=when)
        Notification.objects.filter(dedupe_key__startswith=f"matter:{matter.pk}:event:{pk}:").update(
            created_at=when, updated_at=when
        )
    updates: dict[str, Any] = {"created_at": created, "updated_at": max(times.values(), default=created)}
    if accepted_at is not None and matter.accepted_at is not None:
        updates["accepted_at"] = accepted_at
        if matter.deadline_days and matter.state != State.DELIBERATING:
            info = calendar.deadline_after(timezone.localdate(accepted_at), matter.deadline_days)
            updates["due_date"], updates["due_provisional"] = info.due, info.provisional
            if matter.due_date and info.due != matter.due_date:
                # The accept event states the deadline computed on the real
                # day; restate it for the back-dated acceptance.
                for event in events:
                    if event.action == "accept":
                        text = event.text.replace(date_label(matter.due_date), date_label(info.due))
                        MatterEvent.objects.filter(pk=event.pk).update(text=text)
    if resolved_at is not None and matter.resolved_at is not None:
        updates["resolved_at"] = resolved_at
    if closed_at is not None and matter.closed_at is not None:
        updates["closed_at"] = closed_at
    if matter.joint_meeting_requested_at is not None:
        joint = [e for e in events if e.kind == EventKind.JOINT_MEETING]
        if joint:
            updates["joint_meeting_requested_at"] = times[joint[0].pk]
    Matter.objects.filter(pk=matter.pk).update(**updates)
    for event in events:
        when = times[event.pk]
        if event.kind == EventKind.PUBLISHED:
            start = timezone.localdate(when)
            end = start + datetime.timedelta(days=7)
            matter.publications.filter(pk=event.data.get("publication")).update(
                created_at=when,
                published_at=when,
                starts_on=start,
                ends_on=end,
                state=ENDED if end < timezone.localdate() else PUBLISHED,
                ended_at=when + datetime.timedelta(days=8) if end < timezone.localdate() else None,
            )
        elif event.kind == EventKind.FEEDBACK:
            Feedback.objects.filter(matter=matter).update(created_at=when)
        elif event.kind == EventKind.REOPEN_REQUESTED:
            ReopenRequest.objects.filter(pk=event.data.get("reopen_request")).update(created_at=when)
    if matter.visit_id:
        Visit.objects.filter(pk=matter.visit_id).update(visited_at=created)


def _renumber(pks: list[int]) -> None:
    """Numbers follow the day reported, in order, after any existing ones."""
    rows = list(Matter.objects.filter(pk__in=pks).order_by("created_at", "pk").values_list("pk", "created_at"))
    for pk, _created in rows:
        Matter.objects.filter(pk=pk).update(number=f"TMP-{pk}")
    taken = set(Matter.objects.exclude(pk__in=pks).values_list("number", flat=True))
    sequence: dict[str, int] = {}
    for pk, created in rows:
        prefix = f"SX{timezone.localdate(created):%Y%m%d}"
        n = sequence.get(prefix, 0) + 1
        while f"{prefix}-{n:04d}" in taken:
            n += 1
        sequence[prefix] = n
        Matter.objects.filter(pk=pk).update(number=f"{prefix}-{n:04d}")


# --- Entry point ---------------------------------------------------------------------


def _context(subdistrict_code: str) -> _Context:
    subdistrict = Node.objects.filter(code=subdistrict_code, level=Level.SUBDISTRICT).first()
    if subdistrict is None:
        raise DomainError("demo_no_subdistrict", "没有找到湖田街道,请先运行 load_hutian 和 generate_demo。")
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERS).select_related("jurisdiction")}
    missing = [name for name in DEMO_USERS if name not in users]
    if missing:
        raise DomainError("demo_users_missing", "缺少演示账号(" + "、".join(missing) + "),请先运行 create_demo_users。")
    grid = users["grid"].jurisdiction
    if grid is None:
        raise DomainError("demo_users_missing", "演示网格员账号没有辖区,请重新运行 create_demo_users。")
    categories = {c.code: c for c in Category.objects.filter(code__in=list(data.TEMPLATES))}
    if len(categories) < len(data.TEMPLATES):
        raise DomainError("demo_no_categories", "事项分类尚未初始化,请先运行 migrate。")
    villages = {
        v.path: v for v in Node.objects.filter(path__startswith=subdistrict.path, level=Level.VILLAGE).order_by("path")
    }
    households: dict[str, list[Household]] = {}
    for household in Household.objects.filter(path__startswith=subdistrict.path).select_related("unit").order_by("pk"):
        households.setdefault(household.path, []).append(household)
    return _Context(
        subdistrict=subdistrict,
        users=users,
        grid_path=grid.path,
        villages=villages,
        categories=categories,
        households=households,
    )


def generate_demo_matters(
    *, seed: int = 2023, count: int = 300, subdistrict_code: str = "370303003000"
) -> DemoMattersReport:
    started = time.perf_counter()
    if Matter.objects.filter(idempotency_key__startswith=DEMO_KEY_PREFIX).exists():
        return DemoMattersReport(created=False, message="已有演示事项,未重复生成。")
    ctx = _context(subdistrict_code)
    unit_paths: dict[str, list[str]] = {path: [] for path in ctx.villages}
    for path in (
        Node.objects.filter(path__startswith=ctx.subdistrict.path, level=Level.UNIT)
        .order_by("path")
        .values_list("path", flat=True)
    ):
        for village_path in unit_paths:
            if path.startswith(village_path):
                unit_paths[village_path].append(path)
    villages = [(path, node.label, unit_paths[path]) for path, node in ctx.villages.items() if unit_paths[path]]
    if not villages:
        raise DomainError("demo_no_units", "村/社区下还没有楼栋和单元,请先运行 generate_demo。")
    plans = demo_plan(seed=seed, villages=villages, count=count)
    rng = random.Random(seed + 1)
    calendar = WorkCalendar()
    with transaction.atomic():
        for plan in plans:
            matter = _create(ctx, plan, seed)
            ctx.created[plan.index] = matter
            _advance(ctx, plan, matter, rng)
        now = timezone.now()
        created_times = {ctx.created[plan.index].pk: now - datetime.timedelta(days=plan.age_days) for plan in plans}
        for plan in plans:
            matter = Matter.objects.get(pk=ctx.created[plan.index].pk)
            _backdate(matter, plan, rng, calendar, now=now, created_times=created_times)
        pks = [m.pk for m in ctx.created.values()]
        _renumber(pks)
    # After commit: the escalation job as it runs each morning, and the
    # search index with the final numbers and texts.
    escalated = lifecycle.matters_escalate_overdue()
    # The demo backdated its matters and their timelines behind the rollup's
    # back: recompute it, with the late counts of the last 60 days (ADR 0047).
    matter_rollup_rebuild(history_days=60)
    for matter in Matter.objects.filter(pk__in=pks):
        matter_index(matter)
    matters = Matter.objects.filter(pk__in=pks)
    today = timezone.localdate()
    report = DemoMattersReport(
        created=True,
        message="",
        total=len(pks),
        by_state={s: matters.filter(state=s).count() for s in State.values},
        overdue=matters.filter(state__in=[State.ACCEPTED, State.HANDLING], due_date__lt=today).count(),
        escalated=escalated,
        collective=matters.filter(touches_collective=True).count(),
        publications=matters.aggregate(n=Count("publications"))["n"],
        feedback=Feedback.objects.filter(matter__in=pks).count(),
        reopen_requests=ReopenRequest.objects.filter(matter__in=pks, status=ReopenRequest.Status.OPEN).count(),
    )
    report.seconds = time.perf_counter() - started
    report.message = report.summary()
    return report
