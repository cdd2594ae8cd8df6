"""Writes of 结对帮扶: pair a member with a household in difficulty (in the
member's branch's place) or a stronger branch with a weaker one, and record
a visit or a piece of help (on a phone, by the member or party staff)."""

from __future__ import annotations

import datetime

from django.db import transaction

from grassroots.accounts.actors import Actor
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.scoping import require_in_scope
from grassroots.regions.models import Household

from ..errors import PartyError
from ..models import Branch, Member, Pair, PairKind, PairVisit, VisitKind
from ..permissions import require_manage, require_visit_recorder

MAX_NOTE = 500
# How far back a visit may be recorded (a phone offline for a while).
BACKDATE_DAYS = 62


def pair_household(
    *, actor: Actor, member: Member, household: Household, difficulty: str, started_on: datetime.date
) -> Pair:
    require_manage(actor, member)
    require_in_scope(actor, household)
    if not member.active:
        raise PartyError("member_inactive", "该党员已不在册。", field="member")
    difficulty = (difficulty or "").strip()
    if not difficulty:
        raise PartyError("difficulty_required", "请填写困难情况。", field="difficulty")
    if len(difficulty) > 200:
        raise PartyError("difficulty_too_long", "困难情况不能超过 200 个字。", field="difficulty")
    if Pair.objects.filter(member=member, household=household, active=True).exists():
        raise PartyError("pair_exists", "该党员已与这户结对。", field="household")
    with transaction.atomic():
        pair = Pair.objects.create(
            kind=PairKind.HOUSEHOLD,
            branch=member.branch,
            member=member,
            household=household,
            difficulty=difficulty,
            started_on=started_on,
        )
        audit_record(action=AuditAction.CREATE, actor=user_or_none(actor), obj=pair, detail={"kind": pair.kind})
    return pair


def pair_branches(*, actor: Actor, branch: Branch, partner: Branch, difficulty: str, started_on: datetime.date) -> Pair:
    """A stronger branch (`branch`) paired with a weaker one (`partner`)."""
    require_manage(actor, branch)
    require_in_scope(actor, partner)
    if branch.pk == partner.pk:
        raise PartyError("pair_self", "党组织不能与自己结对。", field="partner")
    if Pair.objects.filter(branch=branch, partner=partner, active=True).exists():
        raise PartyError("pair_exists", "这两个党组织已经结对。", field="partner")
    with transaction.atomic():
        pair = Pair.objects.create(
            kind=PairKind.BRANCH,
            branch=branch,
            partner=partner,
            difficulty=(difficulty or "").strip()[:200],
            started_on=started_on,
        )
        audit_record(action=AuditAction.CREATE, actor=user_or_none(actor), obj=pair, detail={"kind": pair.kind})
    return pair


def pair_visit_record(
    *,
    actor: Actor,
    pair: Pair,
    kind: str,
    visited_on: datetime.date,
    note: str,
    today: datetime.date | None = None,
    recorder_member: Member | None = None,
) -> PairVisit:
    """A visit or a piece of help of `pair`. `recorder_member` is the actor's
    own membership (a member records their own pair's visits)."""
    require_visit_recorder(actor, pair, recorder_member)
    today = today or datetime.date.today()
    if not pair.active:
        raise PartyError("pair_ended", "该结对已结束,不能再登记。")
    if kind not in VisitKind.values:
        raise PartyError("kind_invalid", "请选择走访或帮扶。", field="kind")
    if visited_on > today:
        raise PartyError("date_future", "日期不能晚于今天。", field="visited_on")
    if visited_on < today - datetime.timedelta(days=BACKDATE_DAYS):
        raise PartyError("date_too_old", f"只能补记 {BACKDATE_DAYS} 天内的记录。", field="visited_on")
    note = (note or "").strip()
    if not note:
        raise PartyError("note_required", "请填写情况记录。", field="note")
    if len(note) > MAX_NOTE:
        raise PartyError("note_too_long", f"情况记录不能超过 {MAX_NOTE} 个字。", field="note")
    with transaction.atomic():
        visit = PairVisit.objects.create(
            pair=pair, kind=kind, visited_on=visited_on, note=note, recorded_by=user_or_none(actor)
        )
        audit_record(action=AuditAction.CREATE, actor=user_or_none(actor), obj=visit, detail={"pair": pair.pk})
    return visit
