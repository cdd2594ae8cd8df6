"""Appraisal sessions as a publication source (ADR 0033): what 晒事 needs to
publish a closed session's results, including the draft text staff review
before publishing. Registered in EvaluationConfig.ready(); publicity never
imports evaluation.

Only what is public anyway goes in the draft: vote counts and the names of
the staff being appraised, masked as on every public page; matter titles
are scrubbed of phone and ID numbers (ADR 0018)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from grassroots.core.errors import DomainError
from grassroots.core.masking import mask_name
from grassroots.core.publishing import PublicationSource, Step
from grassroots.core.scoping import get_in_scope_or_404
from grassroots.core.scrubbing import scrub_personal_numbers
from grassroots.publicity.services import chinese_number, date_label
from grassroots.publicity.services.text import draft_title

from .models import AppraisalSession, ItemKind
from .services.ballots import MIN_BALLOTS_PER_PERSON, results_build
from .states import State

APPRAISAL = "appraisal"  # the publication kind (publicity.models.Kind)


def _result_line(row: dict[str, Any]) -> str:
    if row["suppressed"]:
        return "票数不足,不公布"
    counts, total = row["counts"] or {}, row["total"] or 0
    if not total:
        return "无代表评价"
    return (
        f"满意度 {row['satisfaction']}%(满意 {counts.get('satisfied', 0)} 票,"
        f"基本满意 {counts.get('basic', 0)} 票,不满意 {counts.get('unsatisfied', 0)} 票,共 {total} 票)"
    )


def _item_label(item: Any, village: str) -> str:
    """Matters by their number and title; staff by masked name and unit, as
    every name on a public page (the staff page of the session has the full names)."""
    if item.kind == ItemKind.STAFF:
        return f"{mask_name(item.label)}({village}工作人员)"
    return scrub_personal_numbers(str(item.label))


def appraisal_draft(session: AppraisalSession) -> tuple[str, str]:
    """(title, content) of a closed session's results, from results_build:
    staff items below the anonymity threshold read "票数不足,不公布"."""
    rows = results_build(session=session)
    month = f"{session.month.year}年{session.month.month}月"
    village = session.village.label
    reconciliation = session.reconciliation or {}
    intro = f"{village}组织群众代表对{month}的工作进行了满意度评议"
    if session.closed_at:
        intro = (
            f"{village}于{date_label(timezone.localdate(session.closed_at))}组织群众代表对{month}的工作进行了满意度评议"
        )
    facts = []
    if session.attendance is not None:
        facts.append(f"到会代表 {session.attendance} 人")
    if "ballots" in reconciliation:
        facts.append(f"收回选票 {reconciliation['ballots']} 张")
    lines = [
        intro + ("," + ",".join(facts) if facts else "") + "。评议结果如下(满意度 = (满意 + 基本满意 × 0.5)÷ 总票数):"
    ]
    sections = [("工作人员", ItemKind.STAFF), ("集体事项办理结果", ItemKind.MATTER)]
    number = 0
    for heading, kind in sections:
        chosen = [row for row in rows if row["item"].kind == kind]
        if not chosen:
            continue
        number += 1
        lines.append("")
        lines.append(f"{chinese_number(number)}、{heading}")
        for position, row in enumerate(chosen, start=1):
            lines.append(f"{position}. {_item_label(row['item'], village)}:{_result_line(row)}")
    if any(row["suppressed"] for row in rows):
        lines.append("")
        lines.append(f"注:为保护投票人,评价票数少于 {MIN_BALLOTS_PER_PERSON} 张的工作人员不公布结果。")
    lines.append("")
    lines.append("公示期内如有异议,请通过公示页面提出或向村(社区)反映。")
    return draft_title(f"{village}{month}群众代表评议结果公示"), "\n".join(lines)


def _load(user: Any, pk: Any) -> AppraisalSession:
    return get_in_scope_or_404(AppraisalSession.objects.select_related("village"), user, pk=pk)


def _refusal(_kind: str, session: AppraisalSession) -> DomainError | None:
    if session.state != State.CLOSED:
        return DomainError("appraisal_open", "评议投票结束后才能公示结果。", field="appraisal")
    return None


def _basis(_kind: str, session: AppraisalSession) -> tuple[datetime.date | None, str]:
    """Appraisal results are not published before the session closed."""
    if session.closed_at:
        return timezone.localdate(session.closed_at), "评议结束"
    return None, ""


def _progress(session: AppraisalSession) -> tuple[int, list[Step]]:
    steps = [Step(timezone.localdate(session.created_at), "发起评议", f"{session.month:%Y年%m月}")]
    if session.frozen_at:
        steps.append(Step(timezone.localdate(session.frozen_at), "确定评议对象和代表"))
    if session.closed_at:
        steps.append(Step(timezone.localdate(session.closed_at), "投票结束、公布结果"))
    return 100, steps


SESSION_SOURCE = PublicationSource(
    field="appraisal",
    kinds=(APPRAISAL,),
    what="月度评议",
    missing=("appraisal_required", "请选择要公示结果的月度评议。"),
    load=_load,
    refusal=_refusal,
    node=lambda session: session.village,
    label=str,
    url=lambda session: reverse("evaluation:detail", args=[session.pk]),
    basis=_basis,
    progress=_progress,
    percents=lambda publications: {p.pk: 100 for p in publications},
    draft=lambda _kind, session: appraisal_draft(session),
    candidates=lambda: AppraisalSession.objects.filter(state=State.CLOSED).select_related("village"),
)
