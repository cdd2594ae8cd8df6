"""Topics (议题): matters put on an agenda (→ `deliberating` through the
matters service), residents' proposals (public, rate-limited, moderated)
and topics staff raise themselves."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.core.workflow import Workflow
from grassroots.matters.models import Matter
from grassroots.matters.models import State as MatterState
from grassroots.matters.services.deliberation import matter_deliberation_start
from grassroots.regions.models import Level, Node, Representative

from .. import permissions, selectors, states
from ..errors import DeliberationError, TransitionNotAllowed
from ..models import AgendaItem, Meeting, TopicProposal
from ..rules import Proposers
from ..states import ProposalAction, ProposalStatus, State

MOBILE = re.compile(r"1[3-9]\d{9}")

# Moderation is one step from pending; a proposal already moderated (or
# moderated by somebody else meanwhile) answers the same 409 as before.
PROPOSAL_WORKFLOW: Workflow[TopicProposal] = Workflow(
    model=TopicProposal,
    table=states.PROPOSAL_TABLE,
    not_allowed=lambda _action, status: TransitionNotAllowed("审核", ProposalStatus(status).label),
    stale=lambda: TransitionNotAllowed("审核", ProposalStatus.PENDING.label),
    state_field="status",
    timestamp_field="moderated_at",
)


def _check_editable(meeting: Meeting) -> None:
    if meeting.state not in states.EDITABLE_STATES:
        raise TransitionNotAllowed("调整议程", State(meeting.state).label)


def _next_position(meeting: Meeting) -> int:
    return (meeting.agenda.aggregate(p=Max("position"))["p"] or 0) + 1


def agenda_add_matter(
    *, actor: Actor, meeting: Meeting, matter: Matter, source: str = AgendaItem.Source.MATTER
) -> AgendaItem:
    """Put a matter on the agenda. An accepted/handling matter enters
    `deliberating` through `matter_deliberation_start`; one already
    deliberating (carried over) joins as it is."""
    permissions.require_scope(actor, meeting.path)
    permissions.require_convene(actor)
    _check_editable(meeting)
    if not matter.path.startswith(meeting.host_village.path):
        raise DeliberationError("matter_elsewhere", "只能将本村(社区)的事项列入议程。", field="matter")
    if AgendaItem.objects.filter(matter=matter, meeting__state__in=states.UPCOMING_STATES).exists():
        raise DeliberationError("matter_on_agenda", "该事项已列入其他未结束会议的议程。", field="matter")
    with transaction.atomic():
        if matter.state != MatterState.DELIBERATING:
            matter = matter_deliberation_start(actor=actor, matter=matter)
        elif not matter.for_deliberation:
            raise DeliberationError("matter_state", "该事项当前状态不能列入议程。", field="matter")
        return AgendaItem.objects.create(
            meeting=meeting, position=_next_position(meeting), title=matter.title[:200], source=source, matter=matter
        )


def agenda_add_topic(*, actor: Actor, meeting: Meeting, title: str) -> AgendaItem:
    permissions.require_scope(actor, meeting.path)
    permissions.require_convene(actor)
    _check_editable(meeting)
    title = (title or "").strip()
    if not title:
        raise DeliberationError("title_required", "请填写议题。", field="title")
    return AgendaItem.objects.create(
        meeting=meeting, position=_next_position(meeting), title=title[:200], source=AgendaItem.Source.STAFF
    )


def agenda_add_proposal(*, actor: Actor, meeting: Meeting, proposal: TopicProposal) -> AgendaItem:
    permissions.require_scope(actor, meeting.path)
    permissions.require_convene(actor)
    _check_editable(meeting)
    if proposal.status != TopicProposal.Status.ACCEPTED:
        raise DeliberationError("proposal_not_accepted", "只有已采纳的议题建议可以列入议程。", field="proposal")
    if proposal.village_id != meeting.host_village_id:
        raise DeliberationError("proposal_elsewhere", "只能列入本村(社区)的议题建议。", field="proposal")
    if proposal.agenda_items.exists():
        raise DeliberationError("proposal_on_agenda", "该议题建议已列入议程。", field="proposal")
    return AgendaItem.objects.create(
        meeting=meeting,
        position=_next_position(meeting),
        title=proposal.title[:200],
        source=AgendaItem.Source.PROPOSAL,
        proposal=proposal,
    )


def proposal_submit(
    *,
    village: Node,
    title: str,
    description: str,
    proposer_name: str,
    proposer_phone: str = "",
    representative: Representative | None = None,
) -> TopicProposal:
    """A resident's (public site) or representative's (personal link) topic.
    Who may propose is the village's rule in force."""
    if village.level != Level.VILLAGE:
        raise DeliberationError("bad_village", "请选择村(社区)。", field="village")
    rules = selectors.rules_in_force(node=village, on=timezone.localdate())
    if rules is None:
        raise DeliberationError("no_rules", "该村(社区)尚未发布议事规则,暂不接受议题建议。", field="village")
    if rules.proposers == Proposers.STAFF or (rules.proposers == Proposers.REPRESENTATIVES and representative is None):
        raise DeliberationError(
            "not_allowed_to_propose", f"按{village.label}议事规则,{rules.get_proposers_display()}。", field="village"
        )
    title, description, proposer_name = (
        (title or "").strip(),
        (description or "").strip(),
        (proposer_name or "").strip(),
    )
    if not title or len(title) > 100:
        raise DeliberationError("title_required", "请填写议题(100 字以内)。", field="title")
    if not description or len(description) > 2000:
        raise DeliberationError("description_required", "请填写内容(2000 字以内)。", field="description")
    if not proposer_name or len(proposer_name) > 50:
        raise DeliberationError("name_required", "请填写姓名。", field="proposer_name")
    phone = (proposer_phone or "").strip()
    if phone and not MOBILE.fullmatch(phone):
        raise DeliberationError("bad_phone", "手机号格式不正确。", field="proposer_phone")
    return TopicProposal.objects.create(
        village=village,
        title=title,
        description=description,
        proposer_name=proposer_name,
        proposer_phone=phone,
        representative=representative,
    )


def proposal_moderate(*, actor: Actor, proposal: TopicProposal, accept: bool, note: str = "") -> TopicProposal:
    permissions.require_scope(actor, proposal.path)
    permissions.require_convene(actor)
    if not accept and not (note or "").strip():
        raise DeliberationError("note_required", "不予采纳时请说明理由。", field="note")
    PROPOSAL_WORKFLOW.transition(
        proposal,
        action=ProposalAction.ACCEPT if accept else ProposalAction.REJECT,
        actor=actor,
        updates={"moderated_by": actor, "moderation_note": (note or "").strip()[:200]},
    )
    proposal.refresh_from_db()
    return proposal
