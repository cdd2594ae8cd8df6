"""Activities: staff put an activity on the calendar, register residents,
mark who came, and check a recurring activity (周五固定清扫日) in for a
village once a week. Village staff and the subdistrict organise; grid
workers register and mark attendance in their grid (RECORD_CARE)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.actors import SystemActor, user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import NotFound
from grassroots.core.scoping import require_in_scope, user_scope_path
from grassroots.regions.models import Level, Node, Resident

from ..errors import LivelihoodConflict, LivelihoodError
from ..models import Activity, ActivityKind, ActivityPhoto, CheckIn, Registration
from .photos import checked_photo, clean_caption

MAX_PARTICIPANTS = 100000


@dataclass(frozen=True)
class ActivityInput:
    title: str
    kind: str
    node: Node
    starts_on: datetime.date
    place: str
    capacity: int | None = None
    weekday: int | None = None


def activity_create(*, actor: Actor, data: ActivityInput) -> Activity:
    require_in_scope(actor, data.node)
    require_capability(actor, Capability.MANAGE_PROJECTS, "只有村/社区或街道工作人员可以安排活动。")
    title, place = data.title.strip(), data.place.strip()
    if not title or len(title) > 100:
        raise LivelihoodError("title_invalid", "请填写活动名称(不超过 100 个字)。", field="title")
    if data.kind not in ActivityKind.values:
        raise LivelihoodError("kind_invalid", "活动类型无效。", field="kind")
    if data.node.level not in (Level.SUBDISTRICT, Level.VILLAGE):
        raise LivelihoodError("node_level", "举办范围应为街道或村/社区。", field="node")
    if not place or len(place) > 100:
        raise LivelihoodError("place_invalid", "请填写地点(不超过 100 个字)。", field="place")
    if data.capacity is not None and not 1 <= data.capacity <= MAX_PARTICIPANTS:
        raise LivelihoodError("capacity_invalid", "名额应为正整数。", field="capacity")
    if data.weekday is not None and not 0 <= data.weekday <= 6:
        raise LivelihoodError("weekday_invalid", "每周固定日无效。", field="weekday")
    with transaction.atomic():
        activity = Activity.objects.create(
            title=title,
            kind=data.kind,
            node=data.node,
            starts_on=data.starts_on,
            place=place,
            capacity=data.capacity,
            weekday=data.weekday,
            created_by=user_or_none(actor),
        )
        audit_record(action=AuditAction.CREATE, actor=user_or_none(actor), obj=activity, detail={"kind": data.kind})
    return activity


def registration_add(*, actor: Actor, activity: Activity, resident: Resident) -> Registration:
    """Sign `resident` up: they live where the activity is held, once, within the places."""
    require_in_scope(actor, resident)
    require_capability(actor, Capability.RECORD_CARE, "您的角色不能登记活动报名。")
    if not resident.path.startswith(activity.path):
        raise LivelihoodError("resident_elsewhere", "该居民不在活动举办范围内。", field="resident")
    if activity.capacity is not None and activity.registrations.count() >= activity.capacity:
        raise LivelihoodConflict("activity_full", "活动名额已满。")
    try:
        with transaction.atomic():
            row = Registration.objects.create(activity=activity, resident=resident, registered_by=user_or_none(actor))
            audit_record(
                action=AuditAction.CREATE, actor=user_or_none(actor), obj=row, detail={"activity": activity.pk}
            )
    except IntegrityError as exc:
        raise LivelihoodConflict("already_registered", "该居民已报名。") from exc
    return row


def registration_attend(*, actor: Actor, registration: Registration) -> Registration:
    require_in_scope(actor, registration)
    require_capability(actor, Capability.RECORD_CARE, "您的角色不能登记活动签到。")
    if registration.activity.starts_on > timezone.localdate():
        raise LivelihoodError("not_yet", "活动还没有开始,不能签到。")
    if Registration.objects.filter(pk=registration.pk, attended=False).update(attended=True) != 1:
        raise LivelihoodConflict("already_attended", "该居民已签到。")
    registration.attended = True
    audit_record(action=AuditAction.UPDATE, actor=user_or_none(actor), obj=registration, detail={"attended": True})
    return registration


def check_in(
    *,
    actor: Actor,
    activity: Activity,
    village: Node,
    participants: int,
    held_on: datetime.date | None = None,
    note: str = "",
) -> CheckIn:
    """A village's check-in of a recurring activity for the week of `held_on`."""
    # The village's own staff, the subdistrict, or a grid worker of the village.
    prefix = user_scope_path(actor) if not isinstance(actor, SystemActor) else ""
    if prefix is None or not (village.path.startswith(prefix) or prefix.startswith(village.path)):
        raise NotFound()
    require_capability(actor, Capability.RECORD_CARE, "您的角色不能登记活动打卡。")
    if activity.weekday is None:
        raise LivelihoodError("not_recurring", "只有每周固定的活动需要打卡。")
    if village.level != Level.VILLAGE or not village.path.startswith(activity.path):
        raise LivelihoodError("village_invalid", "请选择活动范围内的村/社区。", field="village")
    held_on = held_on or timezone.localdate()
    if held_on > timezone.localdate():
        raise LivelihoodError("held_future", "打卡日期不能晚于今天。", field="held_on")
    if not 1 <= participants <= MAX_PARTICIPANTS:
        raise LivelihoodError("participants_invalid", "参加人数应为正整数。", field="participants")
    note = (note or "").strip()
    if len(note) > 200:
        raise LivelihoodError("note_too_long", "情况说明不能超过 200 个字。", field="note")
    week = held_on - datetime.timedelta(days=held_on.weekday())
    try:
        with transaction.atomic():
            row = CheckIn.objects.create(
                activity=activity,
                village=village,
                held_on=held_on,
                week=week,
                participants=participants,
                note=note,
                checked_by=user_or_none(actor),
            )
            audit_record(action=AuditAction.CREATE, actor=user_or_none(actor), obj=row, detail={"week": str(week)})
    except IntegrityError as exc:
        raise LivelihoodConflict("already_checked_in", "本周已打卡。") from exc
    return row


def activity_photo_add(*, actor: Actor, activity: Activity, photo: UploadedFile, caption: str = "") -> ActivityPhoto:
    """A photo of the activity, by its organisers (village staff or the subdistrict)."""
    require_in_scope(actor, activity)
    require_capability(actor, Capability.MANAGE_PROJECTS, "只有村/社区或街道工作人员可以上传活动照片。")
    caption = clean_caption(caption)
    item = checked_photo(photo)
    with transaction.atomic():
        row = ActivityPhoto.objects.create(
            activity=activity,
            file=item.content,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            caption=caption,
            uploaded_by=user_or_none(actor),
        )
        audit_record(action=AuditAction.CREATE, actor=user_or_none(actor), obj=row, detail={"activity": activity.pk})
    return row
