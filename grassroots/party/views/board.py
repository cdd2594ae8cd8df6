"""Pages of the 红黄榜 of party-member education management: the monthly
list (party staff see their subtree's entries and the draft, and compute,
publish or withdraw it; a member sees the published list of their
subdistrict, not public), each entry with the breakdown of its points, and
the subdistrict's points rule with its versions."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.accounts.permissions import current_user, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError
from grassroots.core.months import parse_month
from grassroots.core.scoping import get_in_scope_or_404
from grassroots.regions.models import Node

from .. import selectors
from ..forms import TERM_LABELS, RuleForm
from ..models import Board, Entry
from ..services import board as services
from ..states import BoardState
from .common import manage_required, member_or_view_required, page, view_required

BREAKDOWN_LABELS = {
    "training_hour": "培训学时",
    "pair_visit": "结对走访/帮扶",
    "activity": "参加活动",
    "matter_raised": "反映说事",
    "matter_settled": "办结说事",
    "member_average": "党员平均积分",
}


def _subdistrict(request: HttpRequest) -> Node | None:
    user = current_user(request)
    if user.jurisdiction is None:
        return None
    return selectors.subdistrict_of(user=user)


def _entry_row(entry: Entry) -> dict[str, Any]:
    name = entry.member.name if entry.member else entry.branch.name
    lines = [{"label": BREAKDOWN_LABELS.get(term, term), **values} for term, values in (entry.breakdown or {}).items()]
    return {"entry": entry, "name": name, "lines": lines}


def _last_month() -> datetime.date:
    return (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@require_GET
@member_or_view_required
def board(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    staff = user_can(user, Capability.VIEW_PARTY)
    subdistrict = _subdistrict(request)
    month = parse_month(request.GET.get("month")) if request.GET.get("month") else None
    if request.GET.get("month") and month is None:
        messages.error(request, "月份格式不正确,已显示最近的红黄榜。")
    boards = list(selectors.boards_of(subdistrict=subdistrict, published_only=not staff)) if subdistrict else []
    current: Board | None = None
    if month is not None:
        current = next((b for b in boards if b.month == month), None)
    elif boards:
        current = boards[0]
    rows = []
    if current is not None:
        # A member reads the whole published list; party staff their subtree's entries.
        whole = not staff
        rows = [_entry_row(e) for e in selectors.board_entries(board=current, user=user, whole=whole)]
    return page(
        request,
        "party/board.html",
        {
            "subdistrict": subdistrict,
            "boards": boards,
            "board": current,
            "members": [r for r in rows if r["entry"].member_id],
            "branches": [r for r in rows if not r["entry"].member_id],
            "can_compute": user_can(user, Capability.MANAGE_PARTY)
            and subdistrict is not None
            and user.jurisdiction is not None
            and user.jurisdiction.pk == subdistrict.pk,
            "default_month": (month or _last_month()).strftime("%Y-%m"),
            "published": BoardState.PUBLISHED,
            "tab": "board",
        },
    )


@require_POST
@manage_required
def board_compute(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    subdistrict = _subdistrict(request)
    month = parse_month(request.POST.get("month"))
    if subdistrict is None or month is None:
        messages.error(request, "请选择有效的月份(例如 2026-11)。")
        return redirect("party:board")
    try:
        board = services.board_compute(actor=user, subdistrict=subdistrict, month=month)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("party:board")
    messages.success(request, f"{board.month:%Y年%m月}红黄榜已计算(草稿,发布后党员可见)。")
    return redirect(f"{reverse('party:board')}?month={board.month:%Y-%m}")


def _move(request: HttpRequest, pk: int, call: Any, done: str) -> HttpResponse:
    user = current_user(request)
    board = get_in_scope_or_404(Board.objects.all(), user, pk=pk)
    try:
        call(actor=user, board=board)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(f"{reverse('party:board')}?month={board.month:%Y-%m}")


@require_POST
@manage_required
def board_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, services.board_publish, "红黄榜已发布,本街道党员登录后可以查看。")


@require_POST
@manage_required
def board_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, services.board_withdraw, "红黄榜已撤回为草稿。")


@require_http_methods(["GET", "POST"])
@view_required
def rule(request: HttpRequest) -> HttpResponse:
    """Everyone with VIEW_PARTY reads the rule; the subdistrict's party staff change it."""
    user = current_user(request)
    subdistrict = _subdistrict(request)
    current = services.rule_current(subdistrict=subdistrict) if subdistrict else None
    can_edit = bool(
        subdistrict
        and user_can(user, Capability.MANAGE_PARTY)
        and user.jurisdiction
        and user.jurisdiction.pk == subdistrict.pk
    )
    initial = {name: getattr(current, name) for name in TERM_LABELS} if current else {}
    form = RuleForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if not can_edit or subdistrict is None:
            messages.error(request, "只有街道党建工作人员可以修改积分规则。")
            return redirect("party:rule")
        if form.is_valid():
            try:
                saved = services.rule_set(actor=user, subdistrict=subdistrict, values=dict(form.cleaned_data))
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, f"积分规则已保存为第 {saved.version} 版,之后计算的月份按新规则。")
                return redirect("party:rule")
        status = 400
    versions = selectors.rule_versions(subdistrict=subdistrict) if subdistrict else []
    return page(
        request,
        "party/rule.html",
        {"form": form, "rule": current, "can_edit": can_edit, "versions": versions, "tab": "rule"},
        status=status,
    )
