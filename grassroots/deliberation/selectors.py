"""Reads: scoped lists and lookups for staff, the rule version in force,
public reads for residents and representatives."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from grassroots.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from grassroots.core.scoping import get_in_scope_or_404, scope_queryset
from grassroots.matters.models import Matter
from grassroots.matters.selectors import sensitive_matter_q
from grassroots.matters.states import State as MatterState
from grassroots.regions.models import Level, Node, Representative

from . import permissions
from .models import AgendaItem, Invitation, Meeting, MeetingEvent, Resolution, RuleSet, TopicProposal, WeeklySelection
from .states import UPCOMING_STATES, Action


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def rules_in_force(*, node: Node, on: datetime.date) -> RuleSet | None:
    """The newest published version effective on `on` for `node`."""
    return (
        RuleSet.objects.filter(node=node, published_at__isnull=False, effective_from__lte=on)
        .order_by("-effective_from", "-version")
        .first()
    )


def rules_visible_to(*, user: Any) -> QuerySet[RuleSet]:
    if not permissions.can_convene(user):
        return RuleSet.objects.none()
    return scope_queryset(RuleSet.objects.select_related("node", "created_by"), user)


def rules_published() -> QuerySet[RuleSet]:
    return RuleSet.objects.filter(published_at__isnull=False).select_related("node").order_by("path", "-version")


def _meeting_related(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return queryset.select_related("node", "host_village", "rules", "convened_by")


def meetings_visible_to(*, user: Any) -> QuerySet[Meeting]:
    if not permissions.can_convene(user):
        return Meeting.objects.none()
    return _meeting_related(scope_queryset(Meeting.objects.order_by("-starts_at", "-pk"), user)).annotate(
        invited_count=Count("invitations", distinct=True),
        present_count=Count("invitations", filter=Q(invitations__present=True), distinct=True),
        item_count=Count("agenda", distinct=True),
    )


def meeting_get_visible(*, user: Any, pk: Any) -> Meeting:
    if not permissions.can_convene(user):
        raise Http404("未找到该会议,或您无权查看。")
    return get_in_scope_or_404(_meeting_related(Meeting.objects.all()), user, pk=pk)


def meeting_events(*, meeting: Meeting) -> list[MeetingEvent]:
    """The meeting's record: opened, adjourned and why, resumed, closed or
    cancelled, by whom and when (oldest first)."""
    events = list(MeetingEvent.objects.filter(meeting=meeting).select_related("actor").order_by("created_at", "id"))
    for event in events:
        event.label = str(Action(event.action).label) if event.action in Action.values else event.action  # type: ignore[attr-defined]
    return events


def agenda_of(*, meeting: Meeting) -> list[AgendaItem]:
    return list(
        meeting.agenda.select_related(
            "matter",
            "matter__node",
            "matter__assignee",
            "matter__responsible_unit",
            "proposal",
            "resolution",
            "resolution__responsible_unit",
            "resolution__assignee",
        ).prefetch_related("resolution__corrections__actor")
    )


def invitations_of(*, meeting: Meeting) -> list[Invitation]:
    """Staff first (by place, then name), then representatives by name."""
    return list(
        meeting.invitations.select_related("representative__resident", "staff__jurisdiction").order_by(
            F("staff__jurisdiction__path").asc(nulls_last=True),
            "staff__display_name",
            "representative__resident__name",
            "pk",
        )
    )


def _matter_workers() -> QuerySet[Any]:
    from grassroots.accounts.models import User

    roles = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.VIEW_MATTERS in caps]
    return User.objects.filter(is_active=True, role__in=roles).select_related("jurisdiction")


def invitable_staff(*, meeting: Meeting) -> QuerySet[Any]:
    """Who may be invited to a joint meeting: active staff working on matters
    at the convening subdistrict or inside the host village."""
    return (
        _matter_workers()
        .filter(Q(jurisdiction=meeting.node) | Q(jurisdiction__path__startswith=meeting.host_village.path))
        .order_by("jurisdiction__path", "display_name", "username")
    )


def joint_default_staff(*, meeting: Meeting) -> QuerySet[Any]:
    """A joint meeting's standing invitees: the subdistrict's staff (its
    department heads) and the host village's staff (its leaders)."""
    return invitable_staff(meeting=meeting).filter(
        Q(jurisdiction=meeting.node, role=Role.SUBDISTRICT_STAFF)
        | Q(jurisdiction=meeting.host_village, role=Role.VILLAGE_STAFF)
    )


def invitation_candidates(*, meeting: Meeting) -> dict[str, list[Any]]:
    """Staff and representatives not yet invited, for the meeting page."""
    invited = meeting.invitations.values_list("staff_id", "representative_id")
    staff_ids = {s for s, _r in invited if s}
    rep_ids = {r for _s, r in invited if r}
    staff = [u for u in invitable_staff(meeting=meeting) if u.pk not in staff_ids] if meeting.kind == "joint" else []
    on = timezone.localtime(meeting.starts_at).date()
    reps = [r for r in representatives_in_term(village=meeting.host_village, on=on) if r.pk not in rep_ids]
    return {"staff": staff, "representatives": reps}


def present_count(*, meeting: Meeting) -> int:
    return meeting.invitations.filter(present=True).count()


def representatives_in_term(*, village: Node, on: datetime.date) -> QuerySet[Representative]:
    return (
        Representative.objects.filter(village=village, since__lte=on)
        .filter(Q(until__isnull=True) | Q(until__gte=on))
        .select_related("resident")
        .order_by("resident__name", "pk")
    )


def topic_candidates(*, user: Any, village: Node) -> QuerySet[Matter]:
    """Matters that may go on a village meeting's agenda: flagged for
    deliberation or accepted/handling, plus those still deliberating and on
    no open agenda (carried over after a failed vote)."""
    from grassroots.matters.selectors import matters_visible_to

    open_agenda = AgendaItem.objects.filter(meeting__state__in=UPCOMING_STATES, matter__isnull=False).values(
        "matter_id"
    )
    return (
        matters_visible_to(user=user)
        .filter(path__startswith=village.path)
        .filter(
            Q(state__in=[MatterState.ACCEPTED, MatterState.HANDLING])
            | Q(state=MatterState.DELIBERATING, for_deliberation=True)
        )
        .exclude(pk__in=open_agenda)
        .order_by("-for_deliberation", "created_at", "pk")
    )


def proposals_visible_to(*, user: Any, status: str | None = None) -> QuerySet[TopicProposal]:
    if not permissions.can_convene(user):
        return TopicProposal.objects.none()
    proposals = scope_queryset(TopicProposal.objects.select_related("village", "representative__resident"), user)
    return proposals.filter(status=status) if status else proposals


def villages_visible_to(*, user: Any) -> QuerySet[Node]:
    return scope_queryset(Node.objects.filter(level=Level.VILLAGE), user).order_by("path")


def selections_visible_to(*, user: Any) -> QuerySet[WeeklySelection]:
    if not permissions.can_convene(user):
        return WeeklySelection.objects.none()
    return scope_queryset(WeeklySelection.objects.select_related("subdistrict", "confirmed_by"), user).prefetch_related(
        "proposed",
        "chosen",
        Prefetch(
            "meetings",
            queryset=Meeting.objects.select_related("host_village").prefetch_related(
                Prefetch("agenda", queryset=AgendaItem.objects.select_related("matter", "resolution"))
            ),
        ),
    )


def upcoming_meetings(*, village: Node, now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    """Upcoming meetings held in `village` (its own and joint meetings hosted there)."""
    now = now or timezone.now()
    return (
        Meeting.objects.filter(
            host_village=village, state__in=UPCOMING_STATES, starts_at__gte=now - datetime.timedelta(hours=6)
        )
        .select_related("node", "host_village")
        .order_by("starts_at", "pk")
    )


def invitation_by_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("representative__resident", "representative__village", "meeting")
        .filter(token_hash=token_digest(token))
        .first()
    )


def representative_invitations(*, representative: Representative) -> list[Invitation]:
    return list(
        Invitation.objects.filter(representative=representative)
        .select_related("meeting", "meeting__host_village", "meeting__rules")
        .prefetch_related(
            Prefetch(
                "meeting__agenda",
                queryset=AgendaItem.objects.select_related("resolution", "matter").order_by("position"),
            )
        )
        .order_by("-meeting__starts_at")
    )


def published_decisions(*, village: Node | None = None) -> QuerySet[Resolution]:
    """Resolutions of closed meetings, for the public page; none about a
    matter in a sensitive category (ADR 0018; the page scrubs the texts)."""
    rows = (
        Resolution.objects.filter(item__meeting__state="closed").exclude(sensitive_matter_q("item__matter__"))
    ).select_related("item", "item__meeting", "item__meeting__host_village", "responsible_unit")
    if village is not None:
        rows = rows.filter(item__meeting__host_village=village)
    return rows.order_by("-item__meeting__starts_at", "item__position")
