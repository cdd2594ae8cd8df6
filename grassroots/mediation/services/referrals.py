"""Referrals (转介): the people who meet a dispute first (grid workers,
village staff) send a matter to the centre; the centre accepts it (a case is
registered from the matter, `cases.dispute_from_matter`) or returns it with a
reason, which goes onto the matter's timeline and to the referrer.

The table is `states.REFERRAL_TRANSITIONS`; `_transition` is its one helper:
it checks the table and updates on the condition that the state is still the
one read (works on SQLite too), with the audit entry in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.models import User
from grassroots.accounts.roles import ROLE_CAPABILITIES, Capability
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.notifications.services import notify_user
from grassroots.core.scoping import path_in_scope
from grassroots.core.workflow import Workflow
from grassroots.matters.models import OPEN_STATES as MATTER_OPEN_STATES
from grassroots.matters.services.events import event_append as matter_event_append
from grassroots.regions.models import Node

from .. import permissions, states
from ..errors import MediationError, ReferralConflict, StaleState
from ..models import DisputeCase, DisputeReferral, DisputeType, PartySide, RiskLevel
from ..states import ReferralAction, ReferralState
from .cases import PartyInput, clean_phone, dispute_from_matter

REASON_MIN = 10
REASON_MAX = 2000
RETURN_REASON_MAX = 500


@dataclass
class ReferralInput:
    """What the referral form or API collected; validated by `referral_create`."""

    dispute_type: str
    reason: str
    other_party: str = ""
    other_party_phone: str = ""
    escalation_risk: bool = False


def referral_blocker(matter: Any) -> ReferralConflict | None:
    """Why `matter` cannot be referred now (None: it can). Pages use it to
    show the action only when it would work; the service raises it."""
    if matter.state not in MATTER_OPEN_STATES:
        return ReferralConflict("matter_not_open", "该事项已办结、关闭或合并,不能再转调解。")
    if DisputeCase.objects.filter(source_matter=matter).exists():
        return ReferralConflict("already_case", "该事项已转入调解中心立案,不能重复转介。")
    if DisputeReferral.objects.filter(matter=matter, state=ReferralState.PENDING).exists():
        return ReferralConflict("referral_pending", "该事项已转介至调解中心,正在等待接收。")
    return None


def _validate(data: ReferralInput) -> ReferralInput:
    if data.dispute_type not in DisputeType.values:
        raise MediationError("type_invalid", "请选择纠纷类型。", field="dispute_type")
    data.reason = (data.reason or "").strip()
    if len(data.reason) < REASON_MIN:
        raise MediationError(
            "reason_required",
            f"请写明纠纷经过、已做的工作和转调解的理由(至少 {REASON_MIN} 个字)。",
            field="reason",
        )
    if len(data.reason) > REASON_MAX:
        raise MediationError("reason_too_long", f"转介说明不能超过 {REASON_MAX} 个字。", field="reason")
    data.other_party = (data.other_party or "").strip()
    if len(data.other_party) > 100:
        raise MediationError("other_party_too_long", "对方当事人不能超过 100 个字。", field="other_party")
    data.other_party_phone = clean_phone(data.other_party_phone, prefix="对方当事人", field="other_party_phone")
    if data.other_party_phone and not data.other_party:
        raise MediationError("other_party_required", "填写了对方电话,请同时填写对方姓名或名称。", field="other_party")
    return data


def centre_users(*, path: str) -> list[User]:
    """Active centre staff (`MANAGE_MEDIATION`) whose jurisdiction contains `path`."""
    roles = [role for role, capabilities in ROLE_CAPABILITIES.items() if Capability.MANAGE_MEDIATION in capabilities]
    ancestors = [path[:end] for end in range(Node.steplen, len(path) + 1, Node.steplen)]
    return list(User.objects.filter(is_active=True, role__in=roles, jurisdiction__path__in=ancestors).order_by("pk"))


def referral_create(*, actor: User, matter: Any, data: ReferralInput) -> DisputeReferral:
    """转介: a matter in the actor's subtree goes to the centre, which is told."""
    if not path_in_scope(matter.path, actor):
        raise NotFound("未找到该事项,或不在您的辖区内。")
    if not permissions.can_refer(actor):
        raise PermissionDenied("只有网格员和村(社区)工作人员可以转介纠纷。")
    blocker = referral_blocker(matter)
    if blocker is not None:
        raise blocker
    data = _validate(data)
    try:
        with transaction.atomic():
            referral = DisputeReferral.objects.create(
                matter=matter,
                dispute_type=data.dispute_type,
                reason=data.reason,
                other_party=data.other_party,
                other_party_phone=data.other_party_phone,
                escalation_risk=data.escalation_risk,
                referred_by=actor,
            )
            matter_event_append(
                matter=matter,
                kind="note",
                actor=actor,
                text=f"转介一站式矛盾纠纷调解中心(待接收):{data.reason}",
                data={"referral": referral.pk},
            )
            audit_record(
                action=AuditAction.CREATE,
                actor=actor,
                obj=referral,
                detail={"matter": matter.pk, "dispute_type": data.dispute_type},
            )
            link = reverse("mediation:referral", args=[referral.pk])
            for user in centre_users(path=matter.path):
                notify_user(
                    user,
                    "新的纠纷转介待接收",
                    f"{actor} 转介了事项 {matter.number}“{matter.title}”,请接收或退回。",
                    link,
                    dedupe_key=f"mediation-referral:{referral.pk}:created:{user.pk}",
                )
    except IntegrityError as exc:
        # Two referrals of the same matter at once: the unique pending row won.
        raise ReferralConflict("referral_pending", "该事项已转介至调解中心,正在等待接收。") from exc
    return referral


def _require_centre(actor: Actor, referral: DisputeReferral) -> None:
    if not path_in_scope(referral.path, actor):
        raise NotFound()
    if not permissions.can_manage(actor):
        raise PermissionDenied("只有调解中心工作人员可以接收或退回转介。")


def _not_allowed(action: str, state: str) -> ReferralConflict:
    label, current = ReferralAction(action).label, ReferralState(state).label
    return ReferralConflict("transition_not_allowed", f"该转介当前为“{current}”,不能{label}。")


REFERRAL_WORKFLOW: Workflow[DisputeReferral] = Workflow(
    model=DisputeReferral,
    table=states.REFERRAL_TABLE,
    not_allowed=_not_allowed,
    stale=StaleState,
    timestamp_field=None,
)


def _check(action: str, referral: DisputeReferral) -> None:
    REFERRAL_WORKFLOW.check(action, referral)


def _transition(*, actor: Actor, referral: DisputeReferral, action: str, updates: dict[str, Any]) -> None:
    """A referral changes state only here, through the workflow engine."""
    REFERRAL_WORKFLOW.transition(
        referral,
        action=action,
        actor=actor,
        permission=partial(_require_centre, actor, referral),
        updates={"decided_by": actor, "decided_at": timezone.now(), **updates},
    )


def _tell_referrer(referral: DisputeReferral, subject: str, body: str, tag: str) -> None:
    notify_user(
        referral.referred_by,
        subject,
        body,
        reverse("matters:detail", args=[referral.matter_id]),
        dedupe_key=f"mediation-referral:{referral.pk}:{tag}",
    )


def referral_accept(
    *,
    actor: Actor,
    referral: DisputeReferral,
    dispute_type: str | None = None,
    risk_level: str = RiskLevel.LOW,
    escalation_risk: bool | None = None,
) -> DisputeCase:
    """接收: register a case from the matter (the reporter as applicant, the
    other party the referrer named as respondent); the referrer is told."""
    _require_centre(actor, referral)
    _check(ReferralAction.ACCEPT, referral)
    matter = referral.matter
    respondent = None
    if referral.other_party:
        respondent = PartyInput(
            side=PartySide.RESPONDENT, name=referral.other_party, phone=referral.other_party_phone or ""
        )
    with transaction.atomic():
        case = dispute_from_matter(
            actor=actor,
            matter=matter,
            dispute_type=dispute_type or referral.dispute_type,
            risk_level=risk_level,
            escalation_risk=referral.escalation_risk if escalation_risk is None else escalation_risk,
            respondent=respondent,
            referral=referral,
        )
        _transition(actor=actor, referral=referral, action=ReferralAction.ACCEPT, updates={"case": case})
        _tell_referrer(
            referral,
            "转介已被调解中心接收",
            f"您转介的事项 {matter.number}“{matter.title}”已由调解中心接收,案号 {case.number}。",
            "accepted",
        )
    return case


def referral_return(*, actor: Actor, referral: DisputeReferral, reason: str) -> DisputeReferral:
    """退回: the matter goes back to the referrer with the reason, on its
    timeline and in a notification; it may be referred again later."""
    _require_centre(actor, referral)
    _check(ReferralAction.RETURN, referral)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise MediationError(
            "reason_required", "请写明退回理由(至少 5 个字),以便转介人补充或另行处理。", field="reason"
        )
    if len(reason) > RETURN_REASON_MAX:
        raise MediationError("reason_too_long", f"退回理由不能超过 {RETURN_REASON_MAX} 个字。", field="reason")
    matter = referral.matter
    with transaction.atomic():
        _transition(
            actor=actor,
            referral=referral,
            action=ReferralAction.RETURN,
            updates={"return_reason": reason},
        )
        matter_event_append(
            matter=matter,
            kind="note",
            actor=actor,
            text=f"调解中心退回转介:{reason}",
            data={"referral": referral.pk},
        )
        _tell_referrer(
            referral,
            "转介被调解中心退回",
            f"您转介的事项 {matter.number}“{matter.title}”被调解中心退回:{reason}",
            "returned",
        )
    return referral
