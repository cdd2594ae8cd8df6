"""Matters as a publication source (ADR 0033): what 晒事 needs to publish a
matter's handling plan and result, and the intake that turns a resident's
objection to a publication into a matter. Registered in MattersConfig.ready();
publicity never imports matters, and matters never imports publicity."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from grassroots.core.errors import DomainError
from grassroots.core.publishing import ObjectionIntake, PublicationSource, Step, publisher
from grassroots.core.scoping import get_in_scope_or_404

from .models import EventKind, Matter
from .permissions import PUBLISHABLE_STATES
from .selectors import matter_progress
from .services.events import event_append
from .services.intake import MatterInput, format_tracking_code, matter_create
from .states import State

# The publication kinds a matter has (publicity.models.Kind values).
PLAN = "plan"
RESULT = "result"


def _load(user: Any, pk: Any) -> Matter:
    return get_in_scope_or_404(Matter.objects.select_related("node"), user, pk=pk)


def _refusal(kind: str, matter: Matter) -> DomainError | None:
    if matter.state not in PUBLISHABLE_STATES:
        return DomainError(
            "publication_state", f"事项当前为“{State(matter.state).label}”,还没有可以公示的方案或结果。", field="kind"
        )
    if kind == PLAN and not matter.handling_plan.strip():
        return DomainError("plan_missing", "事项还没有办理方案,交办或议事形成方案后才能公示理事方案。", field="kind")
    if kind == RESULT and matter.state not in (State.RESOLVED, State.CLOSED):
        return DomainError("result_missing", "事项办结后才能公示理事结果。", field="kind")
    return None


def _basis(kind: str, matter: Matter) -> tuple[datetime.date | None, str]:
    """A plan not before the matter was accepted, a result not before it was resolved."""
    if kind == RESULT and matter.resolved_at:
        return timezone.localdate(matter.resolved_at), "事项办结"
    if kind == PLAN:
        return timezone.localdate(matter.accepted_at or matter.created_at), "事项受理"
    return None, ""


def _progress(matter: Matter) -> tuple[int, list[Step]]:
    steps = [Step(timezone.localdate(matter.created_at), "群众反映")]
    for event in matter.events.filter(public=True, kind=EventKind.TRANSITION).order_by("created_at", "id"):
        if event.to_state in State.values:
            steps.append(Step(timezone.localdate(event.created_at), str(State(event.to_state).label)))
    return matter_progress(matter), steps


def _draft(kind: str, matter: Matter) -> tuple[str, str]:
    """The handling plan or the result, under the matter's title."""
    text = matter.result if kind == RESULT else matter.handling_plan
    return f"{matter.title}{publisher().kind_label(kind)}公示"[:100], text


def _percents(publications: list[Any]) -> dict[int, int]:
    """The matter comes with each publication (select_related): no query."""
    return {p.pk: matter_progress(p.matter) for p in publications if p.matter is not None}


def _after(matter: Matter, actor: Any, text: str, data: dict[str, Any]) -> None:
    """A publication of the matter published or withdrawn: told on its public timeline."""
    event_append(matter=matter, kind=EventKind.PUBLISHED, actor=actor, text=text, public=True, data=data)


def _objection_matter(
    *,
    node: Any,
    title: str,
    description: str,
    reporter_name: str,
    reporter_phone: str,
    touches_collective: bool,
    channel_detail: dict[str, Any],
    idempotency_key: str | None,
) -> tuple[Matter, bool]:
    return matter_create(
        data=MatterInput(
            node=node,
            title=title,
            description=description,
            channel="objection",
            reporter_name=reporter_name,
            reporter_phone=reporter_phone,
            touches_collective=touches_collective,
            channel_detail=channel_detail,
        ),
        idempotency_key=idempotency_key,
    )


MATTER_SOURCE = PublicationSource(
    field="matter",
    kinds=(PLAN, RESULT),
    what="事项",
    missing=("matter_required", "请选择要公示的事项。"),
    load=_load,
    refusal=_refusal,
    node=lambda matter: matter.node,
    label=lambda matter: f"{matter.number} {matter.title}",
    url=lambda matter: reverse("matters:detail", args=[matter.pk]),
    basis=_basis,
    progress=_progress,
    percents=_percents,
    draft=_draft,
    # A plan in hand (handling) or a result (resolved, closed).
    candidates=lambda: Matter.objects.filter(state__in=[State.HANDLING, State.RESOLVED, State.CLOSED]).order_by(
        "-created_at"
    ),
    number=lambda matter: matter.number,
    after=_after,
    with_notices=True,
)

OBJECTION_INTAKE = ObjectionIntake(
    create=_objection_matter,
    code=lambda matter: format_tracking_code(matter.tracking_code),
    number=lambda matter: matter.number,
    staff_url=lambda matter: reverse("matters:detail", args=[matter.pk]),
    status_url=lambda matter: reverse("matters-public:status", args=[matter.tracking_code]),
)
