"""Reads: scoped lists and lookups for staff, the rule version in force,
public reads for residents and representatives."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from grassroots.core.scoping import get_in_scope_or_404, scope_queryset
from grassroots.matters.models import Matter
from grassroots.matters.models import State as MatterState
from grassroots.matters.selectors import matters_visible_to, sensitive_matter_q
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


def meetings_visible_to(*, user: Any, kind: str = "") -> QuerySet[Meeting]:
    if not permissions.can_convene(user):
        return Meeting.objects.none()
    meetings = Meeting.objects.filter(kind=kind) if kind else Meeting.objects.all()
    return _meeting_related(scope_queryset(meetings.order_by("-starts_at", "-pk"), user)).annotate(
        invited_count=Count("invitations", distinct=True),
        present_count=Count("invitations", filter=Q(invitations__present=True), distinct=True),
        item_count=Count("agenda", distinct=True),
    )


def meeting_get_visible(*, user: Any, pk: Any) -> Meeting:
    if not permissions.can_convene(user):
        raise Http404("未找到该会议,或您无权查看。")
    return get_in_scope_or_404(_meeting_related(Meeting.objects.all()), user, pk=pk)


def meeting_detail(*, pk: Any) -> Meeting:
    """A meeting with its agenda (resolutions, corrections) and invitations loaded, for the API."""
    return (
        Meeting.objects.select_related("host_village", "rules")
        .prefetch_related(
            Prefetch(
                "agenda",
                queryset=AgendaItem.objects.select_related(
                    "matter", "resolution__responsible_unit", "resolution__assignee"
                ).prefetch_related("resolution__corrections__actor"),
            ),
            Prefetch(
                "invitations",
                queryset=Invitation.objects.select_related("representative__resident", "staff__jurisdiction"),
            ),
        )
        .get(pk=pk)
    )


def meeting_events(*, meeting: Meeting) -> list[MeetingEvent]:
    """The meeting's record: opened, adjourned and why, resumed, closed or
    cancelled, by whom and when (oldest first)."""
    events = list(MeetingEvent.objects.filter(meeting=meeting).select_related("actor").order_by("created_at", "id"))
    for event in events:
        event.label = str(Action(event.action).label) if event.action in Action.values else event.action  # type: ignore[attr-defined]
    return events


def agenda_of(*, meeting: Meeting, roll_call: bool = False) -> list[AgendaItem]:
    """The agenda with what its rows show; `roll_call` also loads each
    resolution's roll-call votes with the voter."""
    items = list(
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
    if roll_call:
        prefetch_related_objects(items, "resolution__roll_call__invitation__representative__resident")
        prefetch_related_objects(items, "resolution__roll_call__invitation__staff")
    return items


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


def invitable_staff_by_ids(*, meeting: Meeting, ids: Iterable[int]) -> list[Any]:
    """Those of `ids` who may be invited (the caller compares the counts)."""
    return list(invitable_staff(meeting=meeting).filter(pk__in=list(ids)))


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


def selections_visible_to(*, user: Any, subdistrict: Node | None = None) -> QuerySet[WeeklySelection]:
    if not permissions.can_convene(user):
        return WeeklySelection.objects.none()
    selections = WeeklySelection.objects.filter(subdistrict=subdistrict) if subdistrict else WeeklySelection.objects
    return scope_queryset(selections.select_related("subdistrict", "confirmed_by"), user).prefetch_related(
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


# --- Single rows and lists the pages and the API read (views never query) -------------------


def proposal_in_scope(*, user: Any, pk: Any) -> TopicProposal:
    """A topic proposal in the user's subtree (outside it: 404)."""
    proposal: TopicProposal = get_in_scope_or_404(TopicProposal.objects.all(), user, pk=pk)
    return proposal


def proposals_ready(*, village: Node) -> QuerySet[TopicProposal]:
    """Accepted proposals of the village that are on no agenda yet."""
    return TopicProposal.objects.filter(
        village=village, status=TopicProposal.Status.ACCEPTED, agenda_items__isnull=True
    )


def agenda_item_in_scope(*, user: Any, pk: Any) -> AgendaItem:
    item: AgendaItem = get_in_scope_or_404(
        AgendaItem.objects.select_related("meeting", "meeting__rules", "matter"), user, pk=pk
    )
    return item


def agenda_items_in_scope(*, user: Any) -> QuerySet[AgendaItem]:
    return scope_queryset(AgendaItem.objects.select_related("meeting__rules", "matter"), user)


def resolution_in_scope(*, user: Any, pk: Any) -> Resolution:
    resolution: Resolution = get_in_scope_or_404(Resolution.objects.select_related("item__meeting__rules"), user, pk=pk)
    return resolution


def resolution_of_matter(*, matter: Matter) -> Resolution | None:
    """The latest resolution a meeting recorded on an agenda item carrying
    `matter` (for apps whose objects a meeting decides through a matter)."""
    return (
        Resolution.objects.select_related("item__meeting")
        .filter(item__matter=matter)
        .order_by("-recorded_at", "-pk")
        .first()
    )


def resolutions_in_scope(*, user: Any) -> QuerySet[Resolution]:
    return scope_queryset(Resolution.objects.select_related("item__meeting__rules"), user)


def invitation_in_scope(*, user: Any, pk: Any) -> Invitation:
    queryset = Invitation.objects.select_related("meeting", "meeting__rules", "representative__resident", "staff")
    invitation: Invitation = get_in_scope_or_404(queryset, user, pk=pk)
    return invitation


def invitations_in_scope(*, user: Any) -> QuerySet[Invitation]:
    return scope_queryset(
        Invitation.objects.select_related("meeting__rules", "representative__resident", "staff"), user
    )


def representatives_by_ids(ids: Iterable[int]) -> list[Representative]:
    return list(Representative.objects.filter(pk__in=list(ids)).select_related("resident"))


def node_in_scope(*, user: Any, pk: Any, levels: tuple[int, ...]) -> Node:
    """A node of one of `levels` in the user's subtree (outside it: 404)."""
    node: Node = get_in_scope_or_404(Node.objects.filter(level__in=levels), user, pk=pk)
    return node


def rule_nodes_visible_to(*, user: Any) -> QuerySet[Node]:
    """The subdistricts and villages in the user's subtree a rule set may be made for."""
    return scope_queryset(Node.objects.filter(level__in=[Level.SUBDISTRICT, Level.VILLAGE]), user).order_by("path")


def village_only(*, pk: Any) -> QuerySet[Node]:
    return Node.objects.filter(pk=pk)


def nodes_by_ids(ids: list[Any]) -> list[Node]:
    return list(Node.objects.filter(pk__in=ids))


# --- The weekly selection of a subdistrict -------------------------------------------------


def subdistrict_for(*, user: Any) -> Node | None:
    """The subdistrict the user works in (a superuser without a node: the first one)."""
    node = getattr(user, "jurisdiction", None)
    if node is None:
        return Node.objects.filter(level=Level.SUBDISTRICT).order_by("path").first() if user.is_superuser else None
    return Node.objects.filter(level=Level.SUBDISTRICT, path=node.path[: Node.steplen]).first()


def weekly_selection_of(*, subdistrict: Node, week_start: datetime.date) -> WeeklySelection | None:
    return WeeklySelection.objects.filter(subdistrict=subdistrict, week_start=week_start).first()


def villages_of(*, subdistrict: Node, ids: list[Any] | None = None) -> QuerySet[Node]:
    """The villages of the subdistrict (only those in `ids` when given), in tree order."""
    villages = Node.objects.filter(level=Level.VILLAGE, path__startswith=subdistrict.path)
    if ids is not None:
        villages = villages.filter(pk__in=ids)
    return villages.order_by("path")


def weekly_picks(*, selection: WeeklySelection | None) -> tuple[set[int], list[Node]]:
    """The ids of the villages the ranking proposed this week and the villages
    confirmed, of `selection` (none when there is no selection)."""
    if selection is None:
        return set(), []
    return set(selection.proposed.values_list("pk", flat=True)), list(selection.chosen.all())
