"""Safety's linked work on a matter (core/linked.py, ADR 0039), registered in
SafetyConfig.ready(): the hazard a matter became or opened, with a link for
those who may see hazards, the action that turns a 安全隐患 matter into a
hazard lead, and coarse progress for the resident's tracking page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from grassroots.accounts.permissions import actor_can
from grassroots.accounts.roles import Capability
from grassroots.core.linked import LinkedAction, LinkedItem, LinkedWork
from grassroots.core.scoping import path_in_scope
from grassroots.matters.models import Matter

from .models import Hazard, HazardSource
from .services.links import lead_allowed
from .services.matter_progress import PUBLIC_STATE
from .states import HazardState

BADGES = {
    HazardState.FOUND: "text-bg-warning",
    HazardState.NOTICE_ISSUED: "text-bg-primary",
    HazardState.RECTIFIED: "text-bg-info",
    HazardState.CLOSED: "text-bg-success",
    HazardState.REFERRED: "text-bg-dark",
}


def _hazard(matter: Matter) -> Hazard | None:
    return Hazard.objects.select_related("premises").filter(matter=matter).first()


def _items(matter: Matter, user: Any) -> list[LinkedItem]:
    hazard = _hazard(matter)
    if hazard is None:
        return []
    visible = actor_can(user, Capability.VIEW_SAFETY) and path_in_scope(hazard.path, user)
    origin = "由本事项转为隐患线索" if hazard.source == HazardSource.MATTER else "本事项由该隐患建立"
    detail = [origin, f"场所:{hazard.premises.name}", hazard.get_level_display()]
    if hazard.deadline and hazard.state == HazardState.NOTICE_ISSUED:
        detail.append(f"整改期限 {hazard.deadline:%Y-%m-%d}")
    return [
        LinkedItem(
            kind="安全隐患",
            title=hazard.description,
            state=PUBLIC_STATE.get(hazard.state, hazard.get_state_display()),
            badge=BADGES.get(HazardState(hazard.state), "text-bg-secondary"),
            url=reverse("safety:hazard", args=[hazard.pk]) if visible else "",
            detail=" · ".join(detail),
            testid="linked-hazard",
        )
    ]


def _actions(matter: Matter, user: Any) -> list[LinkedAction]:
    if not (actor_can(user, Capability.INSPECT_SAFETY) and lead_allowed(matter)):
        return []
    return [
        LinkedAction(
            label="转为安全隐患线索",
            url=reverse("safety:lead", args=[matter.pk]),
            icon="bi-cone-striped",
            testid="hazard-lead",
        )
    ]


def _public(matter: Matter) -> list[str]:
    state = Hazard.objects.filter(matter=matter).values_list("state", flat=True).first()
    return [f"安全隐患整改进展:{PUBLIC_STATE[state]}"] if state in PUBLIC_STATE else []


LINKED_WORK = LinkedWork(name="safety", items=_items, actions=_actions, public=_public, order=20)
