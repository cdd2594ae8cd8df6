"""Writes of the standard address register: create and correct an address,
collect it on site (confirm or correct each field, a photo, the position),
verify it in the village, sign it off at the subdistrict, or send it back as
doubtful with a reason. Every change is audited and indexed for search on
commit (ADR 0037)."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.scoping import require_in_scope
from grassroots.core.search import search_index
from grassroots.regions.models import Node

from ..errors import AddressError
from ..models import LAT_RANGE, LNG_RANGE, Address, AddressEvent
from ..permissions import require_action, require_editor
from ..states import Action, Activity, State
from . import workflow
from .parts import Parts, check_node, clean_parts, division_of, standard_text
from .photos import photo_check

SEARCH_TYPE = "addresses.Address"
PART_FIELDS = ("kind", "road", "door_number", "building", "unit", "room")
PART_LABELS = {
    "kind": "地址类型",
    "road": "街路巷",
    "door_number": "门牌号",
    "building": "楼栋号",
    "unit": "单元号",
    "room": "户室号",
}
MAX_REASON = 200


# The parts as typed: the same fields `clean_parts` returns cleaned.
AddressInput = Parts


def address_index(address: Address) -> None:
    """(Re)index the standard text and the division code (ADR 0007)."""
    search_index(
        obj_type=SEARCH_TYPE,
        obj_id=address.pk,
        path=address.path,
        text=f"{address.full_text} {address.division_code}",
    )


def _index_on_commit(address: Address) -> None:
    transaction.on_commit(partial(address_index, address))


def _built(node: Node, data: AddressInput, *, exclude_pk: int | None = None) -> tuple[Parts, str, str]:
    parts = clean_parts(**{f.name: getattr(data, f.name) for f in fields(AddressInput)})
    check_node(node, parts.kind)
    division = division_of(node)
    text = standard_text(parts, division.place)
    clash = Address.objects.filter(full_text=text)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise AddressError("duplicate", f"标准地址“{text}”已存在。", field="room")
    return parts, division.code, text


def _apply(address: Address, parts: Parts, code: str, text: str) -> dict[str, list[str]]:
    """Set the parts; return what changed ({field: [before, after]})."""
    changed: dict[str, list[str]] = {}
    for name in PART_FIELDS:
        before, after = getattr(address, name), getattr(parts, name)
        if before != after:
            changed[name] = [before, after]
            setattr(address, name, after)
    address.division_code, address.full_text = code, text
    return changed


def address_unsaved(node: Node, parts: Parts, code: str, text: str, **extra: Any) -> Address:
    """An unsaved address, 待核采, from cleaned parts (the bulk writes of an
    import and the demo; `address_create` saves one)."""
    address = Address(node=node, path=node.path, state=State.PENDING, **extra)
    _apply(address, parts, code, text)
    return address


def address_create(*, actor: Actor, node: Node, data: AddressInput) -> Address:
    """A new address, 待核采 (the subdistrict, an import, the demo)."""
    require_in_scope(actor, node)
    require_capability(actor, Capability.MANAGE_ADDRESSES, "只有街道工作人员可以新增标准地址。")
    parts, code, text = _built(node, data)
    with transaction.atomic():
        address = address_unsaved(node, parts, code, text)
        address.save()
        AddressEvent.objects.create(address=address, action="create", to_state=address.state, actor=user_or_none(actor))
        audit_record(action=AuditAction.CREATE, actor=user_or_none(actor), obj=address, detail={"address": text})
        _index_on_commit(address)
    return address


def address_edit(*, actor: Actor, address: Address, data: AddressInput) -> Address:
    """Correct the parts of an address not yet collected (or sent back)."""
    require_editor(actor, address)
    workflow.WORKFLOW.check_activity(Activity.EDIT, address)
    parts, code, text = _built(address.node, data, exclude_pk=address.pk)
    with transaction.atomic():
        changed = _apply(address, parts, code, text)
        if not changed:
            return address
        address.save()
        AddressEvent.objects.create(
            address=address,
            campaign_id=workflow.campaign_id_of(address),
            action=Activity.EDIT,
            from_state=address.state,
            to_state=address.state,
            actor=user_or_none(actor),
            data={"corrected": changed},
        )
        audit_record(action=AuditAction.UPDATE, actor=user_or_none(actor), obj=address, detail={"corrected": changed})
        _index_on_commit(address)
    return address


def _coordinate(value: Any, bounds: tuple[int, int], label: str, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError) as exc:
        raise AddressError("position_invalid", f"{label}应为数字。", field=field) from exc
    if not number.is_finite() or not bounds[0] <= number <= bounds[1]:
        raise AddressError("position_range", f"{label}应在 {bounds[0]} 到 {bounds[1]} 之间。", field=field)
    return number


def clean_position(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    """WGS-84 latitude and longitude, both or neither."""
    lat = _coordinate(latitude, LAT_RANGE, "纬度", "latitude")
    lng = _coordinate(longitude, LNG_RANGE, "经度", "longitude")
    if (lat is None) != (lng is None):
        raise AddressError("position_pair", "经纬度须同时填写或同时留空。", field="latitude")
    return lat, lng


def address_collect(
    *,
    actor: Actor,
    address: Address,
    data: AddressInput,
    latitude: Any = None,
    longitude: Any = None,
    photo: UploadedFile | None = None,
) -> Address:
    """The grid worker confirms or corrects each part on site, with a photo
    and the phone's position when given: 待核采/存疑 → 已核采."""
    require_action(actor, Action.COLLECT, address)
    workflow.WORKFLOW.check(Action.COLLECT, address)
    parts, code, text = _built(address.node, data, exclude_pk=address.pk)
    lat, lng = clean_position(latitude, longitude)
    photo_name = photo_check(photo) if photo is not None else ""
    corrected = {
        name: [getattr(address, name), getattr(parts, name)]
        for name in PART_FIELDS
        if getattr(address, name) != getattr(parts, name)
    }
    updates: dict[str, Any] = {name: getattr(parts, name) for name in PART_FIELDS}
    updates.update(
        division_code=code,
        full_text=text,
        collected_by=user_or_none(actor),
        collected_at=timezone.now(),
        doubt_reason="",
    )
    if lat is not None:
        updates.update(latitude=lat, longitude=lng)

    def store_photo(fresh: Address, _event: Any) -> None:
        if photo is not None:
            fresh.photo.save(photo_name, photo, save=False)
            Address.objects.filter(pk=fresh.pk).update(photo=fresh.photo.name)

    collected = workflow.transition(
        actor=actor,
        address=address,
        action=Action.COLLECT,
        updates=updates,
        data={"corrected": corrected, "position": lat is not None, "photo": photo is not None},
        within=store_photo,
    )
    _index_on_commit(collected)
    return collected


def address_verify(*, actor: Actor, address: Address) -> Address:
    """Village staff confirm what the grid worker collected: 已核采 → 村已核验."""
    return workflow.transition(
        actor=actor,
        address=address,
        action=Action.VERIFY,
        updates={"village_verified_by": user_or_none(actor), "village_verified_at": timezone.now()},
    )


def address_sign_off(*, actor: Actor, address: Address) -> Address:
    """The subdistrict signs off: 村已核验 → 已核验."""
    return workflow.transition(
        actor=actor,
        address=address,
        action=Action.SIGN_OFF,
        updates={"verified_by": user_or_none(actor), "verified_at": timezone.now()},
    )


def address_doubt(*, actor: Actor, address: Address, reason: str) -> Address:
    """Send an address back to the grid worker with a reason: → 存疑."""
    reason = " ".join((reason or "").split())
    require_action(actor, Action.DOUBT, address)
    workflow.WORKFLOW.check(Action.DOUBT, address)
    if not reason:
        raise AddressError("reason_required", "请填写退回原因。", field="reason")
    if len(reason) > MAX_REASON:
        raise AddressError("reason_too_long", f"退回原因不能超过 {MAX_REASON} 个字。", field="reason")
    return workflow.transition(
        actor=actor,
        address=address,
        action=Action.DOUBT,
        updates={"doubt_reason": reason, "village_verified_by": None, "village_verified_at": None},
        text=reason,
    )
