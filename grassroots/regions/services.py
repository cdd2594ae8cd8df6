"""Writes to the region tree by staff: adding a grid, building or unit under
a node in their jurisdiction, and renaming one. Subdistricts and villages
come from the statistical division import (importer.py), not from here.

New nodes are appended after their last sibling (no ``node_order_by``), so
existing paths and the copies of them on case rows never change."""

from __future__ import annotations

from django.db import transaction

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.core.audit import Action, audit_record
from grassroots.core.errors import DomainError, NotFound, PermissionDenied
from grassroots.core.models import ContactPreference
from grassroots.core.notifications.preferences import contact_preference, contact_preference_set
from grassroots.core.scoping import path_in_scope

from .models import Level, Node, Resident

# Who may shape the tree below village level: the field staff who verify
# addresses (A4 in docs/domain.md). A dedicated capability in roles.py would
# be cleaner; see the report to the lead.
TREE_EDITOR_ROLES = frozenset({Role.GRID_WORKER, Role.VILLAGE_STAFF, Role.SUBDISTRICT_STAFF})
EDITABLE_LEVELS = frozenset({Level.GRID, Level.BUILDING, Level.UNIT})
NAME_MAX = 100


def _check_actor(actor: User, node: Node) -> None:
    if not path_in_scope(node.path, actor):
        raise NotFound()
    if not (actor.is_superuser or (actor.is_active and actor.role in TREE_EDITOR_ROLES)):
        raise PermissionDenied("您没有维护辖区节点的权限。")


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("name_required", "名称不能为空。", field="name")
    if len(name) > NAME_MAX:
        raise DomainError("name_too_long", f"名称最多 {NAME_MAX} 个字。", field="name")
    return name


def _check_sibling_name(parent_path: str, depth: int, name: str, *, exclude_pk: int | None = None) -> None:
    siblings = Node.objects.filter(path__startswith=parent_path, depth=depth, name=name)
    if exclude_pk is not None:
        siblings = siblings.exclude(pk=exclude_pk)
    if siblings.exists():
        raise DomainError("name_taken", f"同一上级下已有名为“{name}”的节点。", field="name")


def node_create(
    *,
    actor: User,
    parent: Node,
    name: str,
    level: int,
    short_name: str = "",
) -> Node:
    """Add a grid, building or unit as the last child of `parent`."""
    _check_actor(actor, parent)
    if parent.level >= Level.UNIT:
        raise DomainError("level_mismatch", "单元下不能再添加节点。", field="level")
    if level != parent.level + 1:
        raise DomainError(
            "level_mismatch",
            f"只能在{parent.get_level_display()}下添加{Level(parent.level + 1).label}。",
            field="level",
        )
    if level not in EDITABLE_LEVELS:
        raise DomainError("level_not_editable", "街道和村/社区来自统计用区划代码,请通过区划导入维护。", field="level")
    name = _clean_name(name)
    short_name = (short_name or "").strip()[:50]
    with transaction.atomic():
        # Lock the parent so that two concurrent additions get distinct paths
        # (select_for_update is a no-op on SQLite, where writes serialise).
        parent = Node.objects.select_for_update().get(pk=parent.pk)
        _check_sibling_name(parent.path, parent.depth + 1, name)
        node = Node.objects.add_child(parent, instance=Node(name=name, short_name=short_name, level=level))
        audit_record(
            action=Action.CREATE,
            actor=actor,
            obj=node,
            detail={"name": name, "level": level, "parent_id": parent.pk, "path": node.path},
        )
    return node


def node_rename(*, actor: User, node: Node, name: str, short_name: str | None = None) -> Node:
    """Rename a grid, building or unit. Village and subdistrict names follow
    the statistical divisions and change only through the import."""
    _check_actor(actor, node)
    if node.level not in EDITABLE_LEVELS:
        raise DomainError("level_not_editable", "街道和村/社区的名称来自统计用区划代码,请通过区划导入维护。")
    name = _clean_name(name)
    new_short = node.short_name if short_name is None else short_name.strip()[:50]
    if (name, new_short) == (node.name, node.short_name):
        return node
    with transaction.atomic():
        _check_sibling_name(node.path[: -Node.steplen], node.depth, name, exclude_pk=node.pk)
        old = {"name": node.name, "short_name": node.short_name}
        updated = Node.objects.filter(pk=node.pk).update(name=name, short_name=new_short)
        if not updated:
            raise NotFound()
        node.name, node.short_name = name, new_short
        audit_record(
            action=Action.UPDATE,
            actor=actor,
            obj=node,
            detail={"old": old, "new": {"name": name, "short_name": new_short}},
        )
    return node


def resident_contact_preference_set(*, actor: User, resident: Resident, choice: str) -> bool:
    """Staff record the channel a resident asked for (ADR 0056), by the
    resident's phone number; "" clears it back to the default. The caller
    has already scoped `resident` to the actor's subtree; audited in core."""
    if not path_in_scope(resident.path, actor):
        raise NotFound()
    if not resident.phone:
        raise DomainError("preference_no_phone", "该居民未登记手机号,无法设置接收方式。", field="choice")
    return contact_preference_set(
        actor=actor,
        choice=choice,
        source=ContactPreference.Source.STAFF,
        phone=resident.phone,
        object_label=f"resident:{resident.pk}",
    )


def resident_contact_preference(*, resident: Resident) -> str:
    return contact_preference(phone=resident.phone) if resident.phone else ""
