"""The reporter's side on the tracking page: a rating per resolution round
(满意 / 基本满意 / 不满意), reopen requests and the staff's answer to them,
and the consent to a public listing. 不满意 opens a reopen request that staff
must answer; granting it reopens the matter."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.roles import Capability
from grassroots.core.audit import audit_record
from grassroots.core.workflow import Workflow
from grassroots.regions.models import Level

from .. import permissions, states
from ..errors import MatterError, StaleState, TransitionNotAllowed
from ..models import EventKind, Feedback, Matter, Rating, ReopenRequest
from ..states import ReopenAction, State
from .closing import matter_reopen_for_request
from .events import event_append
from .notify import code_label, handlers_at, notify_reporters, notify_staff, short_title, staff_link, tracking_link
from .transitions import date_label

AUDIT_FEEDBACK = "matters.feedback"
AUDIT_REOPEN_REQUEST = "matters.reopen_request"
AUDIT_PUBLIC_CONSENT = "matters.public_consent"
REPORTER = "反映人"

# Answering a reopen request: one step from open (the service checks "already
# answered" itself first, answering 400 as before; a concurrent answer is stale).
REOPEN_REQUEST_WORKFLOW: Workflow[ReopenRequest] = Workflow(
    model=ReopenRequest,
    table=states.REOPEN_REQUEST_TABLE,
    not_allowed=lambda action, status: TransitionNotAllowed(
        str(ReopenAction(action).label), str(ReopenRequest.Status(status).label)
    ),
    stale=StaleState,
    state_field="status",
    timestamp_field="answered_at",
)


def _window_or_error(matter: Matter, *, what: str) -> None:
    if matter.state not in (State.RESOLVED, State.CLOSED):
        raise MatterError("not_resolved", f"事项办结后才能{what}。")
    if not permissions.reopen_window_open(matter):
        raise MatterError("feedback_window_closed", f"事项关闭已超过 {states.REOPEN_DAYS} 天,不能再{what}。")


def _staff_to_tell(matter: Matter) -> list[Any]:
    """The assignee, or else the handlers of the matter's village."""
    if matter.assignee is not None and matter.assignee.is_active:
        return [matter.assignee]
    village = permissions.ancestor_at_level(matter.node, Level.VILLAGE)
    return handlers_at(village, Capability.HANDLE_MATTERS)


def _open_request(*, matter: Matter, reason: str, feedback: Feedback | None) -> ReopenRequest:
    """Create the matter's open reopen request (at most one at a time) and tell staff."""
    if ReopenRequest.objects.filter(matter=matter, status=ReopenRequest.Status.OPEN).exists():
        raise MatterError("reopen_request_open", "已有待答复的重新办理申请,请耐心等待答复。")
    try:
        with transaction.atomic():
            reopen = ReopenRequest.objects.create(matter=matter, feedback=feedback, reason=reason)
    except IntegrityError as exc:  # a concurrent request won the one-open-per-matter constraint
        raise MatterError("reopen_request_open", "已有待答复的重新办理申请,请耐心等待答复。") from exc
    event = event_append(
        matter=matter,
        kind=EventKind.REOPEN_REQUESTED,
        actor_label=REPORTER,
        text=f"反映人申请重新办理:{reason}",
        public=True,
        data={"reopen_request": reopen.pk},
    )
    notify_staff(
        users=_staff_to_tell(matter),
        event=event,
        subject="群众申请重新办理",
        body=f"{matter.number}“{short_title(matter.title)}”的反映人申请重新办理,请及时答复。",
        link=staff_link(matter.pk),
        tag="reopen",
    )
    audit_record(action=AUDIT_REOPEN_REQUEST, obj=reopen, detail={"number": matter.number})
    return reopen


def matter_feedback_submit(*, matter: Matter, rating: str, comment: str = "") -> Feedback:
    """The reporter rates the handling of a resolved (or recently closed)
    matter, once per resolution round. 不满意 opens a reopen request."""
    if rating not in Rating.values:
        raise MatterError("rating_invalid", "请选择“满意”“基本满意”或“不满意”。", field="rating")
    comment = (comment or "").strip()
    if len(comment) > 1000:
        raise MatterError("comment_too_long", "意见不能超过 1000 个字。", field="comment")
    _window_or_error(matter, what="评价")
    round_ = matter.resolution_round or 1
    if Feedback.objects.filter(matter=matter, round=round_).exists():
        raise MatterError("feedback_exists", "您已评价过本次办理结果,感谢您的反馈。")
    with transaction.atomic():
        try:
            with transaction.atomic():
                feedback = Feedback.objects.create(matter=matter, round=round_, rating=rating, comment=comment)
        except IntegrityError as exc:
            raise MatterError("feedback_exists", "您已评价过本次办理结果,感谢您的反馈。") from exc
        label = Rating(rating).label
        event_append(
            matter=matter,
            kind=EventKind.FEEDBACK,
            actor_label=REPORTER,
            text=f"反映人评价:{label}" + (f"。意见:{comment}" if comment else ""),
            public=True,
            data={"rating": rating, "round": round_},
        )
        if (
            rating == Rating.UNSATISFIED
            and not ReopenRequest.objects.filter(matter=matter, status=ReopenRequest.Status.OPEN).exists()
        ):
            _open_request(
                matter=matter,
                reason=f"对办理结果不满意。{comment}" if comment else "对办理结果不满意。",
                feedback=feedback,
            )
        audit_record(action=AUDIT_FEEDBACK, obj=feedback, detail={"number": matter.number, "rating": rating})
    return feedback


def matter_reopen_request(*, matter: Matter, reason: str) -> ReopenRequest:
    """The reporter asks, from the tracking page, to have a resolved matter
    (or one closed within REOPEN_DAYS days) handled again."""
    reason = (reason or "").strip()
    if not reason:
        raise MatterError("reason_required", "请说明需要重新办理的原因。", field="reason")
    if len(reason) > 1000:
        raise MatterError("reason_too_long", "原因不能超过 1000 个字。", field="reason")
    _window_or_error(matter, what="申请重新办理")
    with transaction.atomic():
        return _open_request(matter=matter, reason=reason, feedback=None)


def reopen_request_answer(*, actor: Actor, reopen_request: ReopenRequest, grant: bool, answer: str) -> ReopenRequest:
    """Staff answer a reopen request (an answer is required). Granting it
    reopens the matter (to handling, with a new due date) unless it is already
    being handled again. The reporter is told the answer by text."""
    matter = reopen_request.matter
    permissions.require_scope(actor, matter)
    permissions.require(permissions.can_handle(actor))
    answer = (answer or "").strip()
    if not answer:
        raise MatterError("answer_required", "请填写答复内容。", field="answer")
    if len(answer) > 1000:
        raise MatterError("answer_too_long", "答复不能超过 1000 个字。", field="answer")
    if reopen_request.status != ReopenRequest.Status.OPEN:
        raise MatterError("reopen_request_answered", "该申请已经答复过了。")

    def within(_request: ReopenRequest, _event: None) -> None:
        event = event_append(
            matter=matter,
            kind=EventKind.REOPEN_ANSWERED,
            actor=actor,
            text=("同意重新办理。" if grant else "不同意重新办理。") + f"答复:{answer}",
            public=True,
            data={"reopen_request": reopen_request.pk, "granted": bool(grant)},
        )
        new_due = ""
        if grant and matter.state in (State.RESOLVED, State.CLOSED):
            matter_reopen_for_request(
                actor=actor,
                matter=matter,
                reason=f"同意反映人的重新办理申请:{reopen_request.reason}"[:1000],
            )
            if matter.due_date is not None:
                new_due = f"新的办理期限 {date_label(matter.due_date)}。"
        # One text carries the answer and, when the matter reopened, its new due date.
        notify_reporters(
            matter=matter,
            event=event,
            compose=lambda target: (
                f"您对“{short_title(target.title)}”的重新办理申请已答复:"
                + ("同意重新办理。" if grant else "不同意重新办理。")
                + new_due
                + answer[:60]
            ),
            progress=lambda target: "的重新办理申请已答复:" + ("同意重新办理" if grant else "不同意重新办理"),
            code=code_label(matter),
            subject="重新办理申请已答复",
            link=tracking_link(matter.tracking_code),
            followers=[matter],
        )

    # The audit row is the engine's state change (open → granted/declined).
    REOPEN_REQUEST_WORKFLOW.transition(
        reopen_request,
        action=ReopenAction.GRANT if grant else ReopenAction.DECLINE,
        actor=actor,
        updates={"answer": answer, "answered_by": actor},
        within=within,
        audit_extra={"number": matter.number, "granted": bool(grant)},
    )
    reopen_request.refresh_from_db()
    return reopen_request


def matter_public_consent_set(*, matter: Matter, consent: bool) -> Matter:
    """The reporter gives or withdraws consent to a public listing (ADR 0018);
    the change shows on the public timeline and is audited. Withdrawing takes
    the matter off every public list at once (they are read live)."""
    if matter.public_consent == consent:
        return matter
    with transaction.atomic():
        Matter.objects.filter(pk=matter.pk).update(public_consent=consent, updated_at=timezone.now())
        event_append(
            matter=matter,
            kind=EventKind.CONSENT,
            actor_label=REPORTER,
            text="反映人同意公开反映内容(不含个人信息)。" if consent else "反映人撤回公开同意,事项不再公开。",
            public=True,
        )
        audit_record(action=AUDIT_PUBLIC_CONSENT, obj=matter, detail={"public_consent": consent})
    matter.refresh_from_db()
    return matter
