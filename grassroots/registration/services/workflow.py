"""Shared plumbing of the application services: the application workflow
bound to the platform's engine (state table + capability + conditional update
+ event + audit), actors and on whose
behalf they act, tracking codes and numbers, applicant notifications."""

from __future__ import annotations

import datetime
import logging
import secrets
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import IntegrityError, models, transaction
from django.urls import reverse

from grassroots.accounts.actors import Actor, as_user
from grassroots.accounts.models import User
from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import ROLE_CAPABILITIES, Capability
from grassroots.core.errors import DomainError, PermissionDenied
from grassroots.core.notifications.services import notify_sms
from grassroots.core.workflow import Workflow

from ..errors import RegistrationError, StaleState, TransitionNotAllowed
from ..models import Application, ApplicationEvent
from ..permissions import require_transition
from ..states import TABLE, Action, State
from .sms_kinds import APPLICATION_PROGRESS

logger = logging.getLogger(__name__)

TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
TRACKING_LENGTH = 12  # 32**12 = 2**60 codes: not guessable
NUMBER_ATTEMPTS = 5
# 受理编号: prefix + date + daily sequence, e.g. SZ2026112900001.
ACCEPTANCE_PREFIX = "SZ"
RETURN_NOTICE_PREFIX = "BZ"
SEQUENCE_DIGITS = 5

STATE_LABELS = {str(value): str(label) for value, label in State.choices}
ACTION_LABELS = {str(value): str(label) for value, label in Action.choices}
# Timeline labels of every ApplicationEvent.action (transitions and other actions).
EVENT_LABELS = {
    **ACTION_LABELS,
    "create": "新建申请",
    "update": "修改申请表",
    "upload": "上传材料",
    "review": "初审",
    "extend": "延长期限",
    "commitment_create": "生成告知承诺书",
    "commitment_sign": "签署告知承诺书",
    "commitment_verify": "告知承诺核查",
    "mail_received": "收到寄来的旧证书",
    "mail_out": "新证书已寄出",
}


# --- Tracking codes ---------------------------------------------------------------


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def format_tracking_code(code: str) -> str:
    """``7K3M9QX2PAB4`` → ``7K3M-9QX2-PAB4`` for reading out and typing."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def parse_tracking_code(text: str) -> str:
    return "".join(c for c in (text or "").upper() if c.isalnum())[:40]


def track_path(application: Application) -> str:
    return reverse("registration-public:app-track", kwargs={"code": application.tracking_code})


# --- Actors -----------------------------------------------------------------------


def is_window_staff(actor: Actor) -> bool:
    return user_can(actor, Capability.WINDOW_WORK)


def require(actor: Actor, capability: str) -> None:
    if not user_can(actor, capability):
        raise PermissionDenied("您的角色没有此项权限。")


def acting_as_agent(application: Application, *, actor: Actor, on_behalf_of: str) -> bool:
    """An agent acts for the applicant and is neither the applicant nor
    window staff (帮办 by staff needs no letter): the application names an
    agent, or the caller says it acts for someone other than the applicant."""
    if is_window_staff(actor):
        return False
    behalf = (on_behalf_of or "").strip()
    return bool(application.agent_name) or bool(behalf and behalf != application.applicant_name)


def actor_label(application: Application, *, actor: Actor, on_behalf_of: str = "") -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return str(actor)[:50]
    if acting_as_agent(application, actor=actor, on_behalf_of=on_behalf_of):
        return f"代理人{application.agent_name or ''}"[:50]
    return f"申请人{application.applicant_name}"[:50]


# What the applicant does (or staff and agents do for them); the rest —
# review, return, acceptance, clocks, decisions — is the authority's own act.
APPLICANT_ACTIONS = frozenset(
    {"create", "update", "upload", "submit", "resubmit", "withdraw", "commitment_create", "commitment_sign"}
)


def behalf_of(application: Application, *, actor: Actor, on_behalf_of: str = "") -> str:
    """Whom an action is for: staff and agents act for the applicant."""
    behalf = (on_behalf_of or "").strip()
    if behalf:
        return behalf[:50]
    if is_window_staff(actor) or acting_as_agent(application, actor=actor, on_behalf_of=""):
        return application.applicant_name[:50]
    return ""


def _user(actor: Actor) -> User | None:
    return as_user(actor)


# --- Events and transitions -------------------------------------------------------


def event_add(
    application: Application,
    *,
    action: str,
    actor: Actor,
    on_behalf_of: str = "",
    text: str = "",
    data: dict[str, Any] | None = None,
    public: bool = True,
    from_state: str = "",
    to_state: str = "",
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=_user(actor),
        actor_label=actor_label(application, actor=actor, on_behalf_of=on_behalf_of),
        on_behalf_of=behalf_of(application, actor=actor, on_behalf_of=on_behalf_of)
        if action in APPLICANT_ACTIONS or on_behalf_of
        else "",
        text=text,
        public=public,
        data=data or {},
    )


WORKFLOW: Workflow[Application] = Workflow(
    model=Application,
    table=TABLE,
    not_allowed=TransitionNotAllowed,
    stale=StaleState,
)


def transition(
    application: Application,
    *,
    action: str,
    actor: Actor,
    on_behalf_of: str = "",
    text: str = "",
    data: dict[str, Any] | None = None,
    updates: dict[str, Any] | None = None,
    public: bool = True,
) -> Application:
    """An application changes state only here, through the platform's workflow
    engine: the capability of the action (registration is not tree-scoped,
    ADR 0011), the table, an update conditioned on the current state (a
    concurrent change raises `StaleState` and changes nothing), the event and
    the audit entry in one transaction."""
    return WORKFLOW.transition(
        application,
        action=action,
        actor=actor,
        permission=partial(require_transition, actor, action),
        updates=updates,
        event=lambda fresh, source, target: event_add(
            fresh,
            action=action,
            actor=actor,
            on_behalf_of=on_behalf_of,
            text=text,
            data=data,
            public=public,
            from_state=source,
            to_state=target,
        ),
        audit_extra={"on_behalf_of": on_behalf_of or ""},
    )


def lock(application: Application) -> Application:
    """The current row (state may have moved since the caller loaded it)."""
    return Application.objects.select_related("service", "organisation").get(pk=application.pk)


# --- Numbers ----------------------------------------------------------------------


def allocate_number(
    *,
    model: type[models.Model],
    field_name: str,
    prefix: str,
    day: datetime.date,
    save: Callable[[str], Any],
) -> str:
    """Prefix + date + a daily sequence, unique in the database: the next
    number after the highest of the day; a concurrent writer that took it
    makes the unique constraint fail and we take the next one."""
    stem = f"{prefix}{day:%Y%m%d}"
    last_error: IntegrityError | None = None
    for _attempt in range(NUMBER_ATTEMPTS):
        last = (
            model._default_manager.filter(**{f"{field_name}__startswith": stem})
            .order_by(f"-{field_name}")
            .values_list(field_name, flat=True)
            .first()
        )
        tail = str(last)[len(stem) :] if last else ""
        number = f"{stem}{(int(tail) if tail.isdigit() else 0) + 1:0{SEQUENCE_DIGITS}d}"
        try:
            with transaction.atomic():  # savepoint: a lost race does not spoil the caller's transaction
                save(number)
        except IntegrityError as exc:
            last_error = exc
            continue
        return number
    raise RegistrationError("number_busy", "编号分配冲突,请稍后重试。") from last_error


# --- Notifications ----------------------------------------------------------------


def notify_applicant(application: Application, body: str, *, key: str, subject: str = "社会组织登记") -> None:
    """A text message to the applicant with the tracking page link; a phone
    that is not a mobile number only loses the message, never the action."""
    try:
        notify_sms(
            application.applicant_phone,
            f"【社会组织登记】{body}",
            kind=APPLICATION_PROGRESS,
            params={"organisation": application.org_name},
            subject=subject,
            link=track_path(application),
            dedupe_key=f"reg-app-{application.pk}-{key}",
        )
    except DomainError:
        logger.warning("Application %s has no valid mobile number; SMS %s skipped.", application.pk, key)


def window_staff() -> list[User]:
    roles = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.WINDOW_WORK in caps]
    return list(User.objects.filter(role__in=roles, is_active=True).order_by("id"))
