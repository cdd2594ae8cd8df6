"""Writes of party organisations and members: open a 党支部 at a village (or
a 联村党委 at the subdistrict spanning villages), add a member linked to a
resident or a staff account, and reveal a member's full name and phone (the
register shows them masked; every reveal is audited)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from grassroots.accounts.actors import Actor
from grassroots.accounts.models import User
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.scoping import require_in_scope
from grassroots.regions.models import Level, Node, Resident

from ..errors import PartyError
from ..models import Branch, BranchKind, Member, MemberStatus, Post
from ..permissions import require_manage

MAX_NAME = 100


def branch_create(*, actor: Actor, name: str, kind: str, node: Node, villages: Sequence[Node] = ()) -> Branch:
    """A 党支部/党总支 sits at a village or community; a 联村党委 at the
    subdistrict, spanning two or more of its villages."""
    require_manage(actor, node)
    name = (name or "").strip()
    if not name:
        raise PartyError("name_required", "请填写党组织名称。", field="name")
    if len(name) > MAX_NAME:
        raise PartyError("name_too_long", f"名称不能超过 {MAX_NAME} 个字。", field="name")
    if kind not in BranchKind.values:
        raise PartyError("kind_invalid", "请选择有效的党组织类型。", field="kind")
    if kind == BranchKind.JOINT:
        if node.level != Level.SUBDISTRICT:
            raise PartyError("joint_level", "联村党委应设在街道。", field="node")
        if len(set(v.pk for v in villages)) < 2:
            raise PartyError("joint_villages", "联村党委至少联建两个村/社区。", field="villages")
        for village in villages:
            if village.level != Level.VILLAGE or not village.path.startswith(node.path):
                raise PartyError("joint_village_outside", f"“{village.label}”不是本街道的村/社区。", field="villages")
    elif node.level != Level.VILLAGE:
        raise PartyError("branch_level", "党支部、党总支应设在村/社区。", field="node")
    if Branch.objects.filter(node=node, name=name).exists():
        raise PartyError("name_taken", f"“{name}”已经登记。", field="name")
    with transaction.atomic():
        branch = Branch.objects.create(name=name, kind=kind, node=node)
        if kind == BranchKind.JOINT:
            branch.villages.set(villages)
        audit_record(action=AuditAction.CREATE, actor=user_or_none(actor), obj=branch, detail={"name": name})
    return branch


@dataclass(frozen=True)
class MemberInput:
    post: str = Post.NONE
    status: str = MemberStatus.FULL
    joined_on: datetime.date | None = None
    resident: Resident | None = None
    user: User | None = None


def _checked_member(actor: Actor, branch: Branch, data: MemberInput) -> None:
    if (data.resident is None) == (data.user is None):
        raise PartyError("person_required", "请选择一名居民或一个工作人员账号(二选一)。", field="person")
    if data.post not in Post.values:
        raise PartyError("post_invalid", "请选择有效的职务。", field="post")
    if data.status not in MemberStatus.values:
        raise PartyError("status_invalid", "请选择有效的党员类别。", field="status")
    if data.joined_on is not None and data.joined_on > datetime.date.today():
        raise PartyError("joined_future", "入党日期不能晚于今天。", field="joined_on")
    if data.resident is not None:
        require_in_scope(actor, data.resident)
        if branch.kind != BranchKind.JOINT and not data.resident.path.startswith(branch.path):
            raise PartyError("resident_outside", "该居民不在本党组织所在村/社区。", field="person")
    if data.user is not None and not data.user.is_active:
        raise PartyError("user_inactive", "该账号已停用。", field="person")
    existing = Member.objects.filter(branch=branch, active=True)
    if (data.resident and existing.filter(resident=data.resident).exists()) or (
        data.user and existing.filter(user=data.user).exists()
    ):
        raise PartyError("member_exists", "此人已是本党组织党员。", field="person")


def member_add(*, actor: Actor, branch: Branch, data: MemberInput) -> Member:
    require_manage(actor, branch)
    _checked_member(actor, branch, data)
    try:
        with transaction.atomic():
            member = Member.objects.create(
                branch=branch,
                resident=data.resident,
                user=data.user,
                post=data.post,
                status=data.status,
                joined_on=data.joined_on,
            )
            audit_record(
                action=AuditAction.CREATE,
                actor=user_or_none(actor),
                obj=member,
                detail={"branch": branch.name, "post": data.post},
            )
    except IntegrityError as exc:
        raise PartyError("member_exists", "此人已是本党组织党员。", field="person") from exc
    return member


@dataclass(frozen=True)
class Revealed:
    name: str
    phone: str
    id_number: str


def member_reveal(*, actor: Actor, member: Member, reason: str) -> Revealed:
    """The member's full name (and the resident's phone and ID number) for
    party staff of the subtree, with a reason; audited as a reveal."""
    require_manage(actor, member, "只有党建工作人员可以查看党员完整信息。")
    reason = (reason or "").strip()
    if not reason:
        raise PartyError("reason_required", "请填写查看原因。", field="reason")
    if len(reason) > 200:
        raise PartyError("reason_too_long", "原因不能超过 200 个字。", field="reason")
    resident = member.resident
    audit_record(
        action=AuditAction.REVEAL,
        actor=user_or_none(actor),
        obj=member,
        detail={"fields": ["name", "phone", "id_number"], "reason": reason},
    )
    return Revealed(
        name=member.name,
        phone=(resident.phone or "") if resident else "",
        id_number=(resident.id_number or "") if resident else "",
    )
