"""What a hazard tells the matter it is linked to (ADR 0039): each step of
its rectification loop becomes a public event of kind "linked" on the
matter, in coarse words the resident may read on the tracking page (no
names, no premises operator, no notice number). Written in the same
transaction as the hazard's own step. The matter is not resolved by the
hazard: its handler resolves it with a result the resident then rates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from grassroots.accounts.actors import Actor
from grassroots.matters.models import EventKind
from grassroots.matters.services.events import event_append

from ..models import Hazard
from ..states import HazardAction, HazardState

# The text told on the matter for each step of the loop.
STEP_TEXT: dict[str, str] = {
    "lead": "您反映的安全隐患已转安全检查人员核查跟进。",
    "opened": "本事项由安全检查发现的重大隐患建立,整改进展将同步记录。",
    HazardAction.ISSUE_NOTICE: "已向责任方下达整改通知,责令限期整改。",
    HazardAction.RECTIFY: "责任方已报告整改,等待复查。",
    HazardAction.CLOSE: "经复查,隐患已整改到位,已销号。",
    HazardAction.REOPEN: "复查未通过,继续督促整改。",
    HazardAction.REFER: "隐患已移交执法部门依法处理。",
}

# The coarse state shown on the tracking page and the matter page.
PUBLIC_STATE: dict[str, str] = {
    HazardState.FOUND: "已转安全检查核查,待下达整改通知",
    HazardState.NOTICE_ISSUED: "已下达整改通知,整改中",
    HazardState.RECTIFIED: "已报告整改,待复查",
    HazardState.CLOSED: "已整改到位并销号",
    HazardState.REFERRED: "已移交执法部门处理",
}


def matter_tell(*, hazard: Hazard, step: str, actor: Actor) -> None:
    """Append the step's public event to the hazard's matter (if any)."""
    if hazard.matter is None or step not in STEP_TEXT:
        return
    event_append(
        matter=hazard.matter,
        kind=EventKind.LINKED,
        actor=actor,
        actor_label="安全检查",
        text=STEP_TEXT[step],
        public=True,
        action=f"safety.{step}",
        data={"hazard": hazard.pk, "state": hazard.state},
    )


def told_within(step: str, actor: Actor) -> Callable[[Hazard, Any], None]:
    """A workflow `within` callback that tells the matter of the step."""

    def within(fresh: Hazard, _event: Any) -> None:
        matter_tell(hazard=fresh, step=step, actor=actor)

    return within
