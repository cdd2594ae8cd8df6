"""Reads for applications: the staff queue with its filters and clocks, the
applicant's view through a tracking code, and the material checklist of a
case (which requirements apply, what was uploaded, what the review said,
what a commitment or a bank deposit voucher replaces)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from grassroots.core.workdays import CalendarNotCovered, WorkCalendar

from .models import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    Commitment,
    MaterialRequirement,
    MaterialStatus,
)
from .services.clock import ApplicationClock, DueStatus, application_clock, stops_of
from .services.workflow import parse_tracking_code
from .states import State

# Materials that are not requirements of the service (ApplicationMaterial.extra_kind).
EXTRA_AUTHORISATION = "authorisation"
EXTRA_COMMITMENT = "commitment"
EXTRA_OTHER = "other"
EXTRA_LABELS = {
    EXTRA_AUTHORISATION: "授权委托书",
    EXTRA_COMMITMENT: "告知承诺书(签字版)",
    EXTRA_OTHER: "其他材料",
}
# What may be uploaded as an extra (the signed commitment goes through its own action).
UPLOADABLE_EXTRAS = (EXTRA_AUTHORISATION, EXTRA_OTHER)
FUNDS_PROOFS = ("capital_report", "commitment", "bank_voucher")


def is_commitment_requirement(requirement: MaterialRequirement) -> bool:
    """The catalogue's "commitment" material (condition funds_proof =
    commitment): satisfied by the signed commitment, not by an upload."""
    value = (requirement.conditions or {}).get("funds_proof")
    return value == "commitment" or value == ["commitment"]


# --- Which materials the case needs ----------------------------------------------


def case_answers(application: Application, **override: Any) -> Any:
    """The one-time-notice answers of the application as the notice part's
    `NoticeAnswers`, from `Application.answers` and the organisation fields."""
    from .services.notice import NoticeAnswers

    raw: dict[str, Any] = {**(application.answers or {})}
    raw["org_type"] = application.org_type
    if application.pne_form:
        raw["pne_form"] = application.pne_form
    raw.update(override)
    names = {f.name for f in dataclasses.fields(NoticeAnswers)}
    return NoticeAnswers(**{key: value for key, value in raw.items() if key in names})


def case_requirements(application: Application) -> list[MaterialRequirement]:
    """The materials this case needs (the one-time notice for its answers)."""
    from .services.notice import requirements_for

    return list(requirements_for(service=application.service, answers=case_answers(application)))


def replaceable_requirements(application: Application) -> list[MaterialRequirement]:
    """The capital-verification materials a signed commitment or a bank
    deposit voucher may replace (告知承诺): those flagged
    `commitment_replaceable` among the materials the case would need if it
    proved its funds with a report."""
    from .services.notice import requirements_for

    base = requirements_for(
        service=application.service, answers=case_answers(application, funds_proof="capital_report")
    )
    return [requirement for requirement in base if requirement.commitment_replaceable]


# --- The checklist ----------------------------------------------------------------


@dataclass
class ChecklistItem:
    """One line of the checklist: a requirement or an extra material."""

    key: str  # "r<requirement id>" or the extra kind
    name: str
    requirement: MaterialRequirement | None
    material: ApplicationMaterial | None
    status: str  # MaterialStatus value, or "absent" (nothing uploaded, not reviewed)
    reason: str = ""
    replaced_by: str = ""  # "commitment" or "bank_voucher"
    replaceable: bool = False
    history: list[ApplicationMaterial] = field(default_factory=list)

    @property
    def code(self) -> str:
        """The requirement's catalogue code, or the extra line's key."""
        return self.requirement.code if self.requirement is not None else self.key

    @property
    def status_label(self) -> str:
        if self.status == "absent":
            return "未上传"
        return str(MaterialStatus(self.status).label)

    @property
    def problem(self) -> bool:
        return self.status in (MaterialStatus.MISSING, MaterialStatus.WRONG, "absent")


@dataclass
class Checklist:
    items: list[ChecklistItem]
    extras: list[ChecklistItem]
    commitment: Commitment | None
    needs_authorisation: bool

    @property
    def all_items(self) -> list[ChecklistItem]:
        return [*self.items, *self.extras]

    @property
    def pending(self) -> list[ChecklistItem]:
        return [item for item in self.all_items if item.status == MaterialStatus.PENDING]

    @property
    def problems(self) -> list[ChecklistItem]:
        return [item for item in self.all_items if item.problem]

    @property
    def complete(self) -> bool:
        return all(item.status in (MaterialStatus.OK, MaterialStatus.REPLACED) for item in self.items) and not [
            item for item in self.extras if item.status in (MaterialStatus.WRONG, MaterialStatus.MISSING, "absent")
        ]


def _current(materials: Sequence[ApplicationMaterial]) -> ApplicationMaterial | None:
    live = [m for m in materials if not m.superseded]
    return live[-1] if live else None


def last_review_verdicts(application: Application) -> dict[str, dict[str, Any]]:
    """Requirement-level verdicts of the review of the current submission
    (kept in the review event, since a missing material has no row)."""
    events = _events(application)
    last_review = next((e for e in reversed(events) if e.action == "review"), None)
    last_submit = next((e for e in reversed(events) if e.action in ("submit", "resubmit")), None)
    if last_review is None or (last_submit is not None and last_review.pk < last_submit.pk):
        return {}
    return {str(key): value for key, value in (last_review.data.get("requirements") or {}).items()}


def _events(application: Application) -> list[ApplicationEvent]:
    cache = getattr(application, "_prefetched_objects_cache", {})
    if "events" in cache:
        return list(application.events.all())
    return list(application.events.order_by("created_at", "id"))


def _materials(application: Application) -> list[ApplicationMaterial]:
    cache = getattr(application, "_prefetched_objects_cache", {})
    if "materials" in cache:
        return sorted(application.materials.all(), key=lambda m: (m.created_at, m.pk))
    return list(application.materials.select_related("requirement", "uploaded_by").order_by("created_at", "id"))


def application_checklist(application: Application) -> Checklist:
    """Every material the case needs and where it stands. The catalogue's
    commitment material is the signed commitment's copy (告知承诺); a
    capital-verification material still listed while a signed commitment
    exists counts as replaced."""
    from .services.workflow import acting_as_agent

    requirements = case_requirements(application)
    replaceable = {r.pk for r in replaceable_requirements(application)}
    materials = _materials(application)
    by_requirement: dict[int, list[ApplicationMaterial]] = {}
    by_extra: dict[str, list[ApplicationMaterial]] = {}
    for material in materials:
        if material.requirement_id is not None:
            by_requirement.setdefault(material.requirement_id, []).append(material)
        else:
            by_extra.setdefault(material.extra_kind, []).append(material)
    verdicts = last_review_verdicts(application)
    commitment = Commitment.objects.filter(application=application).first()
    signed = commitment is not None and commitment.status != Commitment.Status.PENDING_SIGNATURE
    signed_copy = _current(by_extra.get(EXTRA_COMMITMENT, []))

    items: list[ChecklistItem] = []
    for requirement in requirements:
        history = by_requirement.get(requirement.pk, [])
        current = _current(history)
        item = ChecklistItem(
            key=f"r{requirement.pk}",
            name=requirement.name,
            requirement=requirement,
            material=current,
            status="absent",
            replaceable=requirement.pk in replaceable,
            history=[m for m in history if m is not current],
        )
        if is_commitment_requirement(requirement):
            item.replaced_by = "commitment"
            item.history = [m for m in by_extra.get(EXTRA_COMMITMENT, []) if m is not signed_copy]
            if signed and signed_copy is not None:
                item.material = signed_copy
                item.status, item.reason = signed_copy.status, signed_copy.review_reason
            else:
                verdict = verdicts.get(str(requirement.pk)) or {}
                item.status, item.reason = verdict.get("status", "absent"), verdict.get("reason", "")
        elif requirement.pk in replaceable and current is None and signed:
            item.status, item.replaced_by = MaterialStatus.REPLACED, "commitment"
        elif current is not None:
            item.status, item.reason = current.status, current.review_reason
        else:
            verdict = verdicts.get(str(requirement.pk)) or {}
            item.status, item.reason = verdict.get("status", "absent"), verdict.get("reason", "")
        items.append(item)

    needs_authorisation = acting_as_agent(application, actor=None, on_behalf_of="")
    extras: list[ChecklistItem] = []
    for kind in (EXTRA_AUTHORISATION, EXTRA_OTHER):
        history = by_extra.get(kind, [])
        live = [m for m in history if not m.superseded]
        if kind == EXTRA_AUTHORISATION and not live and needs_authorisation:
            verdict = verdicts.get(kind) or {}
            extras.append(
                ChecklistItem(
                    key=kind,
                    name=EXTRA_LABELS[kind],
                    requirement=None,
                    material=None,
                    status=verdict.get("status", "absent"),
                    reason=verdict.get("reason", ""),
                )
            )
        for material in live:
            extras.append(
                ChecklistItem(
                    key=f"m{material.pk}",
                    name=EXTRA_LABELS.get(kind, kind),
                    requirement=None,
                    material=material,
                    status=material.status,
                    reason=material.review_reason,
                    history=[m for m in history if m.superseded],
                )
            )
    return Checklist(items=items, extras=extras, commitment=commitment, needs_authorisation=needs_authorisation)


# --- Look-ups ---------------------------------------------------------------------


def application_get(pk: int | str) -> Application:
    """One application for window staff (registration is not tree-scoped:
    every window user of the authority sees every application, ADR 0011)."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    application = (
        Application.objects.select_related("service", "organisation", "appointment", "created_by")
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor").order_by("created_at", "id")),
            Prefetch(
                "materials",
                queryset=ApplicationMaterial.objects.select_related("requirement", "uploaded_by").order_by(
                    "created_at", "id"
                ),
            ),
            "clock_stops",
            "return_notices",
        )
        .filter(pk=key)
        .first()
    )
    if application is None:
        raise Http404
    return application


def application_by_code(code: str) -> Application | None:
    """The applicant's own application through its tracking code; None for
    any wrong code (callers answer 404 whatever the reason)."""
    normalised = parse_tracking_code(code)
    if len(normalised) != 12:
        return None
    return (
        Application.objects.select_related("service", "organisation")
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.order_by("created_at", "id")),
            Prefetch(
                "materials",
                queryset=ApplicationMaterial.objects.select_related("requirement").order_by("created_at", "id"),
            ),
            "clock_stops",
            "return_notices",
        )
        .filter(tracking_code=normalised)
        .first()
    )


# --- The queue --------------------------------------------------------------------

OVERDUE_CHOICES = ("review", "decision", "any")


def applications_queue(
    *,
    state: str | None = None,
    service: int | None = None,
    overdue: str | None = None,
    assisted: bool | None = None,
    query: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Application]:
    """Applications for the window queue, newest first. `overdue`: `review`
    (preliminary review past its 5 working days, Art. 32), `decision`
    (statutory or promised date passed), `any`."""
    today = today or timezone.localdate()
    queryset = Application.objects.select_related("service").prefetch_related("clock_stops")
    # An applicant's online draft is theirs until submitted; drafts filled in at the window (帮办) show.
    queryset = queryset.exclude(state=State.DRAFT, assisted=False)
    if state:
        queryset = queryset.filter(state=state)
    if service:
        queryset = queryset.filter(service_id=service)
    if assisted is not None:
        queryset = queryset.filter(assisted=assisted)
    review_late = Q(state=State.SUBMITTED, review_due__lt=today)
    decision_late = Q(state=State.ACCEPTED) & (Q(statutory_due__lt=today) | Q(promised_due__lt=today))
    if overdue == "review":
        queryset = queryset.filter(review_late)
    elif overdue == "decision":
        queryset = queryset.filter(decision_late)
    elif overdue == "any":
        queryset = queryset.filter(review_late | decision_late)
    text = (query or "").strip()
    if text:
        code = parse_tracking_code(text)
        queryset = queryset.filter(
            Q(org_name__icontains=text)
            | Q(applicant_name__icontains=text)
            | Q(number__iexact=text)
            | Q(tracking_code=code or "-")
        )
    return queryset.order_by("-submitted_at", "-created_at", "-id")


@dataclass(frozen=True)
class QueueRow:
    application: Application
    clock: ApplicationClock


def queue_rows(applications: Sequence[Application], *, today: datetime.date | None = None) -> list[QueueRow]:
    """Clocks for a page of the queue with one shared calendar (the stops are
    prefetched, so the page costs a fixed number of queries). A clock that
    reaches a year the calendar does not cover shows as not computable
    rather than breaking the page."""
    calendar = WorkCalendar()
    today = today or timezone.localdate()
    rows = []
    for application in applications:
        try:
            clock = application_clock(
                application, stops=stops_of(application.clock_stops.all()), today=today, calendar=calendar
            )
        except CalendarNotCovered as exc:
            unknown = DueStatus("unknown", "无法计算")
            clock = ApplicationClock(
                review=unknown,
                statutory=unknown,
                promised=unknown,
                deemed_accepted=False,
                suspended_days=0,
                extended=False,
                notes=[exc.message],
            )
        rows.append(QueueRow(application, clock))
    return rows


def commitments_due(*, today: datetime.date | None = None) -> QuerySet[Commitment]:
    """Signed commitments whose verification is due (the follow-up task)."""
    today = today or timezone.localdate()
    return Commitment.objects.filter(
        status=Commitment.Status.SIGNED, verification_due__isnull=False, verification_due__lte=today
    ).select_related("application")
