"""评事考评排行 page under /evaluation/ranking/ (RUN_APPRAISALS).

The list is subdistrict-wide: village staff see their subdistrict's list
(it is published anyway) with the rule read-only; only subdistrict staff of
that subdistrict change the rule and generate the publication draft."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts.permissions import capability_required, current_user
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import DomainError, PermissionDenied
from grassroots.core.months import parse_month
from grassroots.regions.models import Node

from .. import ranking as r
from .. import selectors
from ..forms.ranking import RuleForm
from ..permissions import CAPABILITY
from ..services.ballots import MIN_BALLOTS_PER_PERSON
from ..services.sessions import previous_month

run_required = capability_required(CAPABILITY)


def _forbidden(request: HttpRequest, message: str) -> DjangoPermissionDenied:
    audit_record(
        action=AuditAction.DENIED,
        request=request,
        result="denied",
        detail={"capability": "ranking_manage", "path": request.path},
    )
    return DjangoPermissionDenied(message)


def _page_url(month: datetime.date | None) -> str:
    url = reverse("evaluation:ranking")
    return f"{url}?{urlencode({'month': month.strftime('%Y-%m')})}" if month else url


def _render(
    request: HttpRequest,
    *,
    subdistrict: Node,
    month: datetime.date,
    form: RuleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    rule = r.rule_for(subdistrict)
    ranking = r.ranking_build(subdistrict=subdistrict, end_month=month, rule=rule)
    manager = r.can_manage(request.user, subdistrict)
    context = {
        "subdistrict": subdistrict,
        "month": month,
        "default_month": previous_month(timezone.localdate()),
        "ranking": ranking,
        "rule": rule,
        "rule_sentence": r.rule_sentence(rule),
        "form": form or RuleForm(initial=r.rule_values(rule)),
        "manager": manager,
        "min_ballots": MIN_BALLOTS_PER_PERSON,
        "sections": [
            (r.RED, "表扬名单", "表扬", r.STATUS_CLASSES[r.RED], ranking.red),
            (r.YELLOW, "督促名单", "督促改进", r.STATUS_CLASSES[r.YELLOW], ranking.yellow),
            (r.NORMAL, "一般", "", "bg-light", ranking.normal),
            (r.UNRANKED, "未达到统计条件", "", "bg-light", ranking.unranked),
        ],
    }
    return render(request, "evaluation/ranking.html", context, status=status)


@require_GET
@run_required
def ranking_page(request: HttpRequest) -> HttpResponse:
    subdistrict = selectors.subdistrict_for(user=request.user)
    raw = request.GET.get("month")
    month = parse_month(raw)
    if month is None:
        if raw:
            messages.error(request, "月份格式不正确,已显示上个月的评事考评排行。")
        month = previous_month(timezone.localdate())
    return _render(request, subdistrict=subdistrict, month=month)


@require_POST
@run_required
def ranking_rule(request: HttpRequest) -> HttpResponse:
    subdistrict = selectors.subdistrict_for(user=request.user)
    month = parse_month(request.POST.get("month")) or previous_month(timezone.localdate())
    if not r.can_manage(request.user, subdistrict):
        raise _forbidden(request, "只有街道工作人员可以修改评事考评排行规则。")
    form = RuleForm(request.POST)
    if form.is_valid():
        try:
            r.rule_save(actor=current_user(request), subdistrict=subdistrict, **form.cleaned_data)
        except PermissionDenied as exc:
            raise _forbidden(request, exc.message) from exc
        except DomainError as exc:
            form.add_domain_error(exc.field, exc.message)
        else:
            messages.success(request, "评事考评排行规则已保存,榜单已按新规则重新计算。")
            return redirect(_page_url(month))
    messages.error(request, "规则未保存,请按提示修改。")
    return _render(request, subdistrict=subdistrict, month=month, form=form)


@require_POST
@run_required
def ranking_publish(request: HttpRequest) -> HttpResponse:
    subdistrict = selectors.subdistrict_for(user=request.user)
    if not r.can_manage(request.user, subdistrict):
        raise _forbidden(request, "只有街道工作人员可以生成评事考评排行公示。")
    month = parse_month(request.POST.get("month"))
    if month is None:
        messages.error(request, "请选择截止月份。")
        return redirect(_page_url(None))
    try:
        publication = r.ranking_publish(actor=current_user(request), subdistrict=subdistrict, end_month=month)
    except PermissionDenied as exc:
        raise _forbidden(request, exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_page_url(month))
    messages.success(request, "已生成评事考评排行公示草稿,请核对后发布。")
    return redirect(reverse("publicity:detail", args=[publication.pk]))
