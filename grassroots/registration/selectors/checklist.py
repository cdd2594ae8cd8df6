"""The material checklist of a case: which requirements of the catalogue
apply (the one-time notice for the case's answers), what was uploaded, what
the review said, and what a commitment replaces or a bank deposit voucher
supports. Re-exported by `selectors.applications`."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..models import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    Commitment,
    MaterialRequirement,
    MaterialStatus,
)
from ..services.notice import NoticeAnswers, requirements_for
from ..services.workflow import acting_as_agent

# Materials that are not requirements of the service (ApplicationMaterial.extra_kind).
EXTRA_AUTHORISATION = "authorisation"
EXTRA_COMMITMENT = "commitment"
# 验资报告告知承诺制: the commitment replaces the capital-verification report
# and a bank deposit voucher proves the funds; uploadable when the case uses
# a commitment (otherwise the catalogue's own 银行存款凭证 item applies).
EXTRA_BANK_VOUCHER = "bank_voucher"
EXTRA_OTHER = "other"
EXTRA_LABELS = {
    EXTRA_AUTHORISATION: "授权委托书",
    EXTRA_COMMITMENT: "告知承诺书(签字版)",
    EXTRA_BANK_VOUCHER: "银行存款凭证",
    EXTRA_OTHER: "其他材料",
}
# What may be uploaded as an extra (the signed commitment goes through its own action).
UPLOADABLE_EXTRAS = (EXTRA_AUTHORISATION, EXTRA_BANK_VOUCHER, EXTRA_OTHER)
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
    raw: dict[str, Any] = {**(application.answers or {})}
    raw["org_type"] = application.org_type
    if application.pne_form:
        raw["pne_form"] = application.pne_form
    raw.update(override)
    names = {f.name for f in dataclasses.fields(NoticeAnswers)}
    return NoticeAnswers(**{key: value for key, value in raw.items() if key in names})


def case_requirements(application: Application) -> list[MaterialRequirement]:
    """The materials this case needs (the one-time notice for its answers)."""
    return list(requirements_for(service=application.service, answers=case_answers(application)))


def replaceable_requirements(application: Application) -> list[MaterialRequirement]:
    """The capital-verification materials a signed commitment or a bank
    deposit voucher may replace (告知承诺): those flagged
    `commitment_replaceable` among the materials the case would need if it
    proved its funds with a report."""
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
    # The case proves its funds by a commitment (告知承诺): a bank deposit voucher may go with it.
    funds_by_commitment: bool = False

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
    for kind in (EXTRA_AUTHORISATION, EXTRA_BANK_VOUCHER, EXTRA_OTHER):
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
    return Checklist(
        items=items,
        extras=extras,
        commitment=commitment,
        needs_authorisation=needs_authorisation,
        funds_by_commitment=commitment is not None or case_answers(application).funds_proof == "commitment",
    )
