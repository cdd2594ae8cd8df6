"""The weekly key villages (每周重点村): the ranking with its reasons,
confirming the two villages, calling the joint meeting in one of them, and
the topics other apps offer it (村级集体增收, ADR 0045) to put on its list."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from grassroots.accounts.permissions import current_user, deny, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError
from grassroots.matters.selectors import joint_topics_visible_to
from grassroots.matters.services.lifecycle import joint_topic_take
from grassroots.regions.models import Level

from .. import selectors
from ..services import weekly
from .common import convene_required, error_message


@convene_required
def weekly_page(request: HttpRequest) -> HttpResponse:
    subdistrict = selectors.subdistrict_for(user=request.user)
    if subdistrict is None:
        raise Http404()
    is_subdistrict = request.user.jurisdiction is None or request.user.jurisdiction.level == Level.SUBDISTRICT  # type: ignore[union-attr]
    week_start = weekly.week_monday(timezone.localdate())
    current = selectors.weekly_selection_of(subdistrict=subdistrict, week_start=week_start)
    if current is None and is_subdistrict:
        current = weekly.weekly_propose(subdistrict=subdistrict)
    if request.method == "POST" and request.POST.get("step") == "topic":
        return _take_topic(request)
    if request.method == "POST" and current is not None:
        if not is_subdistrict:
            raise deny(request, Capability.CONVENE_MEETINGS)
        try:
            if request.POST.get("step") == "confirm":
                villages = list(selectors.villages_of(subdistrict=subdistrict, ids=request.POST.getlist("villages")))
                weekly.weekly_confirm(
                    actor=current_user(request),
                    selection=current,
                    villages=villages,
                    note=request.POST.get("note", ""),
                )
                messages.success(request, "本周重点村已确定。")
            else:
                village = selectors.node_in_scope(
                    user=request.user, pk=request.POST.get("village", 0), levels=(Level.VILLAGE,)
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
    history = selectors.selections_visible_to(user=request.user, subdistrict=subdistrict)[:12]
    choices = selectors.villages_of(subdistrict=subdistrict)
    proposed, chosen = selectors.weekly_picks(selection=current)
    return render(
        request,
        "deliberation/weekly.html",
        {
            "subdistrict": subdistrict,
            "current": current,
            "proposed_ids": proposed,
            "chosen": chosen,
            "villages": choices,
            "history": history,
            "is_subdistrict": is_subdistrict,
            "topic_groups": joint_topics_visible_to(user=request.user),
            "can_list_topics": user_can(request.user, Capability.JOINT_MEETING),
            "default_start": (timezone.localtime() + datetime.timedelta(days=2))
            .replace(hour=9, minute=0)
            .strftime("%Y-%m-%dT%H:%M"),
        },
    )


def _take_topic(request: HttpRequest) -> HttpResponse:
    """列入联席会议 on one offered topic: its matter flagged for the joint meeting."""
    if not user_can(request.user, Capability.JOINT_MEETING):
        raise deny(request, Capability.JOINT_MEETING)
    try:
        matter = joint_topic_take(
            actor=current_user(request),
            source=request.POST.get("source", "")[:40],
            key=request.POST.get("key", "")[:100],
        )
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        error_message(request, exc)
    else:
        messages.success(request, f"已列入联席会议议题(事项 {matter.number}),召集联席会议时进入议程。")
    return redirect("deliberation:weekly")
