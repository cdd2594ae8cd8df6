"""Submitting an application (提交) and resubmitting it after a return
(补正后重新提交): the Art. 32 review clock of 5 working days starts, the
applicant and the window are told, and an application with materials
missing goes in only when the caller says it knows (MaterialsMissing).
Re-exported by `services.applications`, the one entry point of the contract."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.roles import Capability
from grassroots.core.notifications.services import notify_user
from grassroots.core.workdays import CalendarNotCovered

from ..errors import RegistrationError, TransitionNotAllowed
from ..models import Application
from ..states import Action, allowed
from .clock import REVIEW_DAYS, review_due_after
from .materials import missing_names, require_letter
from .workflow import format_tracking_code, lock, notify_applicant, require, transition, window_staff

if TYPE_CHECKING:
    pass


def _review_due(received_on: datetime.date) -> datetime.date | None:
    try:
        return review_due_after(received_on=received_on)
    except CalendarNotCovered:
        return None  # shown on the page as "cannot be computed"; submission must not fail for it


def _notify_staff_submitted(application: Application, *, resubmitted: bool, round_: int) -> None:
    from django.urls import reverse

    link = reverse("registration:app-detail", kwargs={"pk": application.pk})
    what = "补正后重新提交" if resubmitted else "提交了申请"
    for user in window_staff():
        notify_user(
            user,
            f"待初审:{application.org_name}",
            f"{application.applicant_name}{what}({application.service.name}),请在5个工作日内完成初审。",
            link,
            dedupe_key=f"reg-app-{application.pk}-submitted-{round_}-{user.pk}",
        )


class MaterialsMissing(RegistrationError):
    """Submitting while materials are missing, without saying so. The
    authority must receive an incomplete application and list every gap
    once (《行政许可法》第三十二条), so it is not refused; the applicant
    confirms knowingly (`confirm_incomplete`) or completes it first."""

    status = 409

    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            "materials_missing",
            f"以下材料还没有上传:{'、'.join(missing)}。可以先补齐再提交;确认仍要提交的,请勾选“缺少材料,仍要提交”,"
            "窗口将在初审时一次性告知需要补正的全部材料。",
            field="confirm_incomplete",
        )
        self.missing = missing
        self.extra = {"missing": missing}


def application_submit(
    *,
    application: Application,
    actor: Actor = None,
    on_behalf_of: str = "",
    confirm_incomplete: bool = False,
) -> Application:
    """draft → submitted: the Art. 32 clock of 5 working days starts. With
    materials missing only when `confirm_incomplete` (MaterialsMissing)."""
    return _submit(
        application=application,
        action=Action.SUBMIT,
        actor=actor,
        on_behalf_of=on_behalf_of,
        confirm_incomplete=confirm_incomplete,
    )


def application_resubmit(
    *,
    application: Application,
    actor: Actor = None,
    on_behalf_of: str = "",
    confirm_incomplete: bool = False,
) -> Application:
    """returned → submitted with the corrected materials: the case resumes
    and a new 5-working-day review clock starts. New files have superseded
    the old ones; the old verdicts stay in the history. Items still missing
    need `confirm_incomplete`, as on the first submission."""
    return _submit(
        application=application,
        action=Action.RESUBMIT,
        actor=actor,
        on_behalf_of=on_behalf_of,
        confirm_incomplete=confirm_incomplete,
    )


def _submit(
    *,
    application: Application,
    action: str,
    actor: Actor,
    on_behalf_of: str,
    confirm_incomplete: bool,
) -> Application:
    if actor is not None:
        require(actor, Capability.WINDOW_WORK)
    with transaction.atomic():
        application = lock(application)
        require_letter(application, actor=actor, on_behalf_of=on_behalf_of)
        if not allowed(action, application.state):
            raise TransitionNotAllowed(action, application.state)  # before the materials: a state error comes first
        missing = missing_names(application)
        if missing and not confirm_incomplete:
            raise MaterialsMissing(missing)
        now = timezone.now()
        today = timezone.localdate()
        review_due = _review_due(today)
        updates: dict[str, Any] = {"submitted_at": now, "review_due": review_due}
        if application.first_submitted_at is None:
            updates["first_submitted_at"] = now
        resubmitted = action == Action.RESUBMIT
        transition(
            application,
            action=action,
            actor=actor,
            on_behalf_of=on_behalf_of,
            text=(
                f"{'补正材料后重新提交' if resubmitted else '提交申请'}"
                + (f"(申请人已知并确认缺少:{'、'.join(missing)})" if missing else "")
                + f",窗口将在{REVIEW_DAYS}个工作日内完成初审"
                + (f"({review_due:%Y年%m月%d日}前)。" if review_due else "。")
            ),
            data={"review_due": review_due.isoformat() if review_due else None, "missing": missing},
            updates=updates,
        )
        # The n-th submission of this application (dedupe keys of its messages).
        round_ = application.events.filter(action__in=(Action.SUBMIT, Action.RESUBMIT)).count()
        if not application.service.no_visit:  # renewal by mail sends its own message
            notify_applicant(
                application,
                f"{application.org_name}的申请已{'重新' if resubmitted else ''}提交,"
                f"查询码 {format_tracking_code(application.tracking_code)}。"
                f"我们将在{REVIEW_DAYS}个工作日内完成初审并短信告知。",
                key=f"submitted-{round_}",
            )
        if actor is None:
            _notify_staff_submitted(application, resubmitted=resubmitted, round_=round_)
    return application
