"""Appraisal sessions: monthly creation, items and roster, freezing, the
paper-ballot fallback. Ballots, codes and closing live in `ballots.py`."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.models import User
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import DomainError
from grassroots.core.scrubbing import scrub_personal_numbers
from grassroots.matters.models import Matter
from grassroots.matters.selectors import sensitive_matter_q
from grassroots.regions.models import Level, Node, Representative

from .. import permissions
from ..board import SCALE
from ..errors import wrong_state
from ..models import AppraisalItem, AppraisalSession, ItemKind, PaperTally, PaperTallyEdit, RosterEntry
from ..states import Action, State
from .handlers import handlers_of
from .workflow import WORKFLOW, transition


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def previous_month(month: datetime.date) -> datetime.date:
    return month_start(month_start(month) - datetime.timedelta(days=1))


def _month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(month, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(month_end(month) + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def _require_draft(session: AppraisalSession) -> None:
    if session.state != State.DRAFT:
        raise wrong_state("评议已冻结,评议对象和代表名册不能再修改。")


def session_create(*, village: Node, month: datetime.date, actor: Actor = None) -> tuple[AppraisalSession, bool]:
    """The session of `village` appraising `month` (idempotent), with items
    from the collective matters resolved in that month and the roster of the
    representatives serving in it. The beat job creates it on the 1st of the
    following month, when the meeting is prepared."""
    if village.level != Level.VILLAGE:
        raise DomainError("not_village", "评议只能按村/社区组织。")
    month = month_start(month)
    with transaction.atomic():
        session, created = AppraisalSession.objects.get_or_create(village=village, month=month)
        if created:
            session_refresh_items(session=session)
            session_refresh_roster(session=session)
            audit_record(action=AuditAction.CREATE, actor=actor, obj=session, detail={"month": month.isoformat()})
    return session, created


def session_refresh_items(*, session: AppraisalSession) -> int:
    """Add the collective matters resolved in the appraised month and their
    handlers; existing items stay (staff may have removed some on purpose: a
    removed item comes back only through this explicit refresh). The ballot
    and the board are public: a matter's label is scrubbed of phone and ID
    numbers, and a matter in a sensitive category is not an item (its handler
    still is) (ADR 0018). Besides the assignee, the handlers other apps know
    of (handlers.py: a distribution plan's staff) are items too (ADR 0045)."""
    _require_draft(session)
    start, end = _month_bounds(session.month)
    matters = (
        Matter.objects.filter(
            path__startswith=session.path, touches_collective=True, resolved_at__gte=start, resolved_at__lt=end
        )
        .select_related("assignee")
        .order_by("resolved_at", "id")
    )
    sensitive = set(matters.filter(sensitive_matter_q()).values_list("pk", flat=True))
    added = 0
    staff_seen = set(session.items.filter(kind=ItemKind.STAFF).values_list("staff_id", flat=True))
    matter_seen = set(session.items.filter(kind=ItemKind.MATTER).values_list("matter_id", flat=True))
    position = session.items.count()
    rows = list(matters)
    others = handlers_of(rows)
    for matter in rows:
        staff = [matter.assignee] if matter.assignee is not None else []
        for user in [*staff, *others.get(matter.pk, [])]:
            if user.pk in staff_seen:
                continue
            AppraisalItem.objects.create(
                session=session, kind=ItemKind.STAFF, staff=user, label=str(user)[:150], position=position
            )
            staff_seen.add(user.pk)
            position += 1
            added += 1
        if matter.pk not in matter_seen and matter.pk not in sensitive:
            AppraisalItem.objects.create(
                session=session,
                kind=ItemKind.MATTER,
                matter=matter,
                label=f"{matter.number} {scrub_personal_numbers(matter.title)}"[:150],
                position=position,
            )
            matter_seen.add(matter.pk)
            position += 1
            added += 1
    return added


def current_representatives(*, village: Node, month: datetime.date) -> Any:
    return (
        Representative.objects.filter(village=village, since__lte=month_end(month))
        .filter(Q(until__isnull=True) | Q(until__gte=month))
        .select_related("resident")
    )


def session_refresh_roster(*, session: AppraisalSession) -> int:
    _require_draft(session)
    existing = set(session.roster.values_list("representative_id", flat=True))
    reps = [r for r in current_representatives(village=session.village, month=session.month) if r.pk not in existing]
    RosterEntry.objects.bulk_create([RosterEntry(session=session, representative=r) for r in reps])
    return len(reps)


def item_remove(*, session: AppraisalSession, item_id: int, actor: Actor) -> None:
    with transaction.atomic():
        locked = AppraisalSession.objects.select_for_update().get(pk=session.pk)
        _require_draft(locked)
        deleted, _ = AppraisalItem.objects.filter(session=locked, pk=item_id).delete()
        if not deleted:
            raise DomainError("not_found", "评议对象不存在。")
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=locked, detail={"item_removed": item_id})


def roster_remove(*, session: AppraisalSession, entry_id: int, actor: Actor) -> None:
    with transaction.atomic():
        locked = AppraisalSession.objects.select_for_update().get(pk=session.pk)
        _require_draft(locked)
        deleted, _ = RosterEntry.objects.filter(session=locked, pk=entry_id).delete()
        if not deleted:
            raise DomainError("not_found", "名册中没有该代表。")
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=locked, detail={"roster_removed": entry_id})


def session_freeze(*, session: AppraisalSession, actor: Actor) -> AppraisalSession:
    permissions.require_run(actor, session)
    WORKFLOW.check(Action.FREEZE, session)
    if not session.items.exists():
        raise DomainError("no_items", "没有评议对象,不能冻结。")
    if not session.roster.exists():
        raise DomainError("no_roster", "代表名册为空,不能冻结。")
    transition(actor=actor, session=session, action=Action.FREEZE, updates={"frozen_at": timezone.now()})
    session.refresh_from_db()
    return session


# --- Paper-ballot fallback ------------------------------------------------------


def _clean_counts(session: AppraisalSession, counts: dict[str, Any]) -> dict[str, dict[str, int]]:
    item_ids = {str(pk) for pk in session.items.values_list("pk", flat=True)}
    cleaned: dict[str, dict[str, int]] = {}
    for item, row in counts.items():
        if str(item) not in item_ids or not isinstance(row, dict):
            raise DomainError("bad_item", "计票中有不属于本次评议的对象。", field="counts")
        values = {}
        for rating in SCALE:
            value = row.get(rating, 0)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value > 10000:
                raise DomainError("bad_count", "票数须为 0 到 10000 之间的整数。", field="counts")
            values[rating] = value
        cleaned[str(item)] = values
    return cleaned


def paper_tally_enter(
    *, session: AppraisalSession, actor: User, counts: dict[str, Any], ballots: int, reason: str = ""
) -> PaperTally:
    """One staff member's independent count of the paper ballots. A second
    entry by the same person is a correction: it needs a reason and is kept in
    the edit log. Paper counts are accepted while voting or after close."""
    if session.state == State.DRAFT:
        raise wrong_state("评议尚未冻结,不能录入纸质计票。")
    if not isinstance(ballots, int) or ballots < 0:
        raise DomainError("bad_count", "纸质票数须为非负整数。", field="ballots")
    cleaned = _clean_counts(session, counts)
    for row in cleaned.values():
        if sum(row.values()) > ballots:
            raise DomainError("bad_count", "某一对象的票数之和超过了纸质票数。", field="counts")
    with transaction.atomic():
        tally = PaperTally.objects.select_for_update().filter(session=session, entered_by=actor).first()
        if tally is None:
            tally = PaperTally.objects.create(session=session, entered_by=actor, counts=cleaned, ballots=ballots)
        else:
            if not reason.strip():
                raise DomainError("reason_required", "更正已录入的计票须填写更正原因。", field="reason")
            before = {"counts": tally.counts, "ballots": tally.ballots}
            tally.counts, tally.ballots = cleaned, ballots
            tally.save(update_fields=["counts", "ballots", "updated_at"])
            PaperTallyEdit.objects.create(
                tally=tally,
                editor=actor,
                before=before,
                after={"counts": cleaned, "ballots": ballots},
                reason=reason.strip()[:200],
            )
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=session, detail={"paper_tally": tally.pk})
    return tally


def paper_tally_status(*, session: AppraisalSession) -> dict[str, Any]:
    """`confirmed` when at least two different staff entered identical counts."""
    sheets = list(
        session.paper_tallies.select_related("entered_by")
        .prefetch_related(Prefetch("edits", queryset=PaperTallyEdit.objects.select_related("editor")))
        .order_by("id")
    )
    status: dict[str, Any] = {"sheets": sheets, "confirmed": None, "mismatch": False}
    if len(sheets) >= 2:
        first = sheets[0]
        if all(s.counts == first.counts and s.ballots == first.ballots for s in sheets[1:]):
            status["confirmed"] = first
        else:
            status["mismatch"] = True
    return status
