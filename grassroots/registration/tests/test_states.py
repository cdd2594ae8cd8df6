"""Every (state, action) pair of the application, appointment and material
verdict workflows, through the services: the allowed ones reach the table's
target state, the forbidden ones answer 409 and change nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry, Notification
from grassroots.registration.models import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    Appointment,
    Service,
    SlotTemplate,
)
from grassroots.registration.services import applications as apps
from grassroots.registration.services import appointments, decisions
from grassroots.registration.services.certificates import certificate_issue
from grassroots.registration.services.seed import seed_catalogue
from grassroots.registration.states import (
    APPOINTMENT_TABLE,
    MATERIAL_TABLE,
    TABLE,
    TRANSITIONS,
    VERDICT_ACTIONS,
    Action,
    AppointmentAction,
    AppointmentState,
    MaterialAction,
    MaterialStatus,
    State,
    allowed,
)
from grassroots.testing.factories import UserFactory
from grassroots.testing.workflow import all_pairs, assert_table, check_pair, pair_ids

from . import support_applications as support

pytestmark = pytest.mark.django_db


def _build(state: str, user: Any, *, for_return: bool) -> Application:
    if state == State.DRAFT:
        return support.draft(user)
    if state in (State.SUBMITTED, State.VOIDED):
        application = support.submitted(user, skip=("supervisor-approval",) if for_return else ())
        support.review_all_ok(application, user)
        if state == State.VOIDED:
            decisions.application_void(actor=user, application=application, reason="并非本单位提出的申请")
            application.refresh_from_db()
        return application
    if state == State.RETURNED:
        return support.returned(user)
    application = support.accepted(user)
    if state == State.ACCEPTED:
        return application
    if state == State.SUSPENDED:
        apps.clock_suspend(actor=user, application=application, kind="expert", reason="专家评审")
    elif state == State.APPROVED:
        apps.application_approve(actor=user, application=application, issue=False)
    elif state == State.REFUSED:
        apps.application_refuse(actor=user, application=application, reason="名称与已登记组织相同")
    elif state == State.ISSUED:
        apps.application_approve(actor=user, application=application)
    elif state == State.WITHDRAWN:
        apps.application_withdraw(application=application, actor=user)
    application.refresh_from_db()
    return application


ACTIONS: dict[str, Callable[[Application, Any], Any]] = {
    Action.SUBMIT: lambda a, u: apps.application_submit(application=a, actor=u, confirm_incomplete=True),
    Action.RETURN: lambda a, u: apps.application_return(actor=u, application=a),
    Action.RESUBMIT: lambda a, u: apps.application_resubmit(application=a, actor=u, confirm_incomplete=True),
    Action.ACCEPT: lambda a, u: apps.application_accept(actor=u, application=a),
    Action.SUSPEND: lambda a, u: apps.clock_suspend(actor=u, application=a, kind="hearing", reason="举行听证"),
    Action.RESUME: lambda a, u: apps.clock_resume(actor=u, application=a),
    Action.APPROVE: lambda a, u: apps.application_approve(actor=u, application=a, issue=False),
    Action.REFUSE: lambda a, u: apps.application_refuse(actor=u, application=a, reason="不符合登记条件"),
    Action.ISSUE: lambda a, u: certificate_issue(actor=u, application=a),
    Action.WITHDRAW: lambda a, u: apps.application_withdraw(application=a, actor=u),
    Action.VOID: lambda a, u: decisions.application_void(actor=u, application=a, reason="冒用信用代码提出"),
}
PAIRS = [(state, action) for state in State.values for action in Action.values]


def test_every_action_has_a_service():
    assert set(ACTIONS) == set(TRANSITIONS) == set(Action.values)


@pytest.mark.parametrize(("state", "action"), PAIRS)
def test_pair(monkeypatch, state, action):
    support.Clock(monkeypatch)
    user = support.staff()
    application = _build(state, user, for_return=action == Action.RETURN)
    assert application.state == state
    check_pair(
        TABLE,
        action=action,
        state=state,
        obj=application,
        perform=lambda: ACTIONS[action](application, user),
        snapshot=lambda: (
            Application.objects.values_list("state", "updated_at").get(pk=application.pk),
            ApplicationEvent.objects.filter(application=application).count(),
            AuditEntry.objects.count(),
        ),
        code=None,  # some services refuse on their own rule (not editable, review missing) first
    )
    if allowed(action, state):
        assert ApplicationEvent.objects.filter(application=application, action=action).exists()


def test_every_state_but_draft_is_reachable_from_draft():
    reachable: set[str] = {State.DRAFT}
    changed = True
    while changed:
        changed = False
        for sources, destination in TRANSITIONS.values():
            if reachable & sources and destination not in reachable:
                reachable.add(destination)
                changed = True
    assert reachable == set(State.values)


# --- Appointments ---------------------------------------------------------------------

APPOINTMENT_PAIRS = all_pairs(AppointmentAction.values, AppointmentState.values)


def test_the_appointment_table():
    A, S = AppointmentAction, AppointmentState
    assert_table(
        APPOINTMENT_TABLE,
        actions=A.values,
        states=S.values,
        expected={
            (A.CANCEL, S.BOOKED),
            (A.MARK_ATTENDED, S.BOOKED),
            (A.MARK_ATTENDED, S.NO_SHOW),
            (A.MARK_NO_SHOW, S.BOOKED),
            (A.MARK_NO_SHOW, S.ATTENDED),
        },
    )


@pytest.mark.parametrize(("action", "state"), APPOINTMENT_PAIRS, ids=pair_ids(APPOINTMENT_PAIRS))
def test_appointment_pair(action, state):
    seed_catalogue()
    slot = SlotTemplate.objects.order_by("window__name", "start_time").first()
    assert slot is not None
    monday, tuesday = datetime.date(2026, 9, 28), datetime.date(2026, 9, 29)
    service = Service.objects.get(code="pne-establish")
    appointment, token = appointments.appointment_book(
        slot=slot, date=tuesday, service=service, name="王秀兰", phone="13800138000", today=monday
    )
    staff = UserFactory(role=Role.WINDOW_STAFF)
    if state == AppointmentState.CANCELLED:
        appointments.appointment_cancel(token=token, today=monday)
    elif state != AppointmentState.BOOKED:
        appointments.appointment_mark(actor=staff, appointment=appointment, status=state, today=tuesday)
    appointment.refresh_from_db()
    assert appointment.status == state
    perform = {
        AppointmentAction.CANCEL: lambda: appointments.appointment_cancel(token=token, today=tuesday),
        AppointmentAction.MARK_ATTENDED: lambda: appointments.appointment_mark(
            actor=staff, appointment=appointment, status=AppointmentState.ATTENDED, today=tuesday
        ),
        AppointmentAction.MARK_NO_SHOW: lambda: appointments.appointment_mark(
            actor=staff, appointment=appointment, status=AppointmentState.NO_SHOW, today=tuesday
        ),
    }[action]
    check_pair(
        APPOINTMENT_TABLE,
        action=action,
        state=state,
        obj=appointment,
        perform=perform,
        snapshot=lambda: (
            Appointment.objects.values_list("status", flat=True).get(pk=appointment.pk),
            AuditEntry.objects.count(),
            Notification.objects.count(),
        ),
        state_field="status",
        code=None,  # the appointment's own 409s: already cancelled, already handled, the same mark
    )


# --- Material verdicts -----------------------------------------------------------------

MATERIAL_PAIRS = all_pairs(MaterialAction.values, MaterialStatus.values)
JUDGEABLE = [MaterialStatus.PENDING, MaterialStatus.OK, MaterialStatus.MISSING, MaterialStatus.WRONG]


def test_the_material_table():
    assert_table(
        MATERIAL_TABLE,
        actions=MaterialAction.values,
        states=MaterialStatus.values,
        expected={(action, state) for action in MaterialAction.values for state in JUDGEABLE},
    )
    assert {MATERIAL_TABLE.target(action) for action in VERDICT_ACTIONS.values()} == {
        str(status) for status in VERDICT_ACTIONS
    }


def _verdict(status: str, material_pk: int) -> apps.Verdict:
    return apps.Verdict(
        status=status, reason="" if status == MaterialStatus.OK else "复印件不清晰", material_id=material_pk
    )


@pytest.mark.parametrize(("action", "state"), MATERIAL_PAIRS, ids=pair_ids(MATERIAL_PAIRS))
def test_material_pair(monkeypatch, action, state):
    support.Clock(monkeypatch)
    user = support.staff()
    application = support.submitted(user)
    material = ApplicationMaterial.objects.filter(application=application, superseded=False).order_by("id").first()
    assert material is not None
    if state == MaterialStatus.REPLACED:
        # Never a stored material's status (a checklist item's): set directly
        # to show that no verdict applies to it.
        ApplicationMaterial.objects.filter(pk=material.pk).update(status=state)
    elif state != MaterialStatus.PENDING:
        apps.application_review(actor=user, application=application, verdicts=[_verdict(state, material.pk)])
    material.refresh_from_db()
    assert material.status == state
    target = MATERIAL_TABLE.target(action)
    check_pair(
        MATERIAL_TABLE,
        action=action,
        state=state,
        obj=material,
        perform=lambda: apps.application_review(
            actor=user, application=application, verdicts=[_verdict(target, material.pk)]
        ),
        snapshot=lambda: (
            ApplicationMaterial.objects.values_list("status", "review_reason").get(pk=material.pk),
            ApplicationEvent.objects.filter(application=application).count(),
            AuditEntry.objects.count(),
        ),
        state_field="status",
        code="material_not_reviewable",
    )
