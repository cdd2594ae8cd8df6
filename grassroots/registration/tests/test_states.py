"""Every (state, action) pair of the application workflow, through the
services: the allowed ones reach the table's target state, the forbidden
ones answer 409 and change nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from grassroots.core.models import AuditEntry
from grassroots.registration.models import Application, ApplicationEvent
from grassroots.registration.services import applications as apps
from grassroots.registration.services import decisions
from grassroots.registration.services.certificates import certificate_issue
from grassroots.registration.states import TABLE, TRANSITIONS, Action, State, allowed
from grassroots.testing.workflow import check_pair

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
