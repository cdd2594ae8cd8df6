"""说事: creating matters from every channel (resident web form, WeChat relay,
grid visits, hotline and walk-in, Open311) and recording visits."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.actors import Actor, as_user
from grassroots.accounts.models import User
from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability
from grassroots.addresses.models import Address
from grassroots.addresses.selectors import address_is_verified
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import DomainError, NotFound, PermissionDenied
from grassroots.core.files import CheckedFile
from grassroots.core.notifications.services import normalise_mobile, notify_user
from grassroots.core.scoping import path_in_scope
from grassroots.core.search import search_index
from grassroots.core.sequences import sequence_next
from grassroots.regions.models import Household, Level, Node, Resident
from grassroots.regions.service_area import handlers_at, place_route, unserved_message

from ..attachments import check_files
from ..errors import IdempotencyKeyMismatch, MatterError
from ..models import Attachment, Category, Channel, EventKind, Matter, Urgency, Visit
from .events import event_append
from .rollup import rollup_matter_created

TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
TRACKING_LENGTH = 10  # 32**10 = 2**50 codes: not guessable
SEARCH_TYPE = "matters.Matter"


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def format_tracking_code(code: str) -> str:
    """``7K3M9QX2PA`` → ``7K3M-9QX2-PA`` for reading out and typing."""
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def parse_tracking_code(text: str) -> str:
    return "".join(c for c in text.upper() if c.isalnum())


def _next_number(today: datetime.date) -> str:
    prefix = f"SX{today:%Y%m%d}"

    def issued_before() -> int:
        # Numbers issued before the day's counter existed (or by an older version).
        last = (
            Matter.objects.filter(number__startswith=prefix)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        return int(last[len(prefix) + 1 :]) if last else 0

    return f"{prefix}-{sequence_next(f'matter-number:{prefix}', start=issued_before):04d}"


def matter_index(matter: Matter) -> None:
    """(Re)index a matter's text for search; callers run it after commit."""
    search_index(
        obj_type=SEARCH_TYPE,
        obj_id=matter.pk,
        path=matter.path,
        text=" ".join(filter(None, [matter.number, matter.title, matter.description, matter.location, matter.result])),
    )


@dataclass
class MatterInput:
    """What a channel collected. Validated by `matter_create`."""

    node: Node
    title: str
    description: str
    channel: str
    location: str = ""
    reporter_resident: Resident | None = None
    reporter_name: str = ""
    reporter_phone: str = ""
    anonymous: bool = False
    # The reporter agreed to a public listing of the text (ADR 0018); never presumed.
    public_consent: bool = False
    urgency: str = Urgency.NORMAL
    touches_collective: bool = False
    category: Category | None = None
    channel_detail: dict[str, Any] = field(default_factory=dict)
    latitude: Any = None
    longitude: Any = None
    # A verified standard address inside `node` (ADR 0037); staff pick it.
    address: Address | None = None


ADDRESS_NOT_FOUND = "标准地址不存在,或不在您的辖区内。"


def _check_address(data: MatterInput, staff: User | None) -> None:
    """The standard address must be verified, inside the chosen place and,
    for staff, inside their subtree. Outside it, it is answered like an id
    that does not exist (a 400 on the field, never whose address it is)."""
    address = data.address
    if address is None:
        return
    if staff is not None and not path_in_scope(address.path, staff):
        raise MatterError("address_not_found", ADDRESS_NOT_FOUND, field="address")
    if not address_is_verified(address):
        raise MatterError("address_unverified", "只能选择已核验的标准地址。", field="address")
    if not address.path.startswith(data.node.path):
        raise MatterError(
            "address_outside_place", "所选标准地址不在发生地点内,请重新选择地点或标准地址。", field="address"
        )


def _validate(data: MatterInput) -> MatterInput:
    data.title = (data.title or "").strip()
    data.description = (data.description or "").strip()
    if not data.title:
        raise MatterError("title_required", "请填写标题,一句话说清是什么事。", field="title")
    if len(data.title) > 100:
        raise MatterError("title_too_long", "标题不能超过 100 个字。", field="title")
    if len(data.description) < 5:
        raise MatterError("description_required", "请把事情说具体一些(至少 5 个字)。", field="description")
    if len(data.description) > 5000:
        raise MatterError("description_too_long", "内容不能超过 5000 个字。", field="description")
    if data.channel not in Channel.values:
        raise MatterError("channel_invalid", "渠道无效。", field="channel")
    if data.urgency not in Urgency.values:
        raise MatterError("urgency_invalid", "紧急程度无效。", field="urgency")
    if data.node.level < Level.VILLAGE:
        raise MatterError("node_too_high", "请选择具体的村/社区、网格、楼栋或单元。", field="node")
    if len(data.location) > 200:
        raise MatterError("location_too_long", "具体位置不能超过 200 个字。", field="location")
    data.reporter_name = (data.reporter_name or "").strip()[:50]
    if data.reporter_phone:
        try:
            data.reporter_phone = normalise_mobile(data.reporter_phone)
        except DomainError as exc:
            # Digits of another script get their own message; the rest the usual one.
            message = exc.message if exc.code == "phone_digits_script" else "手机号应为 11 位大陆手机号码。"
            raise MatterError("phone_invalid", message, field="reporter_phone") from exc
    if data.channel == Channel.WEB and not data.reporter_phone:
        raise MatterError(
            "phone_required", "请留下手机号,以便告知办理进展(匿名反映时仅用于通知,不会公开)。", field="reporter_phone"
        )
    if data.anonymous:
        data.reporter_name = ""
        data.reporter_resident = None
    return data


def _store_attachments(
    matter: Matter, files: list[CheckedFile], *, actor: Actor, public: bool, event: Any = None
) -> None:
    for checked in files:
        attachment = Attachment(
            matter=matter,
            event=event,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            public=public,
            uploaded_by=as_user(actor),
        )
        attachment.file.save(checked.sha256, checked.content, save=False)
        attachment.save()


def _fingerprint(data: MatterInput, files: list[UploadedFile]) -> str:
    """SHA-256 of what was submitted, before validation normalises it: the
    same submission retried gives the same value, whatever the JSON key order."""

    def plain(value: Any) -> Any:
        return value.pk if hasattr(value, "_meta") else value

    values = {f.name: plain(getattr(data, f.name)) for f in dataclasses.fields(data)}
    values["files"] = [[upload.name, upload.size] for upload in files]
    text = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _replayed(existing: Matter, fingerprint: str) -> Matter:
    # Rows from before fingerprints were kept have none: treated as a match.
    if existing.idempotency_fingerprint and existing.idempotency_fingerprint != fingerprint:
        raise IdempotencyKeyMismatch()
    return existing


def matter_create(
    *,
    data: MatterInput,
    files: list[UploadedFile] | None = None,
    actor: Actor = None,
    visit: Visit | None = None,
    idempotency_key: str | None = None,
) -> tuple[Matter, bool]:
    """Create a matter from any channel. Returns (matter, created); a retried
    submission with the same idempotency key returns the first matter."""
    fingerprint = _fingerprint(data, files or [])
    if idempotency_key:
        idempotency_key = idempotency_key.strip()[:64]
        existing = Matter.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _replayed(existing, fingerprint), False
    data = _validate(data)
    staff = as_user(actor)
    if staff is not None and not path_in_scope(data.node.path, staff):
        # Staff record matters only inside their own subtree (404 semantics).
        raise NotFound("所选地点不在您的辖区内。")
    _check_address(data, staff)
    # A place nobody handles is refused rather than accepted and seen by nobody;
    # a place whose village has no handling staff goes to the nearest ancestor
    # that has (ADR 0021). The matter stays anchored where it happened.
    route = place_route(node=data.node)
    if not route.served:
        raise MatterError("place_unserved", unserved_message(data.node), field="node")
    checked = check_files(list(files or []))
    for attempt in range(5):
        try:
            with transaction.atomic():
                matter = Matter(
                    number=_next_number(timezone.localdate()),
                    tracking_code=new_tracking_code(),
                    node=data.node,
                    title=data.title,
                    description=data.description,
                    location=data.location.strip(),
                    latitude=data.latitude,
                    longitude=data.longitude,
                    channel=data.channel,
                    channel_detail=data.channel_detail,
                    reporter_resident=data.reporter_resident,
                    reporter_name=data.reporter_name,
                    reporter_phone=data.reporter_phone,
                    anonymous=data.anonymous,
                    public_consent=data.public_consent,
                    created_by=staff,
                    visit=visit,
                    idempotency_key=idempotency_key or None,
                    idempotency_fingerprint=fingerprint if idempotency_key else "",
                    urgency=data.urgency,
                    touches_collective=data.touches_collective,
                    category=data.category,
                    address=data.address,
                )
                matter.save()
                text = f"通过“{matter.get_channel_display()}”反映"
                routed_to = route.handler if route.routed else None
                if routed_to is not None:
                    text += f"。所在村(社区)暂无受理人员,由{routed_to.label}受理"
                event = event_append(
                    matter=matter,
                    kind=EventKind.CREATED,
                    actor=staff,
                    actor_label="" if staff else "反映人",
                    text=text,
                    public=True,
                    to_state=matter.state,
                    data={"routed_to": routed_to.pk} if routed_to is not None else None,
                )
                rollup_matter_created(matter=matter)
                if routed_to is not None:
                    _notify_routed(matter, routed_to, event_pk=event.pk)
                _store_attachments(matter, checked, actor=staff, public=False, event=event)
                audit_record(
                    action=AuditAction.CREATE,
                    actor=staff,
                    obj=matter,
                    detail={"channel": matter.channel},
                )
                transaction.on_commit(lambda m=matter: matter_index(m))  # type: ignore[misc]
            return matter, True
        except IntegrityError:
            if idempotency_key:
                existing = Matter.objects.filter(idempotency_key=idempotency_key).first()
                if existing is not None:
                    return _replayed(existing, fingerprint), False
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _notify_routed(matter: Matter, handler: Node, *, event_pk: int) -> None:
    """Tell the staff a routed report went to: nobody below them will see it first."""
    link = reverse("matters:detail", args=[matter.pk])
    for user in handlers_at(handler):
        notify_user(
            user,
            "新事项待受理(所在村/社区无受理人员)",
            f"{matter.node.label}:{matter.title}({matter.number})。该村(社区)暂无受理人员,请{handler.label}受理。",
            link,
            dedupe_key=f"matter:{matter.pk}:event:{event_pk}:routed:{user.pk}",
        )


def _mobile_or_blank(phone: str) -> str:
    """A household head's recorded number may be a landline or mistyped; the
    worker cannot fix it during a visit, so it is left out, not an error."""
    try:
        return normalise_mobile(phone) if phone else ""
    except DomainError:
        return ""


def _household_address(household: Household) -> Address | None:
    """The household's linked standard address when it is verified and in
    its unit (the visit's matters are anchored there); else none."""
    address = household.standard_address
    if address is None or not address_is_verified(address) or not address.path.startswith(household.unit.path):
        return None
    return address


@dataclass
class VisitMatter:
    title: str
    description: str
    touches_collective: bool = False
    urgency: str = Urgency.NORMAL
    files: list[UploadedFile] = field(default_factory=list)
    category: Category | None = None


def visit_log(
    *,
    actor: User,
    household: Household,
    notes: str,
    matters: list[VisitMatter],
    visited_at: datetime.datetime | None = None,
) -> Visit:
    """Record a door-to-door visit with zero or more matters, all or nothing."""
    notes = (notes or "").strip()
    if len(notes) > 2000:
        raise MatterError("notes_too_long", "走访情况不能超过 2000 个字。", field="notes")
    if not notes and not matters:
        raise MatterError("visit_empty", "请填写走访情况,或至少记录一件群众反映的事。", field="notes")
    if not user_can(actor, Capability.RECORD_VISITS):
        raise PermissionDenied("您的角色不能登记入户走访。")
    if not path_in_scope(household.path, actor):
        # Outside the worker's jurisdiction the household does not exist for them.
        raise NotFound("未找到该住户,或不在您的辖区内。")
    visited_at = visited_at or timezone.now()
    if visited_at > timezone.now() + datetime.timedelta(minutes=5):
        raise MatterError("visit_in_future", "走访时间不能晚于现在。", field="visited_at")
    head = household.residents.filter(is_household_head=True).first() or household.residents.first()
    head_phone = _mobile_or_blank(head.phone) if head else ""
    with transaction.atomic():
        visit = Visit.objects.create(household=household, visitor=actor, visited_at=visited_at, notes=notes)
        for index, item in enumerate(matters, start=1):
            try:
                matter_create(
                    data=MatterInput(
                        node=household.unit,
                        title=item.title,
                        description=item.description,
                        channel=Channel.VISIT,
                        location=household.address,
                        address=_household_address(household),
                        reporter_resident=head,
                        reporter_name=head.name if head else "",
                        reporter_phone=head_phone,
                        urgency=item.urgency,
                        touches_collective=item.touches_collective,
                        category=item.category,
                        channel_detail={"household": household.pk, "visit": visit.pk},
                    ),
                    files=item.files,
                    actor=actor,
                    visit=visit,
                )
            except MatterError as exc:
                raise MatterError(exc.code, f"第 {index} 件事:{exc.message}", field=exc.field) from exc
        audit_record(action=AuditAction.CREATE, actor=actor, obj=visit, detail={"matters": len(matters)})
    return visit
