"""Writes of 专题培训: schedule a session, and sign a member in by the
session's QR code. The code encodes a URL with a signed token (the training
id, signed with its time by Django's signing); it is refused after the
session's sign-in deadline or before an hour ahead of its start. Signing in
twice is answered with the first sign-in (idempotent)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.models import User
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.regions.models import Level, Node

from ..errors import PartyError
from ..models import SIGNIN_SALT, Attendance, Audience, Member, Method, Training
from ..permissions import require_manage

EARLY = datetime.timedelta(hours=1)
MAX_HOURS = Decimal("24")


@dataclass(frozen=True)
class TrainingInput:
    title: str
    audience: str
    node: Node
    starts_at: datetime.datetime
    hours: Decimal | str
    signin_until: datetime.datetime | None = None
    location: str = ""


def training_create(*, actor: Actor, data: TrainingInput) -> Training:
    require_manage(actor, data.node)
    title = (data.title or "").strip()
    if not title:
        raise PartyError("title_required", "请填写培训主题。", field="title")
    if len(title) > 100:
        raise PartyError("title_too_long", "培训主题不能超过 100 个字。", field="title")
    if data.audience not in Audience.values:
        raise PartyError("audience_invalid", "请选择有效的培训对象。", field="audience")
    if data.node.level not in (Level.SUBDISTRICT, Level.VILLAGE):
        raise PartyError("node_level", "培训由街道或村/社区举办。", field="node")
    try:
        hours = Decimal(str(data.hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError) as exc:
        raise PartyError("hours_invalid", "学时应为数字,例如 2 或 1.5。", field="hours") from exc
    if not (Decimal("0") < hours <= MAX_HOURS):
        raise PartyError("hours_range", "学时应大于 0 且不超过 24。", field="hours")
    until = data.signin_until or data.starts_at + datetime.timedelta(hours=float(hours) + 1)
    if until <= data.starts_at:
        raise PartyError("signin_until_early", "签到截止时间应晚于开始时间。", field="signin_until")
    with transaction.atomic():
        training = Training.objects.create(
            title=title,
            audience=data.audience,
            node=data.node,
            starts_at=data.starts_at,
            signin_until=until,
            hours=hours,
            location=(data.location or "").strip()[:100],
            created_by=user_or_none(actor),
        )
        audit_record(action=AuditAction.CREATE, actor=user_or_none(actor), obj=training, detail={"title": title})
    return training


def training_from_token(token: str) -> Training:
    """The training a QR token names (a forged or mangled token: 400)."""
    try:
        pk = int(signing.TimestampSigner(salt=SIGNIN_SALT).unsign(token or ""))
    except (signing.BadSignature, ValueError) as exc:
        raise PartyError("token_invalid", "签到码无效,请重新扫描现场的二维码。", field="token") from exc
    training = Training.objects.filter(pk=pk).select_related("node").first()
    if training is None:
        raise PartyError("token_invalid", "签到码无效,请重新扫描现场的二维码。", field="token")
    return training


def signin_window_error(training: Training, now: datetime.datetime) -> str:
    if now < training.starts_at - EARLY:
        return "培训尚未开始,开始前一小时内可以签到。"
    if now > training.signin_until:
        return "本次培训的签到已截止。"
    return ""


def member_for_training(*, user: User, training: Training) -> Member | None:
    """The user's active membership that the training covers (its organiser's subtree)."""
    return (
        Member.objects.filter(user=user, active=True, path__startswith=training.path)
        .select_related("branch")
        .order_by("id")
        .first()
    )


def training_sign_in(*, actor: User, token: str, now: datetime.datetime | None = None) -> tuple[Attendance, bool]:
    """Sign the logged-in member in; (the attendance, whether it is new)."""
    training = training_from_token(token)
    now = now or timezone.now()
    problem = signin_window_error(training, now)
    if problem:
        raise PartyError("signin_closed", problem, field="token")
    member = member_for_training(user=actor, training=training)
    if member is None:
        raise PartyError("not_a_member", "您不是本次培训范围内的在册党员,不能签到。", field="token")
    existing = Attendance.objects.filter(training=training, member=member).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(training=training, member=member, method=Method.QR)
            audit_record(action="party.sign_in", actor=actor, obj=attendance, detail={"training": training.pk})
    except IntegrityError:
        return Attendance.objects.get(training=training, member=member), False
    return attendance, True


def training_record_manual(*, actor: Actor, training: Training, member: Member) -> tuple[Attendance, bool]:
    """补签: party staff record a member who attended without a phone (a
    resident member has no account); once per member, like the QR sign-in."""
    require_manage(actor, training)
    if not member.active or not member.path.startswith(training.path):
        raise PartyError("not_a_member", "该党员不在本次培训范围内。", field="member")
    existing = Attendance.objects.filter(training=training, member=member).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        attendance = Attendance.objects.create(training=training, member=member, method=Method.MANUAL)
        audit_record(action="party.sign_in", actor=user_or_none(actor), obj=attendance, detail={"manual": True})
    return attendance, True
