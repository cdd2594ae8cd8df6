"""Publishing a checklist's next version: the subdistrict gives the whole
list of items (text and legal basis); a new version with new item rows is
written, the earlier versions and every inspection that answered them stay
as they were."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record

from ..checklist_defaults import CHECKLISTS
from ..errors import SafetyConflict, SafetyError
from ..models import Checklist, ChecklistItem, ChecklistVersion

MAX_ITEMS = 60
MAX_TEXT = 300


@dataclass(frozen=True)
class ItemInput:
    text: str
    legal_basis: str


def parse_items(lines: str) -> list[ItemInput]:
    """Items from text, one a line: "检查内容 | 法律依据" (what the page's
    textarea holds). Line-numbered errors in Chinese."""
    items: list[ItemInput] = []
    for number, raw in enumerate((lines or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        text, bar, basis = line.partition("|")
        if not bar or not text.strip() or not basis.strip():
            raise SafetyError(
                "item_format", f"第 {number} 行应为“检查内容 | 法律依据”,两部分都不能为空。", field="items"
            )
        items.append(ItemInput(text=text.strip(), legal_basis=basis.strip()))
    return items


def checklist_publish(
    *, actor: Actor, checklist: Checklist, items: list[ItemInput], note: str = ""
) -> ChecklistVersion:
    """The checklist's next version, in force from now on."""
    require_capability(actor, Capability.MANAGE_CHECKLISTS, "只有街道工作人员可以发布检查表。")
    if not items:
        raise SafetyError("items_required", "检查表至少要有一项检查内容。", field="items")
    if len(items) > MAX_ITEMS:
        raise SafetyError("items_too_many", f"检查表最多 {MAX_ITEMS} 项。", field="items")
    for n, item in enumerate(items, start=1):
        if not item.text.strip() or not item.legal_basis.strip():
            raise SafetyError("item_blank", f"第 {n} 项的检查内容和法律依据都不能为空。", field="items")
        if len(item.text) > MAX_TEXT or len(item.legal_basis) > MAX_TEXT:
            raise SafetyError("item_too_long", f"第 {n} 项超过 {MAX_TEXT} 个字。", field="items")
    note = (note or "").strip()
    if len(note) > 200:
        raise SafetyError("note_too_long", "修订说明不能超过 200 个字。", field="note")
    try:
        with transaction.atomic():
            last = checklist.versions.aggregate(n=Max("number"))["n"] or 0
            version = ChecklistVersion.objects.create(
                checklist=checklist, number=last + 1, note=note, published_by=user_or_none(actor)
            )
            ChecklistItem.objects.bulk_create(
                ChecklistItem(version=version, position=n, text=item.text.strip(), legal_basis=item.legal_basis.strip())
                for n, item in enumerate(items, start=1)
            )
            audit_record(
                action=AuditAction.CREATE,
                actor=user_or_none(actor),
                obj=version,
                detail={"checklist": checklist.title, "version": version.number, "items": len(items)},
            )
    except IntegrityError as exc:
        # Two publishers at once: the unique version number lets one win.
        raise SafetyConflict("stale_version", "检查表刚被他人发布了新版本,请刷新后重试。") from exc
    return version


def checklists_seed_defaults() -> int:
    """Create the default checklists that are missing (version 1 each); the
    number created. Idempotent (tests that flush the database, the demo)."""
    created = 0
    for code, title, kinds, items in CHECKLISTS:
        if Checklist.objects.filter(code=code).exists():
            continue
        with transaction.atomic():
            checklist = Checklist.objects.create(code=code, title=title, kinds=kinds)
            version = ChecklistVersion.objects.create(checklist=checklist, number=1, note="初始版本")
            ChecklistItem.objects.bulk_create(
                ChecklistItem(version=version, position=n, text=text, legal_basis=basis)
                for n, (text, basis) in enumerate(items, start=1)
            )
        created += 1
    return created
