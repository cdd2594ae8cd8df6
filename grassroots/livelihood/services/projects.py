"""民生实事 projects: village staff and the subdistrict register a project
with its budget, funding source and milestones, reach milestones in order
and add photos. Reaching a milestone raises the project's progress to the
milestone's percentage and publishes the progress through 晒事 at once (the
publisher publicity registers in core.publishing), all or nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.publishing import publisher
from grassroots.core.scoping import require_in_scope
from grassroots.regions.models import Level, Node

from ..errors import LivelihoodConflict, LivelihoodError
from ..models import Milestone, Project, ProjectPhoto
from .photos import checked_photo, clean_caption

MAX_BUDGET = Decimal("10000000000")  # 100 亿元: anything above is a typo
MAX_MILESTONES = 12
PROJECT_KIND = "project"  # the publication kind (publicity.models.Kind)
PUBLISH_DAYS = 10


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    percent: int
    due_on: datetime.date | None = None


@dataclass(frozen=True)
class ProjectInput:
    title: str
    node: Node
    budget: Decimal
    funding_source: str
    description: str = ""
    milestones: list[MilestoneInput] = field(default_factory=list)


def _check(data: ProjectInput) -> None:
    if not data.title.strip():
        raise LivelihoodError("title_required", "请填写项目名称。", field="title")
    if len(data.title.strip()) > 100:
        raise LivelihoodError("title_too_long", "项目名称不能超过 100 个字。", field="title")
    if data.node.level not in (Level.SUBDISTRICT, Level.VILLAGE):
        raise LivelihoodError("node_level", "实施范围应为街道或村/社区。", field="node")
    if not Decimal("0") < data.budget < MAX_BUDGET or data.budget != data.budget.quantize(Decimal("0.01")):
        raise LivelihoodError("budget_invalid", "预算应为大于 0 的金额(元,最多两位小数)。", field="budget")
    if not data.funding_source.strip():
        raise LivelihoodError("funding_required", "请填写资金来源。", field="funding_source")
    if len(data.funding_source.strip()) > 100:
        raise LivelihoodError("funding_too_long", "资金来源不能超过 100 个字。", field="funding_source")
    if len(data.description) > 2000:
        raise LivelihoodError("description_too_long", "项目内容不能超过 2000 个字。", field="description")
    if not data.milestones:
        raise LivelihoodError("milestones_required", "请至少填写一个项目节点。", field="milestones")
    if len(data.milestones) > MAX_MILESTONES:
        raise LivelihoodError("milestones_too_many", f"项目节点不能超过 {MAX_MILESTONES} 个。", field="milestones")
    last = 0
    for n, milestone in enumerate(data.milestones, start=1):
        if not milestone.title.strip() or len(milestone.title.strip()) > 100:
            raise LivelihoodError("milestone_title", f"第 {n} 个节点的名称应为 1–100 个字。", field="milestones")
        if not last < milestone.percent <= 100:
            raise LivelihoodError(
                "milestone_percent", f"第 {n} 个节点的进度应大于上一个节点,且不超过 100%。", field="milestones"
            )
        last = milestone.percent


def project_create(*, actor: Actor, data: ProjectInput) -> Project:
    require_in_scope(actor, data.node)
    require_capability(actor, Capability.MANAGE_PROJECTS, "只有村/社区或街道工作人员可以登记民生实事项目。")
    _check(data)
    with transaction.atomic():
        project = Project.objects.create(
            title=data.title.strip(),
            node=data.node,
            budget=data.budget,
            funding_source=data.funding_source.strip(),
            description=data.description.strip(),
            created_by=user_or_none(actor),
        )
        Milestone.objects.bulk_create(
            [
                Milestone(
                    project=project,
                    path=project.path,
                    position=n,
                    title=m.title.strip(),
                    percent=m.percent,
                    due_on=m.due_on,
                )
                for n, m in enumerate(data.milestones, start=1)
            ]
        )
        audit_record(
            action=AuditAction.CREATE, actor=user_or_none(actor), obj=project, detail={"budget": str(data.budget)}
        )
    return project


def milestone_reach(
    *, actor: Actor, milestone: Milestone, note: str = "", reached_on: datetime.date | None = None
) -> Milestone:
    """Mark `milestone` reached (the earlier ones first) and publish the
    project's progress through 晒事 at once."""
    require_in_scope(actor, milestone)
    require_capability(actor, Capability.MANAGE_PROJECTS, "只有村/社区或街道工作人员可以登记项目进展。")
    note = (note or "").strip()
    if len(note) > 500:
        raise LivelihoodError("note_too_long", "完成情况不能超过 500 个字。", field="note")
    reached_on = reached_on or timezone.localdate()
    if reached_on > timezone.localdate():
        raise LivelihoodError("reached_future", "完成日期不能晚于今天。", field="reached_on")
    if milestone.reached_on is not None:
        raise LivelihoodConflict("milestone_reached", "该节点已经完成。")
    project = milestone.project
    if project.milestones.filter(position__lt=milestone.position, reached_on__isnull=True).exists():
        raise LivelihoodConflict("milestone_order", "请先完成前面的节点。")
    with transaction.atomic():
        updated = Milestone.objects.filter(pk=milestone.pk, reached_on__isnull=True).update(
            reached_on=reached_on, reached_by=user_or_none(actor), note=note
        )
        if updated != 1:
            raise LivelihoodConflict("milestone_reached", "该节点已经完成。")
        Project.objects.filter(pk=project.pk).update(progress=milestone.percent, updated_at=timezone.now())
        milestone.refresh_from_db()
        project.refresh_from_db()
        audit_record(
            action=AuditAction.UPDATE,
            actor=user_or_none(actor),
            obj=milestone,
            detail={"project": project.pk, "progress": project.progress},
        )
        _publish(actor, project, milestone)
    return milestone


def _publish(actor: Actor, project: Project, milestone: Milestone) -> None:
    """The progress notice: publicity checks the actor may publish and that
    the project is in their subtree (its errors roll the milestone back)."""
    from_day = milestone.reached_on or timezone.localdate()
    lines = [
        f"{project.title}(预算 {project.budget:,.2f} 元,资金来源:{project.funding_source})"
        f"于 {from_day:%Y年%m月%d日}完成“{milestone.title}”,项目进度 {project.progress}%。",
    ]
    if milestone.note:
        lines.append(milestone.note)
    lines.append("欢迎群众监督,如有意见建议请通过公示页面提出或向村(社区)反映。")
    publisher().publish(
        actor=actor,
        kind=PROJECT_KIND,
        title=f"民生实事进展:{project.title}"[:100],
        content="\n".join(lines),
        channels=["portal"],
        starts_on=from_day if from_day >= timezone.localdate() else timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=PUBLISH_DAYS),
        project=project,
    )


def project_photo_add(*, actor: Actor, project: Project, photo: UploadedFile, caption: str = "") -> ProjectPhoto:
    require_in_scope(actor, project)
    require_capability(actor, Capability.MANAGE_PROJECTS, "只有村/社区或街道工作人员可以上传项目照片。")
    caption = clean_caption(caption)
    item = checked_photo(photo)
    with transaction.atomic():
        row = ProjectPhoto.objects.create(
            project=project,
            file=item.content,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            caption=caption,
            uploaded_by=user_or_none(actor),
        )
        audit_record(action=AuditAction.CREATE, actor=user_or_none(actor), obj=row, detail={"project": project.pk})
    return row
