"""Hazards and matters linked both ways (issue 13, item 8; ADR 0039).

- A resident's matter in a 安全隐患 category becomes a hazard lead: staff
  who inspect pick a premises in the matter's village, or register one at
  the matter's place in the same step; the hazard records no inspection
  (`source` = matter) and tells the matter each step of its loop.
- A serious (重大) hazard opens a matter in one step: in the safety category
  that fits the premises, at the premises' place, through the staff channel
  "工作发现" with the inspector as the recorder. Idempotent: the hazard has
  one matter, and a second request answers the first one."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import actor_can, require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.scoping import require_in_scope
from grassroots.matters.models import OPEN_STATES, Category, Channel, Matter, Urgency
from grassroots.matters.services.intake import MatterInput, matter_create
from grassroots.regions.models import Level, Node

from ..errors import SafetyConflict, SafetyError
from ..models import Hazard, HazardEvent, HazardLevel, HazardSource, Premises, PremisesKind
from ..states import HazardState, State
from .matter_progress import matter_tell
from .premises import PremisesInput, premises_create

# The first-level matter category of safety hazards and what its children cover.
SAFETY_CATEGORY = "safety"
STORAGE_CATEGORY = "hazardous-storage"
STORAGE_KINDS = frozenset({PremisesKind.WAREHOUSE, PremisesKind.COURTYARD, PremisesKind.DISUSED_FACTORY})
SERIOUS_LEVELS = frozenset({HazardLevel.MAJOR})
MAX_DESCRIPTION = 200
MAX_BASIS = 300


def is_hazard_category(category: Category | None) -> bool:
    """安全隐患 itself or one of its second-level categories."""
    if category is None:
        return False
    parent = category.parent if category.parent_id else None
    return category.code == SAFETY_CATEGORY or (parent is not None and parent.code == SAFETY_CATEGORY)


def lead_allowed(matter: Matter) -> bool:
    """A matter that can still become a hazard lead (the actor aside)."""
    return (
        is_hazard_category(matter.category)
        and matter.state in OPEN_STATES
        and not Hazard.objects.filter(matter=matter).exists()
    )


def village_path(path: str) -> str:
    return path[: Node.steplen * Level.VILLAGE]


def lead_node(matter: Matter) -> Node:
    """Where a premises registered for the matter goes: its grid or village
    (a building or unit is not a place premises are registered at)."""
    node = matter.node
    if node.level <= Level.GRID:
        return node
    return Node.objects.get(path=node.path[: Node.steplen * Level.GRID])


@dataclass(frozen=True)
class LeadInput:
    description: str
    level: str = HazardLevel.GENERAL
    legal_basis: str = ""
    # An existing premises, or one registered in the same step.
    premises: Premises | None = None
    new_premises: PremisesInput | None = None


def _lead_checked(actor: Actor, matter: Matter, data: LeadInput) -> tuple[str, str]:
    require_in_scope(actor, matter)
    require_capability(actor, Capability.INSPECT_SAFETY, "您的角色不能登记隐患。")
    if not is_hazard_category(matter.category):
        raise SafetyError("matter_not_hazard", "只有“安全隐患”类的事项可以转为隐患线索。")
    if matter.state not in OPEN_STATES:
        raise SafetyConflict("matter_not_open", "事项已办结、关闭、合并或不予受理,不能再转为隐患线索。")
    if Hazard.objects.filter(matter=matter).exists():
        raise SafetyConflict("lead_exists", "该事项已转为隐患线索。")
    description = (data.description or "").strip()
    if not description:
        raise SafetyError("description_required", "请填写隐患描述。", field="description")
    if len(description) > MAX_DESCRIPTION:
        raise SafetyError("description_too_long", f"隐患描述不能超过 {MAX_DESCRIPTION} 个字。", field="description")
    basis = (data.legal_basis or "").strip()
    if len(basis) > MAX_BASIS:
        raise SafetyError("legal_basis_too_long", f"法律依据不能超过 {MAX_BASIS} 个字。", field="legal_basis")
    if data.level not in HazardLevel.values:
        raise SafetyError("level_invalid", "请选择有效的隐患等级。", field="level")
    if (data.premises is None) == (data.new_premises is None):
        raise SafetyError("premises_required", "请选择隐患所在的场所,或登记一个新场所。", field="premises")
    if data.premises is not None:
        require_in_scope(actor, data.premises)
        if data.premises.state != State.OPERATING:
            raise SafetyError("premises_closed", "该场所已关停,请选择其他场所或登记新场所。", field="premises")
        if village_path(data.premises.path) != village_path(matter.path):
            raise SafetyError("premises_elsewhere", "所选场所不在事项发生的村/社区。", field="premises")
    elif data.new_premises is not None and village_path(data.new_premises.node.path) != village_path(matter.path):
        raise SafetyError("premises_elsewhere", "新场所应登记在事项发生的村/社区。", field="node")
    return description, basis


def hazard_from_matter(*, actor: Actor, matter: Matter, data: LeadInput) -> Hazard:
    """Turn a resident's 安全隐患 matter into a hazard lead (state found)."""
    description, basis = _lead_checked(actor, matter, data)
    user = user_or_none(actor)
    try:
        with transaction.atomic():
            premises = data.premises
            if premises is None:
                assert data.new_premises is not None  # checked: one or the other
                premises = premises_create(actor=actor, data=data.new_premises)
            hazard = Hazard.objects.create(
                source=HazardSource.MATTER,
                matter=matter,
                premises=premises,
                description=description,
                legal_basis=basis,
                level=data.level,
                created_by=user,
            )
            HazardEvent.objects.create(
                hazard=hazard,
                action="lead",
                to_state=hazard.state,
                actor=user,
                text=f"由群众反映事项 {matter.number} 转为隐患线索",
                data={"matter": matter.pk},
            )
            audit_record(
                action=AuditAction.CREATE,
                actor=user,
                obj=hazard,
                detail={"level": data.level, "source": "matter", "matter": matter.number},
            )
            matter_tell(hazard=hazard, step="lead", actor=actor)
    except IntegrityError as exc:
        raise SafetyConflict("lead_exists", "该事项已转为隐患线索。") from exc
    return hazard


def _category_for(premises: Premises) -> Category | None:
    code = STORAGE_CATEGORY if premises.kind in STORAGE_KINDS else SAFETY_CATEGORY
    found = Category.objects.filter(code=code, active=True).first()
    return found or Category.objects.filter(code=SAFETY_CATEGORY).first()


def _matter_input(hazard: Hazard) -> MatterInput:
    premises = hazard.premises
    text = f"{premises.name}({premises.get_kind_display()})存在重大安全隐患:{hazard.description}。"
    if hazard.legal_basis:
        text += f"依据:{hazard.legal_basis}。"
    return MatterInput(
        node=premises.node,
        title=f"重大安全隐患:{premises.name}"[:100],
        description=text,
        channel=Channel.LINKED,
        location=premises.location,
        urgency=Urgency.URGENT,
        category=_category_for(premises),
        channel_detail={"source": "安全检查重大隐患", "hazard": hazard.pk},
    )


def open_matter_offered(actor: Actor, hazard: Hazard) -> bool:
    """Whether the hazard page offers the one-step matter to this actor."""
    return (
        hazard.matter_id is None
        and hazard.level in SERIOUS_LEVELS
        and hazard.state != HazardState.CLOSED
        and actor_can(actor, Capability.INSPECT_SAFETY)
    )


def hazard_open_matter(*, actor: Actor, hazard: Hazard) -> tuple[Matter, bool]:
    """The matter of a serious hazard: (matter, created). A hazard already
    linked to a matter answers that one, whoever asks again."""
    require_in_scope(actor, hazard)
    require_capability(actor, Capability.INSPECT_SAFETY, "您的角色不能为隐患建立事项。")
    if hazard.matter_id is not None and hazard.matter is not None:
        return hazard.matter, False
    if hazard.level not in SERIOUS_LEVELS:
        raise SafetyError("hazard_not_serious", "只有重大隐患可以一键建立事项;一般隐患按整改流程办理。")
    if hazard.state == HazardState.CLOSED:
        raise SafetyConflict("hazard_closed", "隐患已销号,不需要再建立事项。")
    user = user_or_none(actor)
    with transaction.atomic():
        # The key makes a retry (or a second click racing the first) find the same matter.
        matter, created = matter_create(
            data=_matter_input(hazard), actor=actor, idempotency_key=f"safety-hazard-{hazard.public_code}"
        )
        if not Hazard.objects.filter(pk=hazard.pk, matter__isnull=True).update(matter=matter):
            hazard.refresh_from_db()
            return hazard.matter or matter, False
        hazard.matter = matter
        HazardEvent.objects.create(
            hazard=hazard,
            action="open_matter",
            from_state=hazard.state,
            to_state=hazard.state,
            actor=user,
            text=f"已建立事项 {matter.number}",
            data={"matter": matter.pk},
        )
        audit_record(action="safety.open_matter", actor=user, obj=hazard, detail={"matter": matter.number})
        if created:
            matter_tell(hazard=hazard, step="opened", actor=actor)
    return matter, created
