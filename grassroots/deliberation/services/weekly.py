"""办事: each week the system proposes two key villages for the joint
party-government meeting, ranked by open, overdue and escalated matters and
by how long since each was last chosen; staff confirm or change the choice,
then convene the meeting, whose agenda fills with the village's escalated
and overdue matters and the joint-meeting list."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.models import User
from grassroots.matters.models import OPEN_STATES, Matter
from grassroots.matters.models import State as MatterState
from grassroots.matters.selectors import joint_meeting_list
from grassroots.regions.models import Level, Node

from .. import permissions
from ..errors import DeliberationError, TransitionNotAllowed
from ..models import AgendaItem, Kind, Meeting, WeeklySelection
from ..states import UPCOMING_STATES
from .agenda import agenda_add_matter
from .invitations import joint_invite_defaults
from .meetings import MeetingInput, meeting_convene

# Points per matter and per week since last chosen (ADR 0013).
WEIGHTS = {"open": 1, "overdue": 3, "escalated": 4, "weeks": 2}
MAX_WEEKS = 8  # never chosen counts as 8 weeks
PICKS = 2


def week_monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def village_scores(*, subdistrict: Node, week_start: datetime.date) -> list[dict[str, Any]]:
    """Score every village of the subdistrict; highest first, ties by tree order."""
    today = week_start
    villages = list(Node.objects.filter(level=Level.VILLAGE, path__startswith=subdistrict.path).order_by("path"))
    counts: dict[str, dict[str, int]] = {v.path: {"open": 0, "overdue": 0, "escalated": 0} for v in villages}
    open_matters = Matter.objects.filter(path__startswith=subdistrict.path, state__in=OPEN_STATES)
    for row in (
        open_matters.values("path")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            escalated=Count("pk", filter=Q(escalation_level__gt=0)),
        )
        .order_by()
    ):
        key = row["path"][: 2 * Node.steplen]
        if key in counts:
            for name in ("open", "overdue", "escalated"):
                counts[key][name] += row[name]
    last_chosen: dict[int, datetime.date] = {}
    for village_id, week in (
        WeeklySelection.chosen.through.objects.filter(
            weeklyselection__subdistrict=subdistrict, weeklyselection__week_start__lt=week_start
        )
        .values_list("node_id", "weeklyselection__week_start")
        .order_by("weeklyselection__week_start")
    ):
        last_chosen[village_id] = week
    ranking = []
    for v in villages:
        c = counts[v.path]
        last = last_chosen.get(v.pk)
        weeks = MAX_WEEKS if last is None else min(MAX_WEEKS, (week_start - last).days // 7)
        parts = {
            "open": c["open"] * WEIGHTS["open"],
            "overdue": c["overdue"] * WEIGHTS["overdue"],
            "escalated": c["escalated"] * WEIGHTS["escalated"],
            "weeks": weeks * WEIGHTS["weeks"],
        }
        reasons = [
            f"在办事项 {c['open']} 件 × {WEIGHTS['open']} = {parts['open']} 分",
            f"逾期 {c['overdue']} 件 × {WEIGHTS['overdue']} = {parts['overdue']} 分",
            f"已升级 {c['escalated']} 件 × {WEIGHTS['escalated']} = {parts['escalated']} 分",
            (f"从未选为重点村,按 {MAX_WEEKS} 周计" if last is None else f"距上次选中 {weeks} 周")
            + f" × {WEIGHTS['weeks']} = {parts['weeks']} 分",
        ]
        ranking.append(
            {
                "village": v.pk,
                "name": v.label,
                "open": c["open"],
                "overdue": c["overdue"],
                "escalated": c["escalated"],
                "weeks_since": weeks,
                "last_chosen": last.isoformat() if last else None,
                "score": sum(parts.values()),
                "parts": parts,
                "reasons": reasons,
            }
        )
    ranking.sort(key=lambda r: -int(r["score"]))  # stable: ties keep tree order
    return ranking


def weekly_propose(*, subdistrict: Node, week_start: datetime.date | None = None) -> WeeklySelection:
    """Idempotent: one proposal per subdistrict and week (a confirmed one is
    never replaced; an unconfirmed one is re-scored)."""
    if subdistrict.level != Level.SUBDISTRICT:
        raise DeliberationError("bad_node", "每周重点村由街道选择。")
    week_start = week_monday(week_start or timezone.localdate())
    ranking = village_scores(subdistrict=subdistrict, week_start=week_start)
    picks = [r["village"] for r in ranking[:PICKS]]
    with transaction.atomic():
        selection = WeeklySelection.objects.filter(subdistrict=subdistrict, week_start=week_start).first()
        if selection is None:
            try:
                with transaction.atomic():
                    selection = WeeklySelection.objects.create(
                        subdistrict=subdistrict, week_start=week_start, ranking=ranking
                    )
            except IntegrityError:
                return WeeklySelection.objects.get(subdistrict=subdistrict, week_start=week_start)
        elif selection.status == WeeklySelection.Status.CONFIRMED:
            return selection
        else:
            selection.ranking = ranking
            selection.save(update_fields=["ranking"])
        selection.proposed.set(picks)
    return selection


def weekly_confirm(
    *, actor: Actor, selection: WeeklySelection, villages: Sequence[Node], note: str = ""
) -> WeeklySelection:
    """Staff confirm the proposal or choose other villages (then a note says why)."""
    permissions.require_scope(actor, selection.path)
    permissions.require_convene(actor)
    if selection.status == WeeklySelection.Status.CONFIRMED:
        raise TransitionNotAllowed("确定重点村", selection.get_status_display())
    chosen = list(dict.fromkeys(villages))
    if len(chosen) != PICKS:
        raise DeliberationError("two_villages", "请选择两个不同的重点村(社区)。", field="villages")
    for village in chosen:
        if village.level != Level.VILLAGE or not village.path.startswith(selection.path):
            raise DeliberationError("bad_village", "重点村须为本街道的村(社区)。", field="villages")
    changed = {v.pk for v in chosen} != set(selection.proposed.values_list("pk", flat=True))
    note = (note or "").strip()
    if changed and not note:
        raise DeliberationError("note_required", "调整系统建议时请说明理由。", field="note")
    with transaction.atomic():
        updated = WeeklySelection.objects.filter(pk=selection.pk, status=WeeklySelection.Status.PROPOSED).update(
            status=WeeklySelection.Status.CONFIRMED, confirmed_by=actor, confirmed_at=timezone.now(), note=note[:200]
        )
        if not updated:
            raise TransitionNotAllowed("确定重点村", WeeklySelection.Status.CONFIRMED.label)
        selection.chosen.set(chosen)
    selection.refresh_from_db()
    return selection


def joint_agenda_matters(*, actor: Actor, village: Node, today: datetime.date) -> list[Matter]:
    """The village's escalated and overdue open matters, then the subdistrict's
    joint-meeting list for the village, without duplicates."""
    busy = AgendaItem.objects.filter(meeting__state__in=UPCOMING_STATES, matter__isnull=False).values("matter_id")
    eligible = [MatterState.ACCEPTED, MatterState.HANDLING]
    hard = (
        Matter.objects.filter(path__startswith=village.path, state__in=eligible)
        .filter(Q(escalation_level__gt=0) | Q(due_date__lt=today))
        .exclude(pk__in=busy)
        .order_by("-escalation_level", "due_date", "pk")
    )
    listed = (
        joint_meeting_list(user=actor).filter(path__startswith=village.path, state__in=eligible).exclude(pk__in=busy)
    )
    return list(dict.fromkeys([*hard, *listed]))


def joint_meeting_convene(
    *,
    actor: User,
    selection: WeeklySelection,
    village: Node,
    starts_at: datetime.datetime,
    place: str,
) -> Meeting:
    """Convene the week's joint meeting in one chosen village, invite its
    standing members (department heads, the village's leaders) and fill its
    agenda."""
    permissions.require_scope(actor, selection.path)
    permissions.require_convene(actor)
    if selection.status != WeeklySelection.Status.CONFIRMED:
        raise DeliberationError("not_confirmed", "请先确定本周重点村。")
    if not selection.chosen.filter(pk=village.pk).exists():
        raise DeliberationError("not_chosen", "该村(社区)不是本周确定的重点村。", field="village")
    with transaction.atomic():
        meeting = meeting_convene(
            actor=actor,
            node=selection.subdistrict,
            host_village=village,
            selection=selection,
            data=MeetingInput(
                kind=Kind.JOINT,
                title=f"{selection.week_start:%Y年%m月%d日}当周党政联席会议({village.label})",
                starts_at=starts_at,
                place=place,
            ),
        )
        joint_invite_defaults(actor=actor, meeting=meeting)
        for matter in joint_agenda_matters(actor=actor, village=village, today=timezone.localdate()):
            source = AgendaItem.Source.JOINT_LIST if matter.joint_meeting_requested_at else AgendaItem.Source.MATTER
            agenda_add_matter(actor=actor, meeting=meeting, matter=matter, source=source)
    return meeting
