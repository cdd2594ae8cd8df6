"""民生实事 projects as a publication source (ADR 0033): what 晒事 needs to
publish a project's progress. Registered in LivelihoodConfig.ready();
publicity never imports livelihood. A project's progress is published
automatically when a milestone is reached (services/projects.py); staff can
also publish one by hand from publicity's pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from grassroots.core.errors import DomainError
from grassroots.core.publishing import PublicationSource, Step
from grassroots.core.scoping import get_in_scope_or_404

from .models import Project

PROJECT = "project"  # the publication kind (publicity.models.Kind)


def _load(user: Any, pk: Any) -> Project:
    return get_in_scope_or_404(Project.objects.select_related("node"), user, pk=pk)


def _refusal(_kind: str, project: Project) -> DomainError | None:
    if not project.milestones.filter(reached_on__isnull=False).exists():
        return DomainError("project_no_progress", "项目还没有完成的节点,暂无进展可公示。", field="project")
    return None


def _basis(_kind: str, project: Project) -> tuple[datetime.date | None, str]:
    first = project.milestones.filter(reached_on__isnull=False).order_by("position").first()
    return (first.reached_on, "首个节点完成") if first else (None, "")


def _progress(project: Project) -> tuple[int, list[Step]]:
    steps = [Step(timezone.localdate(project.created_at), "项目立项", project.title)]
    steps += [
        Step(m.reached_on, m.title, f"进度 {m.percent}%")
        for m in project.milestones.filter(reached_on__isnull=False).order_by("position")
        if m.reached_on is not None
    ]
    return project.progress, steps


def _draft(_kind: str, project: Project) -> tuple[str, str]:
    reached = project.milestones.filter(reached_on__isnull=False).order_by("position")
    lines = [
        f"{project.title}(预算 {project.budget:,.2f} 元,资金来源:{project.funding_source}),"
        f"当前进度 {project.progress}%。"
    ]
    lines += [f"{m.reached_on:%Y年%m月%d日} {m.title}" for m in reached]
    return f"民生实事进展:{project.title}"[:100], "\n".join(lines)


def _percents(publications: list[Any]) -> dict[int, int]:
    ids = {p.project_id for p in publications}
    progress = dict(Project.objects.filter(pk__in=ids).values_list("pk", "progress"))
    return {p.pk: progress.get(p.project_id, 0) for p in publications}


PROJECT_SOURCE = PublicationSource(
    field="project",
    kinds=(PROJECT,),
    what="民生实事项目",
    missing=("project_required", "请选择要公示进展的民生实事项目。"),
    load=_load,
    refusal=_refusal,
    node=lambda project: project.node,
    label=str,
    url=lambda project: reverse("livelihood:project", args=[project.pk]),
    basis=_basis,
    progress=_progress,
    percents=_percents,
    draft=_draft,
    candidates=lambda: Project.objects.filter(progress__gt=0).select_related("node").order_by("-updated_at"),
)
