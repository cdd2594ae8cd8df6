"""The address verification bound to the platform's workflow engine
(core/workflow.py): the table in states.py, the register's Chinese errors,
AddressEvent rows, and the permission check of each action."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from grassroots.accounts.actors import Actor
from grassroots.core.workflow import Workflow, event_row

from ..errors import AddressConflict
from ..models import Address, AddressEvent
from ..permissions import require_action
from ..states import TABLE, Action, State


def _not_allowed(action: str, state: str) -> AddressConflict:
    return AddressConflict("transition_not_allowed", f"地址当前为“{State(state).label}”,不能{Action(action).label}。")


WORKFLOW: Workflow[Address] = Workflow(
    model=Address,
    table=TABLE,
    not_allowed=_not_allowed,
    stale=lambda: AddressConflict("stale_state", "地址状态已被他人改变,请刷新后重试。"),
    audit_detail=lambda address: {"address": address.full_text},
)


def campaign_id_of(address: Address) -> int | None:
    """The campaign the address is in now (read from the row: a campaign
    opened after the object was loaded has batched it since)."""
    return Address.objects.filter(pk=address.pk).values_list("batch__campaign_id", flat=True).first()


def transition(
    *,
    actor: Actor,
    address: Address,
    action: str,
    updates: dict[str, Any] | None = None,
    text: str = "",
    data: dict[str, Any] | None = None,
    within: Callable[[Address, Any], None] | None = None,
    after_commit: Callable[[], None] | None = None,
) -> Address:
    """An address changes state only here."""
    return WORKFLOW.transition(
        address,
        action=action,
        actor=actor,
        permission=partial(require_action, actor, action, address),
        updates=updates,
        event=event_row(
            AddressEvent,
            "address",
            action=action,
            actor=actor,
            text=text,
            data=data or {},
            more=lambda fresh: {"campaign_id": campaign_id_of(fresh)},
        ),
        within=within,
        after_commit=after_commit,
    )
