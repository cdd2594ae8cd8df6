"""评事考评排行 publication: the list's text and data, and its draft publication
through 晒事 (evaluation is a sibling of publicity in the layers)."""

from __future__ import annotations

import datetime
from typing import Any

from grassroots.core.errors import DomainError
from grassroots.core.masking import mask_name
from grassroots.publicity.models import Kind, Publication
from grassroots.publicity.models import State as PublicationState
from grassroots.publicity.services import publication_create
from grassroots.regions.models import Node

from ..services.ballots import MIN_BALLOTS_PER_PERSON
from .build import Ranking, StaffRow, ranking_build
from .rules import CHANNELS, require_manager, rule_for, rule_values

# --- Publication -------------------------------------------------------------


def _entry(row: StaffRow) -> dict[str, Any]:
    # Published: the name is masked like every name on a public page; the
    # unit (village) says where the person works.
    return {
        "name": mask_name(row.name),
        "villages": row.villages,
        "satisfaction": float(row.satisfaction) if row.satisfaction is not None else None,
        "months": row.months_with_results,
        "ballots": row.ballots,
        "reasons": row.reasons,
    }


def _line(number: int, row: StaffRow) -> str:
    text = (
        f"{number}. {mask_name(row.name)}({row.village_label}工作人员) "
        f"满意度 {row.satisfaction}%,{row.months_with_results} 个月有评议结果"
    )
    if row.reasons:
        text += ";" + ";".join(row.reasons)
    return text


def ranking_text(ranking: Ranking) -> tuple[str, str]:
    """Title and body of the publication."""
    title = f"{ranking.subdistrict.label}{ranking.period_label}工作人员评事考评排行"
    lines = [
        f"根据各村(社区)群众代表月度评议结果,现将{ranking.period_label}工作人员评事考评排行公示如下。",
        "",
        "表扬名单:",
        *([_line(i, r) for i, r in enumerate(ranking.red, 1)] or ["无"]),
        "",
        "督促名单:",
        *([_line(i, r) for i, r in enumerate(ranking.yellow, 1)] or ["无"]),
        "",
        f"评定规则:{ranking.rule_sentence}。",
        f"满意度 =(满意票 + 基本满意票 × 0.5)÷ 有效票 × 100%;某月有效票少于 {MIN_BALLOTS_PER_PERSON} 张的,"
        "该月结果不公布、不计入。",
    ]
    return title, "\n".join(lines)


def ranking_data(ranking: Ranking) -> dict[str, Any]:
    return {
        "from": ranking.start_month.strftime("%Y-%m"),
        "to": ranking.end_month.strftime("%Y-%m"),
        "rule": rule_values(ranking.rule),
        "red": [_entry(r) for r in ranking.red],
        "yellow": [_entry(r) for r in ranking.yellow],
    }


def ranking_publish(*, actor: Any, subdistrict: Node, end_month: datetime.date) -> Any:
    """A DRAFT publication of the red/yellow list at the subdistrict (the
    publisher reviews and publishes it on the publicity page). Pressing the
    button twice for an unchanged list gives back the same draft."""
    require_manager(actor, subdistrict, "只有街道工作人员可以生成评事考评排行公示。")
    ranking = ranking_build(subdistrict=subdistrict, end_month=end_month, rule=rule_for(subdistrict))
    if not ranking.session_count:
        raise DomainError(
            "ranking_empty", f"{ranking.period_label}没有已结束的月度评议,不能生成评事考评排行。", field="month"
        )
    title, content = ranking_text(ranking)
    data = ranking_data(ranking)
    existing = Publication.objects.filter(
        kind=Kind.RANKING, node=subdistrict, state=PublicationState.DRAFT, data__from=data["from"], data__to=data["to"]
    ).order_by("-pk")
    for draft in existing:
        if draft.data == data and draft.title == title and draft.content == content:
            return draft
    return publication_create(
        actor=actor,
        kind=Kind.RANKING,
        node=subdistrict,
        title=title,
        content=content,
        data=data,
        channels=CHANNELS,
    )
