"""What the public tracking page shows of a matter: the progress steps, the
timeline (staff by their unit, public attachments), the public place name,
and whether the resident may rate the result or ask for a reopen now."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from .. import permissions, selectors
from ..models import Attachment, EventKind, Matter, MatterEvent
from ..states import REOPEN_DAYS, State

STEPS = [
    (State.REPORTED, "已反映"),
    (State.ACCEPTED, "已受理"),
    (State.HANDLING, "办理中"),
    (State.RESOLVED, "已办结"),
    (State.CLOSED, "已关闭"),
]
STEP_INDEX = {State.REPORTED: 0, State.ACCEPTED: 1, State.HANDLING: 2, State.DELIBERATING: 2, State.RESOLVED: 3}
STEP_INDEX[State.CLOSED] = 4


def feedback_open(matter: Matter) -> bool:
    """One rating per resolution round, while the matter is resolved or
    closed within the reopen window."""
    if matter.state not in {State.RESOLVED, State.CLOSED} or not permissions.reopen_window_open(matter):
        return False
    return not selectors.feedback_given(matter=matter)


def reopen_until(matter: Matter) -> datetime.date | None:
    """The last day a closed matter can be asked to be handled again."""
    if matter.state != State.CLOSED or matter.closed_at is None or not permissions.reopen_window_open(matter):
        return None
    return timezone.localdate(matter.closed_at) + datetime.timedelta(days=REOPEN_DAYS)


def _actor_display(event: MatterEvent) -> str:
    """Staff appear by their unit (jurisdiction), never by name."""
    if event.actor_id:
        node = getattr(event.actor, "jurisdiction", None)
        return f"{node.label}工作人员" if node is not None else "工作人员"
    return event.actor_label or "系统"


def _event_title(event: MatterEvent) -> str:
    if event.kind == EventKind.TRANSITION and event.to_state:
        return str(State(event.to_state).label) if event.to_state in State.values else event.get_kind_display()
    if event.kind == EventKind.CREATED:
        return "已反映"
    return str(event.get_kind_display())


@dataclass
class TimelineRow:
    event: MatterEvent
    title: str
    actor: str
    is_resolve: bool
    attachments: list[Attachment] = field(default_factory=list)


def timeline(matter: Matter) -> list[TimelineRow]:
    events = selectors.public_timeline(matter=matter)
    attachments: dict[int | None, list[Attachment]] = {}
    for attachment in selectors.public_attachments(matter=matter):
        attachments.setdefault(attachment.event_id, []).append(attachment)
    rows = [
        TimelineRow(
            event=event,
            title=_event_title(event),
            actor=_actor_display(event),
            is_resolve=event.kind == EventKind.TRANSITION and event.to_state == State.RESOLVED,
            attachments=attachments.pop(event.pk, []),
        )
        for event in events
    ]
    # Public attachments not tied to a shown event go with the latest result.
    leftover = [a for group in attachments.values() for a in group]
    if leftover and rows:
        target = next((row for row in reversed(rows) if row.is_resolve), rows[-1])
        target.attachments.extend(leftover)
    return rows


def place_label(matter: Matter) -> str:
    """Village down to the node: names of the public tree only."""
    node = matter.node
    ancestors = selectors.public_place_ancestors(node=node)
    return " / ".join([*(a.label for a in ancestors), node.label])
