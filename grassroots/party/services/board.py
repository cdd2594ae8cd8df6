"""The 红黄榜 of party-member education management: the subdistrict's points
rule (each change a new version) and the monthly computation per member and
per branch, each entry with the breakdown of its points (ADR 0043).

A member's terms in a month: training hours signed in, visits and help
records of their 结对帮扶 pairs, activities attended (through the provider
registry in party.activities: zero without a provider), 说事 matters raised
and settled (matters' selectors). A branch's points are the average of its
members' points plus its branch-to-branch pair visits. At or above the red
line: 红榜; below the yellow line: 黄榜."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.matters.selectors.people import matters_raised_by, matters_settled_by
from grassroots.regions.models import Level, Node

from ..activities import ActivityQuery, Person, activity_counts
from ..errors import PartyError
from ..models import Attendance, Board, Branch, Entry, Member, PairVisit, PointsRule, Standing
from ..permissions import require_manage
from ..states import BoardAction, BoardActivity
from . import workflow

TERMS = ("training_hour", "pair_visit", "activity", "matter_raised", "matter_settled")
LINES = ("red_at", "yellow_below")
DEFAULTS: dict[str, Decimal] = {
    "training_hour": Decimal("2"),
    "pair_visit": Decimal("3"),
    "activity": Decimal("2"),
    "matter_raised": Decimal("1"),
    "matter_settled": Decimal("2"),
    "red_at": Decimal("10"),
    "yellow_below": Decimal("3"),
}
CENT = Decimal("0.01")
MAX_WEIGHT = Decimal("1000")


def rule_current(*, subdistrict: Node) -> PointsRule:
    """The subdistrict's newest rule, or the defaults (version 0, unsaved)."""
    rule = PointsRule.objects.filter(subdistrict=subdistrict).order_by("-version").first()
    return rule or PointsRule(subdistrict=subdistrict, version=0, **DEFAULTS)


def _number(value: object, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip()).quantize(CENT)
    except (InvalidOperation, ValueError) as exc:
        raise PartyError("number_invalid", "请填写数字,例如 2 或 1.5。", field=field) from exc
    if number < 0 or number > MAX_WEIGHT:
        raise PartyError("number_range", "应在 0 到 1000 之间。", field=field)
    return number


def rule_set(*, actor: Actor, subdistrict: Node, values: Mapping[str, object]) -> PointsRule:
    """Save a new version of the subdistrict's rule (the months computed
    before keep the version they used)."""
    if subdistrict.level != Level.SUBDISTRICT:
        raise PartyError("not_subdistrict", "红黄榜积分规则按街道设置。", field="subdistrict")
    require_manage(actor, subdistrict, "只有街道党建工作人员可以修改积分规则。")
    numbers = {name: _number(values.get(name, ""), name) for name in (*TERMS, *LINES)}
    if numbers["red_at"] <= numbers["yellow_below"]:
        raise PartyError("lines_order", "红榜分数线应高于黄榜分数线。", field="red_at")
    with transaction.atomic():
        version = rule_current(subdistrict=subdistrict).version + 1
        rule = PointsRule.objects.create(
            subdistrict=subdistrict, version=version, created_by=user_or_none(actor), **numbers
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=user_or_none(actor),
            obj=rule,
            detail={"version": version, **{k: str(v) for k, v in numbers.items()}},
        )
    return rule


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = month.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, end


@dataclass
class Tally:
    counts: dict[str, Decimal]

    def breakdown(self, rule: PointsRule) -> tuple[Decimal, dict[str, dict[str, str]]]:
        total = Decimal("0")
        rows = {}
        for term in TERMS:
            count = self.counts.get(term, Decimal("0"))
            weight = getattr(rule, term)
            points = (count * weight).quantize(CENT, ROUND_HALF_UP)
            total += points
            rows[term] = {"count": str(count.normalize()), "weight": str(weight), "points": str(points)}
        return total, rows


def _standing(points: Decimal, rule: PointsRule) -> str:
    if points >= rule.red_at:
        return Standing.RED
    if points < rule.yellow_below:
        return Standing.YELLOW
    return Standing.NONE


def _tallies(members: list[Member], start: datetime.date, end: datetime.date) -> dict[int, Tally]:
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(end, datetime.time.min, tzinfo=zone)
    ids = [m.pk for m in members]
    hours = dict(
        Attendance.objects.filter(member_id__in=ids, training__starts_at__gte=since, training__starts_at__lt=until)
        .order_by()
        .values("member_id")
        .annotate(h=Sum("training__hours"))
        .values_list("member_id", "h")
    )
    visits = dict(
        PairVisit.objects.filter(pair__member_id__in=ids, visited_on__gte=start, visited_on__lt=end)
        .order_by()
        .values("pair__member_id")
        .annotate(n=Count("id"))
        .values_list("pair__member_id", "n")
    )
    people = tuple(Person(m.pk, m.resident_id, m.user_id) for m in members)
    activities = activity_counts(ActivityQuery(people=people, start=start, end=end))
    user_ids = [m.user_id for m in members if m.user_id]
    resident_ids = [m.resident_id for m in members if m.resident_id]
    raised_user, raised_resident = matters_raised_by(user_ids=user_ids, resident_ids=resident_ids, start=start, end=end)
    settled = matters_settled_by(user_ids=user_ids, start=start, end=end)
    tallies = {}
    for m in members:
        raised = raised_user.get(m.user_id, 0) if m.user_id else raised_resident.get(m.resident_id or 0, 0)
        tallies[m.pk] = Tally(
            counts={
                "training_hour": Decimal(hours.get(m.pk) or 0),
                "pair_visit": Decimal(visits.get(m.pk, 0)),
                "activity": Decimal(activities.get(m.pk, 0)),
                "matter_raised": Decimal(raised),
                "matter_settled": Decimal(settled.get(m.user_id, 0) if m.user_id else 0),
            }
        )
    return tallies


def _entries(board: Board, rule: PointsRule) -> list[Entry]:
    start, end = month_bounds(board.month)
    branches = list(Branch.objects.filter(path__startswith=board.subdistrict.path).order_by("path", "id"))
    members = list(Member.objects.filter(active=True, branch__in=branches).order_by("id"))
    tallies = _tallies(members, start, end)
    entries: list[Entry] = []
    per_branch: dict[int, list[Decimal]] = {}
    for member in members:
        points, rows = tallies[member.pk].breakdown(rule)
        per_branch.setdefault(member.branch_id, []).append(points)
        entries.append(
            Entry(
                board=board,
                member=member,
                branch_id=member.branch_id,
                points=points,
                standing=_standing(points, rule),
                breakdown=rows,
            )
        )
    branch_visits = dict(
        PairVisit.objects.filter(pair__partner__isnull=False, visited_on__gte=start, visited_on__lt=end)
        .filter(Q(pair__branch__in=branches))
        .order_by()
        .values("pair__branch_id")
        .annotate(n=Count("id"))
        .values_list("pair__branch_id", "n")
    )
    for branch in branches:
        scores = per_branch.get(branch.pk, [])
        average = (sum(scores, Decimal("0")) / len(scores)).quantize(CENT, ROUND_HALF_UP) if scores else Decimal("0")
        visits = Decimal(branch_visits.get(branch.pk, 0))
        visit_points = (visits * rule.pair_visit).quantize(CENT, ROUND_HALF_UP)
        points = average + visit_points
        rows = {
            "member_average": {"count": str(len(scores)), "weight": "", "points": str(average)},
            "pair_visit": {"count": str(visits), "weight": str(rule.pair_visit), "points": str(visit_points)},
        }
        entries.append(
            Entry(
                board=board, member=None, branch=branch, points=points, standing=_standing(points, rule), breakdown=rows
            )
        )
    return entries


def board_compute(*, actor: Actor, subdistrict: Node, month: datetime.date) -> Board:
    """(Re)compute the subdistrict's list of `month` as a draft, with the
    current rule (a published list must be withdrawn first)."""
    if subdistrict.level != Level.SUBDISTRICT:
        raise PartyError("not_subdistrict", "红黄榜按街道计算。", field="subdistrict")
    require_manage(actor, subdistrict, "只有街道党建工作人员可以计算红黄榜。")
    month = month.replace(day=1)
    today = timezone.localdate()
    if month > today.replace(day=1):
        raise PartyError("month_future", "不能计算未来月份的红黄榜。", field="month")
    rule = rule_current(subdistrict=subdistrict)
    if rule.pk is None:
        rule = PointsRule.objects.create(subdistrict=subdistrict, version=1, **DEFAULTS)
    with transaction.atomic():
        board = Board.objects.filter(subdistrict=subdistrict, month=month).first()
        if board is not None:
            workflow.WORKFLOW.check_activity(BoardActivity.COMPUTE, board)
            board.rule, board.computed_at = rule, timezone.now()
            board.save(update_fields=["rule", "computed_at"])
            board.entries.all().delete()
        else:
            board = Board.objects.create(subdistrict=subdistrict, month=month, rule=rule, computed_at=timezone.now())
        Entry.objects.bulk_create(_entries(board, rule))
        audit_record(
            action="party.board_compute",
            actor=user_or_none(actor),
            obj=board,
            detail={"month": f"{month:%Y-%m}", "rule": rule.version},
        )
    return board


def board_publish(*, actor: Actor, board: Board) -> Board:
    return workflow.transition(actor=actor, board=board, action=BoardAction.PUBLISH)


def board_withdraw(*, actor: Actor, board: Board) -> Board:
    return workflow.transition(actor=actor, board=board, action=BoardAction.WITHDRAW)
