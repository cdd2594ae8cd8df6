"""Recording an inspection: the premises (in use, in the actor's subtree),
the checklist version in force for its kind, an answer to every item (a
failed item needs a note: what was found), photos checked by content, the
inspectors (the actor and colleagues responsible for the place) and the
time. Written once, audited; never edited afterwards."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.models import User
from grassroots.accounts.permissions import require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.files import FileRejected, check_files
from grassroots.core.scoping import require_in_scope

from ..errors import SafetyError
from ..models import ChecklistVersion, Inspection, InspectionAnswer, InspectionPhoto, Premises, Result
from ..states import State

PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic"}
MAX_NOTE = 200
MAX_PAST = datetime.timedelta(days=90)


@dataclass(frozen=True)
class Answer:
    result: str
    note: str = ""


@dataclass(frozen=True)
class InspectionInput:
    version: ChecklistVersion
    # item id → answer
    answers: dict[int, Answer]
    inspected_at: datetime.datetime | None = None
    inspectors: list[User] = field(default_factory=list)
    note: str = ""
    photos: list[UploadedFile] = field(default_factory=list)


def inspection_input(
    *,
    version: ChecklistVersion,
    answers: Mapping[int, tuple[str, str]],
    inspectors: list[User],
    inspected_at: datetime.datetime | None = None,
    note: str = "",
    photos: list[UploadedFile] | None = None,
) -> InspectionInput:
    """The one mapping of the inspection page's form and its API twin: item
    id → (result, note) pairs and the chosen people become the service's input."""
    return InspectionInput(
        version=version,
        answers={pk: Answer(result, item_note) for pk, (result, item_note) in answers.items()},
        inspected_at=inspected_at,
        inspectors=list(inspectors),
        note=note or "",
        photos=list(photos or []),
    )


def versions_applicable(premises: Premises) -> list[ChecklistVersion]:
    """The versions in force of the checklists for the premises' kind."""
    found: list[ChecklistVersion] = []
    for version in ChecklistVersion.objects.select_related("checklist").order_by("checklist__title", "-number"):
        if premises.kind in (version.checklist.kinds or []) and all(
            v.checklist_id != version.checklist_id for v in found
        ):
            found.append(version)
    return found


def inspector_allowed(user: User, premises: Premises) -> bool:
    """A colleague who inspects and whose jurisdiction covers the premises."""
    node = user.jurisdiction
    return bool(
        user.is_active
        and user.can(Capability.INSPECT_SAFETY)
        and node is not None
        and premises.path.startswith(node.path)
    )


def _answers(version: ChecklistVersion, answers: dict[int, Answer]) -> list[tuple[Any, Answer]]:
    items = list(version.items.order_by("position"))
    unknown = set(answers) - {item.pk for item in items}
    if unknown:
        raise SafetyError("item_unknown", "检查结果中有不属于该检查表版本的项目。", field="answers")
    rows = []
    for item in items:
        answer = answers.get(item.pk)
        if answer is None or answer.result not in Result.values:
            raise SafetyError(
                "item_unanswered", f"第 {item.position} 项“{item.text}”还没有填写结果。", field=f"result_{item.pk}"
            )
        note = (answer.note or "").strip()
        if answer.result == Result.FAIL and not note:
            raise SafetyError("fail_note", f"第 {item.position} 项不合格,请写明发现的问题。", field=f"note_{item.pk}")
        if len(note) > MAX_NOTE:
            raise SafetyError(
                "note_too_long", f"第 {item.position} 项的说明不能超过 {MAX_NOTE} 个字。", field=f"note_{item.pk}"
            )
        rows.append((item, Answer(answer.result, note)))
    return rows


def photos_checked(photos: list[UploadedFile]) -> list[Any]:
    try:
        checked = check_files(photos)
    except FileRejected as exc:
        raise SafetyError(exc.code, exc.message, field="photos") from exc
    for photo in checked:
        if photo.content_type not in PHOTO_TYPES:
            raise SafetyError("photo_type", f"“{photo.name}”不是照片(支持 JPG、PNG、WebP、HEIC)。", field="photos")
    return checked


def inspection_record(*, actor: Actor, premises: Premises, data: InspectionInput) -> Inspection:
    require_in_scope(actor, premises)
    require_capability(actor, Capability.INSPECT_SAFETY, "您的角色不能开展安全检查。")
    if premises.state != State.OPERATING:
        raise SafetyError("premises_closed", "该场所已关停,不能检查。")
    if data.version.pk not in {v.pk for v in versions_applicable(premises)}:
        raise SafetyError("version_not_in_force", "该检查表不适用于此场所,或已有新版本,请刷新后重试。", field="version")
    rows = _answers(data.version, data.answers)
    now = timezone.now()
    inspected_at = data.inspected_at or now
    if inspected_at > now + datetime.timedelta(minutes=5) or inspected_at < now - MAX_PAST:
        raise SafetyError("time_invalid", "检查时间应在最近 90 天内,且不能晚于现在。", field="inspected_at")
    recorder = user_or_none(actor)
    inspectors = {u.pk: u for u in data.inspectors}
    if recorder is not None:
        inspectors.setdefault(recorder.pk, recorder)
    if not inspectors:
        raise SafetyError("inspectors_required", "请选择检查人员。", field="inspectors")
    for user in inspectors.values():
        if not inspector_allowed(user, premises):
            raise SafetyError("inspector_invalid", f"{user} 不能作为该场所的检查人员。", field="inspectors")
    photos = photos_checked(list(data.photos))
    note = (data.note or "").strip()
    with transaction.atomic():
        inspection = Inspection.objects.create(
            premises=premises,
            version=data.version,
            inspected_at=inspected_at,
            recorded_by=recorder,
            failed=sum(1 for _item, a in rows if a.result == Result.FAIL),
            note=note,
        )
        inspection.inspectors.set(list(inspectors.values()))
        InspectionAnswer.objects.bulk_create(
            InspectionAnswer(inspection=inspection, item=item, result=a.result, note=a.note) for item, a in rows
        )
        for photo in photos:
            photo.content.name = f"{uuid.uuid4().hex}.{PHOTO_TYPES[photo.content_type]}"
            InspectionPhoto.objects.create(
                inspection=inspection,
                file=photo.content,
                content_type=photo.content_type,
                size=photo.size,
                sha256=photo.sha256,
            )
        audit_record(
            action=AuditAction.CREATE,
            actor=recorder,
            obj=inspection,
            detail={"premises": premises.name, "version": data.version.pk, "failed": inspection.failed},
        )
    return inspection
