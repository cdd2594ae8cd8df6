"""Storing application materials: content checks (photos and PDFs only, by
magic bytes, size-limited, sha256 — `grassroots.core.files`), one
current file per requirement (a new upload supersedes the old one, which
keeps its verdict as history), and the agent's authorisation-letter rule."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from grassroots.accounts.actors import Actor, as_user
from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError
from grassroots.core.files import CheckedFile, check_files

from ..errors import NotEditable, RegistrationError
from ..models import Application, ApplicationMaterial, MaterialRequirement, MaterialStatus
from ..selectors.applications import (
    EXTRA_AUTHORISATION,
    EXTRA_COMMITMENT,
    EXTRA_LABELS,
    EXTRA_OTHER,
    application_checklist,
)
from ..states import State
from .workflow import acting_as_agent, behalf_of, event_add, is_window_staff, require

EDITABLE_STATES = (State.DRAFT, State.RETURNED)


def check_editable(application: Application, *, actor: Actor) -> None:
    """Forms and materials change only in a draft or a returned application."""
    if actor is not None:
        require(actor, Capability.WINDOW_WORK)
    if application.state not in EDITABLE_STATES:
        raise NotEditable()


def missing_names(application: Application) -> list[str]:
    """Names of the materials the case still lacks: not uploaded (nor
    replaced by a commitment), or found missing or wrong by the last review
    and not uploaded again since."""
    return [item.name for item in application_checklist(application).all_items if item.problem]


def check_one(file: UploadedFile, *, field_name: str) -> CheckedFile:
    try:
        return check_files([file])[0]
    except DomainError as exc:
        raise RegistrationError(exc.code, exc.message, field=field_name) from None


def letter_on_file(application: Application) -> bool:
    return (
        application.materials.filter(extra_kind=EXTRA_AUTHORISATION, superseded=False)
        .exclude(status__in=(MaterialStatus.WRONG, MaterialStatus.MISSING))
        .exists()
    )


def require_letter(application: Application, *, actor: Actor, on_behalf_of: str) -> None:
    """An agent acts only after an authorisation letter is uploaded."""
    if acting_as_agent(application, actor=actor, on_behalf_of=on_behalf_of) and not letter_on_file(application):
        raise RegistrationError(
            "authorisation_required",
            "代理他人办理,请先上传申请人签字的授权委托书。",
            field="authorisation_letter",
        )


def store(
    *,
    application: Application,
    checked: CheckedFile,
    requirement: MaterialRequirement | None,
    extra_kind: str,
    actor: Actor,
    on_behalf_of: str,
) -> ApplicationMaterial:
    """Save one checked file; it supersedes the current file of the same
    requirement (or of the same single-file extra kind; "other" files add up)."""
    current = application.materials.filter(superseded=False)
    if requirement is not None:
        current = current.filter(requirement=requirement)
    elif extra_kind != EXTRA_OTHER:
        current = current.filter(requirement__isnull=True, extra_kind=extra_kind)
    else:
        current = current.none()
    superseded_ids = list(current.values_list("pk", flat=True))
    current.update(superseded=True)
    material = ApplicationMaterial(
        application=application,
        requirement=requirement,
        extra_kind=extra_kind,
        original_name=checked.name[-200:],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=as_user(actor) if is_window_staff(actor) else None,
        on_behalf_of=behalf_of(application, actor=actor, on_behalf_of=on_behalf_of),
    )
    material.file.save(checked.name, checked.content, save=False)
    material.save()
    name = requirement.name if requirement is not None else EXTRA_LABELS.get(extra_kind, extra_kind)
    event_add(
        application,
        action="upload",
        actor=actor,
        on_behalf_of=on_behalf_of,
        text=f"上传材料:{name}({checked.name})。",
        data={
            "material": material.pk,
            "requirement": requirement.pk if requirement else None,
            "extra_kind": extra_kind,
            "sha256": checked.sha256,
            "supersedes": superseded_ids,
        },
    )
    return material


def signed_copy_store(
    *, application: Application, file: UploadedFile, actor: Actor, on_behalf_of: str
) -> ApplicationMaterial:
    """The signed commitment, stored as an extra material (commitments.py)."""
    checked = check_one(file, field_name="signed_copy")
    require_letter(application, actor=actor, on_behalf_of=on_behalf_of)
    return store(
        application=application,
        checked=checked,
        requirement=None,
        extra_kind=EXTRA_COMMITMENT,
        actor=actor,
        on_behalf_of=on_behalf_of,
    )
