"""Reporter ratings, reopen requests and the staff's answers."""

from __future__ import annotations

import pytest

from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.models import AuditEntry, Notification

from ..errors import MatterError
from ..models import EventKind, Feedback, Matter, MatterEvent, Rating, ReopenRequest
from ..services import lifecycle
from ..services.feedback import matter_feedback_submit, matter_reopen_request, reopen_request_answer
from ..states import State
from . import factories as f

pytestmark = pytest.mark.django_db
SMS = Notification.Channel.SMS
IN_APP = Notification.Channel.IN_APP


@pytest.fixture
def clock(monkeypatch):
    return f.freeze(monkeypatch)


@pytest.fixture
def staff(tree, clock):
    return f.make_staff(tree)


@pytest.fixture
def resolved(tree, staff):
    return f.matter_in_state(State.RESOLVED, node=tree.unit_a1, handler=staff.village_a, assignee=staff.grid_a1)


def _counts() -> tuple[int, ...]:
    return (
        Feedback.objects.count(),
        ReopenRequest.objects.count(),
        MatterEvent.objects.count(),
        AuditEntry.objects.count(),
        Notification.objects.count(),
    )


def test_satisfied_rating_is_recorded_once_per_round(resolved):
    feedback = matter_feedback_submit(matter=resolved, rating=Rating.SATISFIED, comment="很及时,谢谢!")
    assert (feedback.round, feedback.rating) == (1, Rating.SATISFIED)
    event = resolved.events.get(kind=EventKind.FEEDBACK)
    assert event.public and "满意" in event.text and event.actor is None
    before = _counts()
    with pytest.raises(MatterError) as excinfo:
        matter_feedback_submit(matter=resolved, rating=Rating.BASICALLY)
    assert excinfo.value.code == "feedback_exists"
    assert _counts() == before
    assert not ReopenRequest.objects.exists()


def test_feedback_needs_a_resolved_matter_and_a_valid_rating(tree, staff):
    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    before = _counts()
    with pytest.raises(MatterError, match="办结后"):
        matter_feedback_submit(matter=matter, rating=Rating.SATISFIED)
    resolved = f.matter_in_state(State.RESOLVED, node=tree.unit_a1, handler=staff.village_a)
    before = _counts()
    with pytest.raises(MatterError) as excinfo:
        matter_feedback_submit(matter=resolved, rating="great")
    assert excinfo.value.field == "rating"
    assert _counts() == before


def test_unsatisfied_opens_a_reopen_request_and_tells_the_assignee(resolved, staff):
    matter_feedback_submit(matter=resolved, rating=Rating.UNSATISFIED, comment="灯还是不亮。")
    reopen = ReopenRequest.objects.get(matter=resolved)
    assert reopen.status == ReopenRequest.Status.OPEN
    assert "灯还是不亮" in reopen.reason and reopen.feedback is not None
    assert Notification.objects.filter(channel=IN_APP, recipient=staff.grid_a1, subject="群众申请重新办理").exists()
    assert resolved.events.filter(kind=EventKind.REOPEN_REQUESTED, public=True).exists()


def test_answer_is_required_and_the_role_must_handle(resolved, staff):
    matter_feedback_submit(matter=resolved, rating=Rating.UNSATISFIED)
    reopen = ReopenRequest.objects.get()
    before = _counts()
    with pytest.raises(MatterError) as excinfo:
        reopen_request_answer(actor=staff.village_a, reopen_request=reopen, grant=True, answer="  ")
    assert excinfo.value.code == "answer_required"
    with pytest.raises(PermissionDenied):
        reopen_request_answer(actor=staff.grid_a1, reopen_request=reopen, grant=True, answer="同意")
    with pytest.raises(NotFound):
        reopen_request_answer(actor=staff.village_b, reopen_request=reopen, grant=True, answer="同意")
    assert _counts() == before
    reopen.refresh_from_db()
    assert reopen.status == ReopenRequest.Status.OPEN
    assert Matter.objects.get(pk=resolved.pk).state == State.RESOLVED


def test_granting_reopens_to_handling_and_texts_the_reporter(resolved, staff):
    matter_feedback_submit(matter=resolved, rating=Rating.UNSATISFIED)
    reopen = ReopenRequest.objects.get()
    reopen_request_answer(actor=staff.village_a, reopen_request=reopen, grant=True, answer="已安排电工再次维修。")
    assert reopen.status == ReopenRequest.Status.GRANTED
    assert (reopen.answered_by, reopen.answer) == (staff.village_a, "已安排电工再次维修。")
    resolved.refresh_from_db()
    assert resolved.state == State.HANDLING
    last_sms = Notification.objects.filter(channel=SMS).latest("pk")
    assert "同意重新办理" in last_sms.body
    # The second round may be rated again.
    lifecycle.matter_resolve(actor=staff.grid_a1, matter=resolved, result="更换了线路。")
    feedback = matter_feedback_submit(matter=resolved, rating=Rating.SATISFIED)
    assert feedback.round == 2
    with pytest.raises(MatterError):
        reopen_request_answer(actor=staff.village_a, reopen_request=reopen, grant=False, answer="再答一次")


def test_declining_keeps_the_matter_resolved(resolved, staff):
    reopen = matter_reopen_request(matter=resolved, reason="物业说修好了,其实没有。")
    reopen_request_answer(actor=staff.village_a, reopen_request=reopen, grant=False, answer="现场核实灯已亮。")
    assert reopen.status == ReopenRequest.Status.DECLINED
    assert Matter.objects.get(pk=resolved.pk).state == State.RESOLVED
    assert resolved.events.filter(kind=EventKind.REOPEN_ANSWERED, public=True).exists()


def test_one_open_reopen_request_at_a_time(resolved):
    matter_reopen_request(matter=resolved, reason="没修好。")
    before = _counts()
    with pytest.raises(MatterError) as excinfo:
        matter_reopen_request(matter=resolved, reason="还是没修好。")
    assert excinfo.value.code == "reopen_request_open"
    assert _counts() == before
    # An unsatisfied rating while a request is open adds no second request.
    matter_feedback_submit(matter=resolved, rating=Rating.UNSATISFIED)
    assert ReopenRequest.objects.count() == 1


def test_reopen_request_window_is_14_days_after_close(tree, staff, clock):
    matter = f.matter_in_state(State.CLOSED, node=tree.unit_a1, handler=staff.village_a)
    clock.advance(days=14)
    matter_reopen_request(matter=matter, reason="又坏了。")
    other = f.matter_in_state(State.CLOSED, node=tree.unit_a1, handler=staff.village_a)
    clock.advance(days=1)
    assert other.closed_at is not None
    clock.advance(days=14)
    before = _counts()
    with pytest.raises(MatterError) as excinfo:
        matter_reopen_request(matter=other, reason="又坏了。")
    assert excinfo.value.code == "feedback_window_closed"
    with pytest.raises(MatterError):
        matter_feedback_submit(matter=other, rating=Rating.UNSATISFIED)
    assert _counts() == before


def test_a_request_filed_in_time_may_be_granted_after_the_window(tree, staff, clock):
    matter = f.matter_in_state(State.CLOSED, node=tree.unit_a1, handler=staff.village_a)
    clock.advance(days=13)
    reopen = matter_reopen_request(matter=matter, reason="路灯又不亮了。")
    clock.advance(days=5)
    reopen_request_answer(actor=staff.village_a, reopen_request=reopen, grant=True, answer="同意,重新安排。")
    assert Matter.objects.get(pk=matter.pk).state == State.HANDLING


def test_reopen_request_needs_a_reason_and_a_resolved_matter(tree, staff):
    matter = f.matter_in_state(State.ACCEPTED, node=tree.unit_a1, handler=staff.village_a)
    with pytest.raises(MatterError, match="办结后"):
        matter_reopen_request(matter=matter, reason="快点办")
    resolved = f.matter_in_state(State.RESOLVED, node=tree.unit_a1, handler=staff.village_a)
    with pytest.raises(MatterError) as excinfo:
        matter_reopen_request(matter=resolved, reason="")
    assert excinfo.value.field == "reason"
    assert not ReopenRequest.objects.exists()
