"""The monthly briefing's work figures (issue 16 item 4): matters received,
closed and overdue, mediation, hazards found and rectified, addresses
verified, relocation signing and key projects for a node's month, from the
same selectors as the big screen and the dashboards (the matters figures
API, the apps' selectors). Registered into the indicator briefing's section
registry at start-up (apps.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from grassroots.addresses import selectors as addresses
from grassroots.economy import selectors as economy
from grassroots.indicators.services.briefing import BriefingLine, BriefingSection
from grassroots.matters.selectors.figures import matter_daily_trend
from grassroots.mediation import selectors as mediation
from grassroots.regions.models import Node
from grassroots.relocation import selectors as relocation
from grassroots.relocation.selectors import progress as relocation_progress
from grassroots.safety import selectors as safety

from .selectors import ScreenViewer


def _month_end(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def _rate(part: int, whole: int) -> str:
    if not whole:
        return "—"
    return f"{(Decimal(100) * part / whole).quantize(Decimal('0.01'))}%"


def work_figures(*, node: Node, month: datetime.date) -> BriefingSection:
    """The work figures of `node`'s month; a month still running is counted up to today."""
    today = timezone.localdate()
    end = min(_month_end(month), today)
    viewer = ScreenViewer(jurisdiction=node)
    lines: list[BriefingLine] = []

    trend = matter_daily_trend(node=node, start=month, end=end) if end >= month else []
    received = sum(p.created for p in trend)
    closed = sum(p.closed for p in trend)
    last = trend[-1] if trend else None
    lines.append(BriefingLine("受理群众诉求事项", f"{received} 件", "本月新登记"))
    lines.append(BriefingLine("办结关闭事项", f"{closed} 件", "本月关闭"))
    lines.append(
        BriefingLine(
            "月末在办事项",
            f"{last.open_at_end if last else 0} 件",
            f"其中逾期 {last.overdue_at_end if last else 0} 件、严重逾期 {last.late3_at_end if last else 0} 件",
        )
    )

    cases = mediation.cases_visible_to(user=viewer).filter(registered_on__gte=month, registered_on__lte=end)
    counted = cases.aggregate(total=Count("id"), agreed=Count("id", filter=Q(outcome="agreed")))
    lines.append(BriefingLine("调解矛盾纠纷", f"{counted['total']} 件", f"其中达成协议 {counted['agreed']} 件"))

    stats = safety.safety_statistics(user=viewer, month=month, today=today)
    lines.append(
        BriefingLine(
            "安全检查",
            f"{stats.total.inspections} 次",
            f"发现隐患 {stats.total.hazards} 处,已整改销号 {stats.total.closed} 处",
        )
    )

    verified = addresses.addresses_pickable_by(user=viewer)
    in_month = verified.filter(verified_at__date__gte=month, verified_at__date__lte=end).count()
    lines.append(BriefingLine("标准地址核验", f"{in_month} 个", f"累计已核验 {verified.count()} 个"))

    for project in relocation.projects_visible_to(user=viewer).order_by("pk"):
        summary = relocation_progress.summary(relocation_progress.project_units(user=viewer, project=project), day=end)
        lines.append(
            BriefingLine(
                f"征迁签约:{project.name}",
                f"{summary.signed} / {summary.total} 户",
                f"签约率 {_rate(summary.signed, summary.total)}",
            )
        )

    projects = economy.project_progress(user=viewer)
    done = sum(1 for p in projects if p.progress >= 100)
    lines.append(BriefingLine("重点项目", f"{len(projects)} 个", f"已完工 {done} 个"))

    sentence = (
        f"本月受理群众诉求事项{received}件,办结关闭{closed}件,月末在办{last.open_at_end if last else 0}件"
        f"(逾期{last.overdue_at_end if last else 0}件);调解矛盾纠纷{counted['total']}件;"
        f"发现安全隐患{stats.total.hazards}处、整改销号{stats.total.closed}处;核验标准地址{in_month}个。"
    )
    return BriefingSection(title="重点工作情况", sentence=sentence, lines=lines)
