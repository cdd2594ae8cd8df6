"""The weekly key villages (每周重点村): the ranking with its reasons,
confirming the two villages, and calling the joint meeting in one of them."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from grassroots.accounts.permissions import current_user, deny
from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError
from grassroots.core.scoping import get_in_scope_or_404
from grassroots.regions.models import Level, Node

from .. import selectors
from ..models import WeeklySelection
from ..services import weekly
from .common import convene_required, error_message


def _subdistrict_for(user: Any) -> Node | None:
    node = getattr(user, "jurisdiction", None)
    if node is None:
        return Node.objects.filter(level=Level.SUBDISTRICT).order_by("path").first() if user.is_superuser else None
    return Node.objects.filter(level=Level.SUBDISTRICT, path=node.path[: Node.steplen]).first()


@convene_required
def weekly_page(request: HttpRequest) -> HttpResponse:
    subdistrict = _subdistrict_for(request.user)
    if subdistrict is None:
        raise Http404()
    is_subdistrict = request.user.jurisdiction is None or request.user.jurisdiction.level == Level.SUBDISTRICT  # type: ignore[union-attr]
    current = WeeklySelection.objects.filter(
        subdistrict=subdistrict, week_start=weekly.week_monday(timezone.localdate())
    ).first()
    if current is None and is_subdistrict:
        current = weekly.weekly_propose(subdistrict=subdistrict)
    if request.method == "POST" and current is not None:
        if not is_subdistrict:
            raise deny(request, Capability.CONVENE_MEETINGS)
        try:
            if request.POST.get("step") == "confirm":
                villages = list(
                    Node.objects.filter(
                        pk__in=request.POST.getlist("villages"), level=Level.VILLAGE, path__startswith=subdistrict.path
                    )
                )
                weekly.weekly_confirm(
                    actor=current_user(request),
                    selection=current,
                    villages=villages,
                    note=request.POST.get("note", ""),
                )
                messages.success(request, "本周重点村已确定。")
            else:
                village = get_in_scope_or_404(
                    Node.objects.filter(level=Level.VILLAGE), request.user, pk=request.POST.get("village", 0)
                )
                starts = request.POST.get("starts_at", "")
                try:
                    starts_at = timezone.make_aware(datetime.datetime.strptime(starts, "%Y-%m-%dT%H:%M"))
                except ValueError:
                    messages.error(request, "请填写有效的会议时间。")
                    return redirect("deliberation:weekly")
                meeting = weekly.joint_meeting_convene(
                    actor=current_user(request),
                    selection=current,
                    village=village,
                    starts_at=starts_at,
                    place=request.POST.get("place", ""),
                )
                messages.success(
                    request,
                    "党政联席会议已召集:已邀请街道工作人员和该村(社区)干部(站内通知),"
                    "议程已按该村逾期、升级事项和联席会议清单生成。",
                )
                return redirect("deliberation:meeting", pk=meeting.pk)
        except DomainError as exc:
            error_message(request, exc)
        return redirect("deliberation:weekly")
    history = selectors.selections_visible_to(user=request.user).filter(subdistrict=subdistrict)[:12]
    villages = Node.objects.filter(level=Level.VILLAGE, path__startswith=subdistrict.path).order_by("path")
    proposed = set(current.proposed.values_list("pk", flat=True)) if current else set()
    return render(
        request,
        "deliberation/weekly.html",
        {
            "subdistrict": subdistrict,
            "current": current,
            "proposed_ids": proposed,
            "chosen": list(current.chosen.all()) if current else [],
            "villages": villages,
            "history": history,
            "is_subdistrict": is_subdistrict,
            "default_start": (timezone.localtime() + datetime.timedelta(days=2))
            .replace(hour=9, minute=0)
            .strftime("%Y-%m-%dT%H:%M"),
        },
    )
