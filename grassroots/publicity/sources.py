"""Draft texts for publications made from a source: a closed meeting's
resolutions and a closed appraisal session's results. Staff review and may
edit the draft before publishing. Only what is public anyway goes in: agenda
titles, decisions, vote counts, responsible units and the names of the staff
being appraised; never a representative's or a resident's name. Titles that
come from matters are scrubbed of phone and ID numbers, and agenda items
about a matter in a sensitive category are left out (ADR 0018)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from grassroots.core.masking import mask_name
from grassroots.core.scrubbing import scrub_personal_numbers
from grassroots.matters.selectors import sensitive_matter_q

from .services import date_label

NUMERALS = "零一二三四五六七八九十"
TITLE_MAX = 100


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五 (1–99)."""
    if n < 1 or n > 99:
        return str(n)
    tens, ones = divmod(n, 10)
    text = "" if tens == 0 else ("十" if tens == 1 else NUMERALS[tens] + "十")
    return text + (NUMERALS[ones] if ones else "")


def _title(text: str) -> str:
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1] + "…"


def resolution_draft(meeting: Any) -> tuple[str, str]:
    """(title, content) listing every resolution of the meeting in agenda order."""
    from grassroots.deliberation.models import AgendaItem

    items = list(
        AgendaItem.objects.filter(meeting=meeting, resolution__isnull=False)
        .exclude(sensitive_matter_q("matter__"))
        .select_related("resolution", "resolution__responsible_unit")
        .order_by("position")
    )
    held = timezone.localtime(meeting.starts_at)
    lines = [
        f"{meeting.node.label}于{date_label(held.date())}在{meeting.place}召开"
        f"{meeting.get_kind_display()}“{meeting.title}”"
        + (f",应到 {meeting.expected_count} 人" if meeting.expected_count else "")
        + f"。会议共形成 {len(items)} 项决议,现予公示:",
    ]
    for number, item in enumerate(items, start=1):
        resolution = item.resolution
        lines.append("")
        lines.append(f"{chinese_number(number)}、议题:{scrub_personal_numbers(item.title)}")
        lines.append(f"决议内容:{' '.join(scrub_personal_numbers(resolution.decision).split())}")
        lines.append(
            f"表决结果:赞成 {resolution.votes_for} 票,反对 {resolution.votes_against} 票,"
            f"弃权 {resolution.votes_abstain} 票(到会 {resolution.present} 人),"
            + ("决议通过。" if resolution.passed else "决议未通过。")
        )
        if resolution.responsible_unit is not None:
            lines.append(f"责任单位:{resolution.responsible_unit.name}")
        if resolution.due_date is not None:
            lines.append(f"办理期限:{date_label(resolution.due_date)}前")
    lines.append("")
    lines.append("公示期内如有异议,请通过公示页面提出或向村(社区)反映。")
    return _title(f"{meeting.title}决议公示"), "\n".join(lines)


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
    from grassroots.evaluation.models import ItemKind

    if item.kind == ItemKind.STAFF:
        return f"{mask_name(item.label)}({village}工作人员)"
    return scrub_personal_numbers(str(item.label))


def appraisal_draft(session: Any) -> tuple[str, str]:
    """(title, content) of a closed session's results, from results_build:
    staff items below the anonymity threshold read "票数不足,不公布"."""
    from grassroots.evaluation.models import ItemKind
    from grassroots.evaluation.services.ballots import MIN_BALLOTS_PER_PERSON, results_build

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
    return _title(f"{village}{month}群众代表评议结果公示"), "\n".join(lines)
