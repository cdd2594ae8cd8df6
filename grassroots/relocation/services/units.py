"""Units of a relocation project and the case of each: registering a unit,
moving it one stage on (with the stage's date, and the amount the stage
fixes), and handing a dispute over to the mediation centre as a
土地征迁纠纷 case, whose progress the unit page then shows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.actors import Actor, as_user
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.workflow import event_row
from grassroots.mediation.models import DisputeType, PartyKind, PartySide
from grassroots.mediation.services.cases import CaseInput, PartyInput, dispute_hand_over

from ..errors import RelocationConflict, RelocationError
from ..models import Unit, UnitEvent
from ..permissions import require_work
from ..states import DATE_FIELD, Action
from .workflow import WORKFLOW, transition

MAX_AMOUNT = Decimal("99999999999.99")
# The amount a stage fixes: the assessment, the agreement, the payment.
AMOUNT_FIELD: dict[str, str] = {
    Action.ASSESS: "assessed_amount",
    Action.SIGN: "agreed_amount",
    Action.COMPENSATE: "paid_amount",
}
AMOUNT_LABEL: dict[str, str] = {
    Action.ASSESS: "评估金额",
    Action.SIGN: "协议补偿金额",
    Action.COMPENSATE: "已付补偿金额",
}
NOTE_MAX = 500
# The earliest stage date accepted: older records are entered as they happened, not before.
EARLIEST = datetime.date(2000, 1, 1)


def parse_amount(value: Any, *, label: str, field: str = "amount") -> Decimal | None:
    """A money amount in yuan with at most two decimals (None when blank)."""
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise RelocationError("amount_invalid", f"{label}应为数字(元)。", field=field) from exc
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise RelocationError("amount_invalid", f"{label}应为 0 到 999 亿元之间的数字。", field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise RelocationError("amount_invalid", f"{label}最多保留两位小数(分)。", field=field)
    return amount.quantize(Decimal("0.01"))


def _previous_date(unit: Unit, action: str) -> datetime.date | None:
    actions = list(DATE_FIELD)
    for earlier in reversed(actions[: actions.index(action)]):
        value = getattr(unit, DATE_FIELD[earlier])
        if value is not None:
            return value
    return None


def check_stage_date(unit: Unit, action: str, on: datetime.date, *, today: datetime.date) -> None:
    if on > today:
        raise RelocationError("date_in_future", "办理日期不能晚于今天。", field="on")
    if on < EARLIEST:
        raise RelocationError("date_too_early", "办理日期有误,请核对。", field="on")
    previous = _previous_date(unit, action)
    if previous is not None and on < previous:
        raise RelocationError(
            "date_before_previous",
            f"办理日期不能早于上一环节的日期({previous:%Y-%m-%d})。",
            field="on",
        )


@dataclass
class StageInput:
    """What the stage form, the API or an import line collected."""

    on: datetime.date | None = None
    amount: Any = None
    note: str = ""


def stage_updates(unit: Unit, action: str, data: StageInput, *, today: datetime.date) -> dict[str, Any]:
    """The columns `action` writes, validated (the unit's stage is checked by the engine)."""
    on = data.on or today
    check_stage_date(unit, action, on, today=today)
    updates: dict[str, Any] = {DATE_FIELD[action]: on}
    if action in AMOUNT_FIELD:
        amount = parse_amount(data.amount, label=AMOUNT_LABEL[action])
        if amount is None:
            raise RelocationError("amount_required", f"请填写{AMOUNT_LABEL[action]}(元)。", field="amount")
        updates[AMOUNT_FIELD[action]] = amount
    elif data.amount not in (None, ""):
        raise RelocationError("amount_unexpected", "该环节不登记金额。", field="amount")
    note = (data.note or "").strip()
    if len(note) > NOTE_MAX:
        raise RelocationError("note_too_long", f"备注不能超过 {NOTE_MAX} 个字。", field="note")
    return updates


def unit_advance(*, actor: Actor, unit: Unit, action: str, data: StageInput) -> Unit:
    """Move `unit` one stage on by `action`; nothing is written on any error."""
    if action not in DATE_FIELD:
        raise RelocationError("action_invalid", "没有这个环节。")
    require_work(actor, unit)
    # The table first: a wrong stage is a 409 before any input error.
    WORKFLOW.check(action, unit)
    updates = stage_updates(unit, action, data, today=timezone.localdate())
    note = (data.note or "").strip()
    return transition(
        actor=actor,
        unit=unit,
        action=action,
        updates=updates,
        text=note,
        data={k: str(v) for k, v in updates.items()},
    )


def unit_hand_over(*, actor: Actor, unit: Unit, reason: str) -> Unit:
    """The household disputes its relocation: a 土地征迁纠纷 case is registered
    at the mediation centre (the household head against the implementer)
    and linked to the unit. One open handover per unit."""
    require_work(actor, unit)
    if unit.dispute_id is not None:
        raise RelocationConflict("already_handed_over", "该户的纠纷已转交调解中心,请在下方查看调解进度。")
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise RelocationError("reason_required", "请写明争议内容和已做的工作(至少 10 个字)。", field="reason")
    if len(reason) > 2000:
        raise RelocationError("reason_too_long", "争议说明不能超过 2000 个字。", field="reason")
    project = unit.project
    data = CaseInput(
        source="",
        title=f"{project.name}{unit.number}征迁补偿争议"[:100],
        description=reason,
        dispute_type=DisputeType.LAND,
        node=unit.village,
        source_reference=f"征迁户 {project.name} {unit.number}"[:60],
        location=unit.location[:200],
        amount=unit.agreed_amount or unit.assessed_amount,
        parties=[
            PartyInput(
                side=PartySide.APPLICANT,
                name=unit.head_name,
                id_number=unit.head_id_number or "",
                phone=unit.head_phone or "",
            ),
            PartyInput(
                side=PartySide.RESPONDENT,
                kind=PartyKind.ORGANISATION,
                name=project.implementer or f"{project.name}征收实施单位",
            ),
        ],
    )
    with transaction.atomic():
        case = dispute_hand_over(actor=actor, data=data)
        if Unit.objects.filter(pk=unit.pk, dispute__isnull=True).update(dispute=case) != 1:
            raise RelocationConflict("already_handed_over", "该户的纠纷已转交调解中心,请刷新后查看。")
        unit.dispute = case
        event_row(UnitEvent, "unit", action="handover", actor=actor, text=reason, data={"case": case.number})(
            unit, unit.state, unit.state
        )
        audit_record(action=AuditAction.UPDATE, actor=as_user(actor), obj=unit, detail={"handover": case.number})
    return unit
