"""办事: the end of a matter's handling: closing (after the 公示 a matter
touching collective interests needs) and reopening (by staff within the
window, or for a reporter's granted request). Re-exported by `lifecycle`.
Diagram and rules: docs/workflows/matter.md."""

from __future__ import annotations

import datetime

from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.core.publishing import publisher

from .. import permissions, states
from ..errors import MatterError
from ..models import Matter, MatterEvent
from ..publishing import PLAN, RESULT
from ..states import Action
from .notify import code_label, notify_assignee, notify_reporters, short_title, tracking_link
from .transitions import date_label, deadline_from_today, precheck, text_required, transition


def publicity_missing(matter: Matter, *, today: datetime.date | None = None) -> list[str]:
    """What still blocks closing a matter that touches collective interests:
    the handling plan and the result must each have a publication (published,
    not a draft or withdrawn) that has started (starts_on <= today). Empty when nothing is missing."""
    notices = publisher()
    today = today or timezone.localdate()
    missing = []
    for kind in (PLAN, RESULT):
        # Drafts and withdrawn notices do not count.
        publications = matter.publications.filter(kind=kind, state__in=notices.visible_states)
        if kind == RESULT and matter.resolved_at is not None:
            # After a reopen, only a result published for the latest resolution counts.
            publications = publications.filter(created_at__gte=matter.resolved_at)
        rows = [day for day in publications.values_list("starts_on", flat=True) if day is not None]
        if not rows:
            missing.append(f"尚未公示{notices.kind_label(kind)}")
        elif min(rows) > today:
            missing.append(f"{notices.kind_label(kind)}的公示将于 {date_label(min(rows))} 开始")
    return missing


def matter_close(*, actor: Actor, matter: Matter) -> Matter:
    """resolved → closed. A matter touching collective interests closes only
    after its handling plan and its result have been published (公示)."""
    precheck(actor=actor, matter=matter, action=Action.CLOSE)
    if matter.touches_collective:
        missing = publicity_missing(matter)
        if missing:
            raise MatterError(
                "publicity_required",
                "该事项涉及集体利益,须先公示理事方案和理事结果才能关闭:" + ";".join(missing) + "。",
            )
    return transition(
        actor=actor,
        matter=matter,
        action=Action.CLOSE,
        updates={"closed_at": timezone.now()},
        text="事项已关闭。",
    )


def matter_reopen(*, actor: Actor, matter: Matter, reason: str) -> Matter:
    """resolved/closed → handling; from closed only within REOPEN_DAYS days
    of closing. The matter gets a new due date from today; the assignee is
    told in-app, the reporters by text with the new due date."""
    return _reopen(actor=actor, matter=matter, reason=reason, check_window=True, tell_reporter=True)


def matter_reopen_for_request(*, actor: Actor, matter: Matter, reason: str) -> Matter:
    """Reopen for a granted reopen request: the reporter filed it within the
    window, so the window is not checked again when staff answer later. The
    reporter hears about it in the one text answering the request."""
    return _reopen(actor=actor, matter=matter, reason=reason, check_window=False, tell_reporter=False)


def _reopen(*, actor: Actor, matter: Matter, reason: str, check_window: bool, tell_reporter: bool) -> Matter:
    precheck(actor=actor, matter=matter, action=Action.REOPEN)
    reason = text_required(reason, field="reason", label="重新办理的理由", max_length=1000)
    if check_window and not permissions.reopen_window_open(matter):
        raise MatterError("reopen_window_closed", f"事项关闭已超过 {states.REOPEN_DAYS} 天,不能重新办理。")
    days = matter.deadline_days or (matter.category.deadline_days if matter.category else 5)
    deadline = deadline_from_today(days)

    def after(fresh: Matter, event: MatterEvent) -> None:
        notify_assignee(fresh, event, subject="事项重新办理")
        if tell_reporter:
            notify_reporters(
                matter=fresh,
                event=event,
                compose=lambda target: (
                    f"您反映的“{short_title(target.title)}”重新办理,新的办理期限 {date_label(deadline.due)}。"
                    f"查询码 {code_label(fresh)}。"
                ),
                progress=lambda target: f"重新办理,新的办理期限{date_label(deadline.due)}",
                code=code_label(fresh),
                subject="事项重新办理",
                link=tracking_link(fresh.tracking_code),
            )

    return transition(
        actor=actor,
        matter=matter,
        action=Action.REOPEN,
        updates={
            "result": "",
            "resolved_at": None,
            "closed_at": None,
            "due_date": deadline.due,
            "due_provisional": deadline.provisional,
            "deadline_days": days,
        },
        text=f"重新办理。理由:{reason};新的办理期限:{date_label(deadline.due)}。",
        data={"reason": reason, "due_date": deadline.due.isoformat()},
        within=after,
    )
