"""Handlers of the items the matters app records: a door-to-door visit with
its matters, a matter on its own, a follow-up note on an open matter. They
call the matters app's services (`visit_log`, `matter_create`,
`matter_add_note`), which check the worker's capability and subtree."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from grassroots.accounts.permissions import require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError
from grassroots.core.scoping import path_in_scope
from grassroots.matters.models import OPEN_STATES, Category, Channel, Matter
from grassroots.matters.services.intake import MatterInput, VisitMatter, matter_create, visit_log
from grassroots.matters.services.lifecycle import matter_add_note
from grassroots.regions.models import Household, Level, Node

from ..errors import FieldError, SyncConflict
from ..states import ItemType, Option, Reason
from .photos import Photo, photos_decode
from .registry import Context, Record, handler

NOT_FOUND = "不存在,或不在您的辖区内。"


def _category(pk: int | None, field: str) -> Category | None:
    if pk is None:
        return None
    category = Category.objects.filter(pk=pk, active=True).first()
    if category is None:
        raise FieldError("category_invalid", "所选分类不存在或已停用。", field=field)
    return category


def _household(ctx: Context, pk: int | None, field: str = "household") -> Household | None:
    if pk is None:
        return None
    household = Household.objects.select_related("unit").filter(pk=pk).first()
    if household is None or not path_in_scope(household.path, ctx.actor):
        return None
    return household


def _position(photos: list[Photo]) -> tuple[Decimal | None, Decimal | None]:
    """The first photo's position, when the phone recorded one."""
    for photo in photos:
        if photo.lat is not None and photo.lng is not None:
            return Decimal(str(round(photo.lat, 6))), Decimal(str(round(photo.lng, 6)))
    return None, None


def _numbered(index: int, exc: DomainError, prefix: str) -> FieldError:
    field = f"{prefix}.{index - 1}.{exc.field}" if exc.field else f"{prefix}.{index - 1}"
    return FieldError(exc.code, f"第 {index} 件事:{exc.message}", field=field)


def _matter_record(matter: Matter) -> Record:
    return Record.of("matter", matter.pk, f"{matter.number} {matter.title}", "matters:detail")


def _grid_matters(ctx: Context, body: dict[str, Any], *, household_id: int) -> Record:
    """The visit's matters on the worker's own place, without the household
    (the household moved away or was removed since the worker saw it)."""
    node = ctx.actor.jurisdiction
    if node is None or node.level < Level.VILLAGE:
        raise FieldError("node_too_high", "您的辖区不是村/社区或网格,请在网页上登记。")
    if not body["matters"]:
        raise FieldError("nothing_to_attach", "这次走访没有记录事项,只能放弃。", field="option")
    created: list[Matter] = []
    with transaction.atomic():
        for index, item in enumerate(body["matters"], start=1):
            photos = photos_decode(item["photos"], field=f"matters.{index - 1}.photos")
            lat, lng = _position(photos)
            try:
                matter, _new = matter_create(
                    data=MatterInput(
                        node=node,
                        title=item["title"],
                        description=item["description"],
                        channel=Channel.VISIT,
                        category=_category(item["category"], f"matters.{index - 1}.category"),
                        latitude=lat,
                        longitude=lng,
                        channel_detail={"field_key": ctx.key, "household_moved": household_id},
                    ),
                    files=[p.upload(f"{ctx.key}-{index}-{n}") for n, p in enumerate(photos, start=1)],
                    actor=ctx.actor,
                )
            except DomainError as exc:
                raise _numbered(index, exc, "matters") from exc
            created.append(matter)
    first = _matter_record(created[0])
    label = first.label if len(created) == 1 else f"已在本网格登记 {len(created)} 件事项:{first.label} 等"
    return Record(type=first.type, id=first.id, label=label[:200], url=first.url)


@handler(ItemType.VISIT)
def visit_sync(ctx: Context, body: dict[str, Any], option: str | None) -> Record | None:
    household = _household(ctx, body["household"])
    if option == Option.ATTACH_TO_GRID:
        return _grid_matters(ctx, body, household_id=body["household"])
    if household is None:
        raise SyncConflict(Reason.HOUSEHOLD_MOVED)
    matters = []
    for index, item in enumerate(body["matters"], start=1):
        photos = photos_decode(item["photos"], field=f"matters.{index - 1}.photos")
        matters.append(
            VisitMatter(
                title=item["title"],
                description=item["description"],
                category=_category(item["category"], f"matters.{index - 1}.category"),
                files=[p.upload(f"{ctx.key}-{index}-{n}") for n, p in enumerate(photos, start=1)],
            )
        )
    try:
        visit = visit_log(
            actor=ctx.actor, household=household, notes=body["notes"], matters=matters, visited_at=body["visited_at"]
        )
    except DomainError as exc:
        if exc.message.startswith("第 ") and exc.field:
            raise FieldError(exc.code, exc.message, field="matters") from exc
        raise
    label = f"{household.address} 入户走访" + (f",{len(matters)} 件事项" if matters else "")
    return Record.of("visit", visit.pk, label, "matters-intake:visit-done")


@handler(ItemType.MATTER)
def matter_sync(ctx: Context, body: dict[str, Any], option: str | None) -> Record | None:
    require_capability(ctx.actor, Capability.RECORD_MATTERS, "您的角色不能登记事项。")
    household = _household(ctx, body["household"])
    if body["household"] is not None and household is None:
        raise FieldError("household_not_found", f"住户{NOT_FOUND}", field="household")
    node: Node | None = ctx.actor.jurisdiction
    if household is not None:
        node = household.unit
    elif body["node"] is not None:
        node = Node.objects.filter(pk=body["node"]).first()
        if node is None or not path_in_scope(node.path, ctx.actor):
            raise FieldError("node_not_found", f"地点{NOT_FOUND}", field="node")
    if node is None:
        raise FieldError("node_required", "请选择发生地点。", field="node")
    photos = photos_decode(body["photos"], field="photos")
    lat, lng = _position(photos)
    detail: dict[str, Any] = {"field_key": ctx.key}
    if household is not None:
        detail["household"] = household.pk
    matter, _new = matter_create(
        data=MatterInput(
            node=node,
            title=body["title"],
            description=body["description"],
            channel=Channel.VISIT,
            location=household.address if household is not None else "",
            category=_category(body["category"], "category"),
            latitude=lat,
            longitude=lng,
            channel_detail=detail,
        ),
        files=[p.upload(f"{ctx.key}-{n}") for n, p in enumerate(photos, start=1)],
        actor=ctx.actor,
    )
    return _matter_record(matter)


@handler(ItemType.MATTER_NOTE)
def matter_note_sync(ctx: Context, body: dict[str, Any], option: str | None) -> Record | None:
    matter = Matter.objects.select_related("node", "category").filter(pk=body["matter"]).first()
    if matter is None or not path_in_scope(matter.path, ctx.actor):
        raise FieldError("matter_not_found", f"事项{NOT_FOUND}", field="matter")
    photos = photos_decode(body["photos"], field="photos")
    files = [p.upload(f"{ctx.key}-{n}") for n, p in enumerate(photos, start=1)]
    if option == Option.NEW_MATTER:
        require_capability(ctx.actor, Capability.RECORD_MATTERS, "您的角色不能登记事项。")
        lat, lng = _position(photos)
        follow_up, _new = matter_create(
            data=MatterInput(
                node=matter.node,
                title=f"跟进:{matter.title}"[:100],
                description=body["text"],
                channel=Channel.VISIT,
                location=matter.location,
                category=matter.category,
                latitude=lat,
                longitude=lng,
                channel_detail={"field_key": ctx.key, "follows": matter.pk, "follows_number": matter.number},
            ),
            files=files,
            actor=ctx.actor,
        )
        return _matter_record(follow_up)
    if matter.state not in OPEN_STATES:
        raise SyncConflict(Reason.MATTER_CLOSED, f"事项 {matter.number} 已{matter.get_state_display()}。")
    matter_add_note(actor=ctx.actor, matter=matter, text=body["text"], public=False, files=files)
    return _matter_record(matter)
