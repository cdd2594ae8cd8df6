"""Handlers of the items other apps record: an address collected on site
(addresses), an inspection with its hazards (safety), a care visit
(livelihood). Each calls the owning app's services, which check the worker's
capability, subtree and the record's state."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404

from grassroots.addresses.selectors import address_get_visible
from grassroots.addresses.services.addresses import PART_FIELDS, AddressInput, address_collect
from grassroots.livelihood.selectors import resident_get_visible
from grassroots.livelihood.services.visits import visit_record
from grassroots.safety.models import ChecklistVersion
from grassroots.safety.selectors import premises_get_visible
from grassroots.safety.services.hazards import hazard_raise
from grassroots.safety.services.inspections import inspection_input, inspection_record

from ..errors import FieldError, SyncConflict
from ..states import ItemType, Reason
from .photos import photos_decode
from .registry import Context, Record, handler

NOT_FOUND = "不存在,或不在您的辖区内。"


@handler(ItemType.ADDRESS)
def address_sync(ctx: Context, body: dict[str, Any], option: str | None) -> Record | None:
    try:
        address = address_get_visible(user=ctx.actor, pk=body["address"])
    except Http404 as exc:
        raise FieldError("address_not_found", f"标准地址{NOT_FOUND}", field="address") from exc
    if option is None and address.state != body["seen_state"]:
        raise SyncConflict(
            Reason.ADDRESS_VERIFIED_BY_OTHER, f"该地址现为“{address.get_state_display()}”,已由他人核采或核验。"
        )
    parts = {name: getattr(address, name) for name in PART_FIELDS}
    if body["action"] == "correct":
        if not body["fields"]:
            raise FieldError("fields_required", "请填写要更正的内容。", field="fields")
        parts.update(body["fields"])
    photos = photos_decode(body["photos"][:1], field="photos") if body["photos"] else []
    photo = photos[0] if photos else None
    collected = address_collect(
        actor=ctx.actor,
        address=address,
        data=AddressInput(**parts),
        latitude=photo.lat if photo is not None and photo.lng is not None else None,
        longitude=photo.lng if photo is not None and photo.lat is not None else None,
        photo=photo.upload(ctx.key) if photo is not None else None,
    )
    return Record.of("address", collected.pk, collected.full_text, "addresses:detail")


@handler(ItemType.INSPECTION)
def inspection_sync(ctx: Context, body: dict[str, Any], option: str | None) -> Record | None:
    try:
        premises = premises_get_visible(user=ctx.actor, pk=body["premises"])
    except Http404 as exc:
        raise FieldError("premises_not_found", f"场所{NOT_FOUND}", field="premises") from exc
    version = ChecklistVersion.objects.filter(pk=body["version"]).first()
    if version is None:
        raise FieldError("version_not_found", "检查表版本不存在,请刷新数据后重试。", field="version")
    photos = photos_decode(body["photos"], field="photos")
    # A hazard's photos have no place of their own in the safety app: they join the inspection's.
    for index, hazard in enumerate(body["hazards"]):
        photos += photos_decode(hazard["photos"], field=f"hazards.{index}.photos")
        if hazard["item"] is None:
            raise FieldError("hazard_item_required", "隐患须对应一个不合格的检查项。", field=f"hazards.{index}.item")
    data = inspection_input(
        version=version,
        answers={a["item"]: (a["result"], a["note"]) for a in body["answers"]},
        inspectors=[],
        inspected_at=body["inspected_at"],
        note=body["note"],
        photos=[p.upload(f"{ctx.key}-{n}") for n, p in enumerate(photos, start=1)],
    )
    with transaction.atomic():
        inspection = inspection_record(actor=ctx.actor, premises=premises, data=data)
        for hazard in body["hazards"]:
            hazard_raise(actor=ctx.actor, inspection=inspection, item_id=hazard["item"], level=hazard["level"])
    label = f"{premises.name} 安全检查" + (f",{len(body['hazards'])} 处隐患" if body["hazards"] else "")
    return Record.of("inspection", inspection.pk, label, "safety:inspection")


@handler(ItemType.CARE_VISIT)
def care_visit_sync(ctx: Context, body: dict[str, Any], option: str | None) -> Record | None:
    try:
        resident = resident_get_visible(user=ctx.actor, pk=body["resident"])
    except Http404 as exc:
        raise FieldError("resident_not_found", f"居民{NOT_FOUND}", field="resident") from exc
    visit = visit_record(
        actor=ctx.actor,
        resident=resident,
        list_kind=body["list_kind"],
        kind=body["kind"],
        visited_on=body["visited_on"],
        note=body["note"],
        opinion=body["opinion"],
    )
    return Record.of(
        "care_visit", visit.pk, f"{visit.get_kind_display()}({visit.visited_on:%Y-%m-%d})", "livelihood:visit"
    )
