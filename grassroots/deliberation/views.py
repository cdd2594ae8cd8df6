"""Staff pages: meeting list and convening, the meeting page (agenda,
htmx check-in with live quorum, resolutions, corrections, closing), minutes
PDF, rules, topic proposals and the weekly key-village selection. Each POST
calls one service; a DomainError becomes a message and nothing changes."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.accounts.permissions import deny
from grassroots.accounts.roles import Capability
from grassroots.core.documents import pdf_response
from grassroots.core.errors import DomainError
from grassroots.core.scoping import get_in_scope_or_404, scope_queryset
from grassroots.matters.forms_staff import ancestor_paths
from grassroots.matters.models import Matter, ResponsibleUnit
from grassroots.matters.services.units import responsible_unit_default
from grassroots.regions.models import Level, Node

from . import forms as f
from . import permissions, selectors
from .models import AgendaItem, Invitation, Meeting, Resolution, TopicProposal, WeeklySelection
from .rules import VoteMethod
from .services import agenda, meetings, resolutions, weekly
from .services import rules as rule_services
from .states import State


def convene_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not permissions.can_convene(request.user):
            raise deny(request, Capability.CONVENE_MEETINGS)
        return view(request, *args, **kwargs)

    return wrapped


def _error(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)


@convene_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.meetings_visible_to(user=request.user)
    kind = request.GET.get("kind", "")
    if kind:
        rows = rows.filter(kind=kind)
    return render(request, "deliberation/list.html", {"meetings": rows[:100], "kind": kind})


@convene_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    villages = selectors.villages_visible_to(user=request.user)
    form = f.ConveneForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = meetings.meeting_convene(
                actor=request.user,
                node=d["node"],
                data=meetings.MeetingInput(
                    kind=d["kind"], title=d["title"], starts_at=d["starts_at"], place=d["place"]
                ),
                request=request,
            )
            if d["invite_all"]:
                on = timezone.localtime(meeting.starts_at).date()
                meetings.meeting_invite(
                    actor=request.user,
                    meeting=meeting,
                    representatives=selectors.representatives_in_term(village=d["node"], on=on),
                    request=request,
                )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "会议已召集,已向受邀代表发送短信通知。")
            return redirect("deliberation:meeting", pk=meeting.pk)
    return render(request, "deliberation/new.html", {"form": form})


def _units_for(matter: Matter) -> Any:
    if matter.category is not None:
        responsible_unit_default(matter=matter, category=matter.category)  # make sure the default exists
    return ResponsibleUnit.objects.filter(active=True, path__in=ancestor_paths(matter.path)).order_by("-path", "name")


def _meeting_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    items = selectors.agenda_of(meeting=meeting)
    roll_call = meeting.rules.vote_method == VoteMethod.ROLL_CALL
    if roll_call:
        prefetch_related_objects(items, "resolution__roll_call__invitation__representative__resident")
    invitations = selectors.invitations_of(meeting=meeting)
    present = sum(1 for i in invitations if i.present)
    if meeting.expected_count is None:
        meeting.expected_count = meetings.expected_count(meeting)
    quorum = resolutions.quorum_status(meeting, present)
    forms_by_item = {}
    for item in items:
        if not hasattr(item, "resolution") or item.resolution is None:
            units = _units_for(item.matter) if item.matter else ResponsibleUnit.objects.none()
            forms_by_item[item.pk] = f.ResolutionForm(
                units=units,
                auto_id=f"id_item{item.pk}_%s",
                initial={"due_date": timezone.localdate() + datetime.timedelta(days=14)},
            )
    rows = []
    for item in items:
        res = getattr(item, "resolution", None)
        correction = None
        if res is not None and meeting.rules.vote_method == VoteMethod.HANDS:
            correction = f.CorrectionForm(
                auto_id=f"id_fix{res.pk}_%s",
                initial={
                    "votes_for": res.votes_for,
                    "votes_against": res.votes_against,
                    "votes_abstain": res.votes_abstain,
                },
            )
        rows.append({"item": item, "resolution": res, "form": forms_by_item.get(item.pk), "correction": correction})
    candidates = (
        list(selectors.topic_candidates(user=request.user, village=meeting.host_village)[:50])
        if meeting.state in (State.SCHEDULED, State.IN_SESSION)
        else []
    )
    accepted = TopicProposal.objects.filter(
        village=meeting.host_village, status=TopicProposal.Status.ACCEPTED, agenda_items__isnull=True
    )
    return {
        "meeting": meeting,
        "rows": rows,
        "invitations": invitations,
        "quorum": quorum,
        "candidates": candidates,
        "proposals": list(accepted[:20]),
        "roll_call": roll_call,
        "attendees": [i for i in invitations if i.present],
    }


@convene_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_visible(user=request.user, pk=pk)
    return render(request, "deliberation/detail.html", _meeting_context(request, meeting))


@require_POST
@convene_required
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    meeting = selectors.meeting_get_visible(user=request.user, pk=pk)
    done = {"open": "会议已开始,请为到会代表签到。", "close": "会议已结束,可下载会议纪要。", "cancel": "会议已取消。"}
    if action not in done:
        raise Http404()
    try:
        if action == "open":
            meetings.meeting_open(actor=request.user, meeting=meeting, request=request)
        elif action == "close":
            meetings.meeting_close(
                actor=request.user, meeting=meeting, minutes=request.POST.get("minutes", ""), request=request
            )
        else:
            meetings.meeting_cancel(actor=request.user, meeting=meeting, request=request)
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, done[action])
    return redirect("deliberation:meeting", pk=meeting.pk)


@require_POST
@convene_required
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_visible(user=request.user, pk=pk)
    try:
        if request.POST.get("matter"):
            from grassroots.matters.selectors import matter_get_visible

            matter = matter_get_visible(user=request.user, pk=request.POST["matter"])
            agenda.agenda_add_matter(actor=request.user, meeting=meeting, matter=matter, request=request)
        elif request.POST.get("proposal"):
            proposal = get_in_scope_or_404(TopicProposal.objects.all(), request.user, pk=request.POST["proposal"])
            agenda.agenda_add_proposal(actor=request.user, meeting=meeting, proposal=proposal, request=request)
        else:
            agenda.agenda_add_topic(
                actor=request.user, meeting=meeting, title=request.POST.get("title", ""), request=request
            )
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, "议题已列入议程。")
    return redirect("deliberation:meeting", pk=meeting.pk)


@require_POST
@convene_required
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_in_scope_or_404(
        Invitation.objects.select_related("meeting", "meeting__rules"), request.user, pk=pk
    )
    error = ""
    try:
        meetings.attendance_set(
            actor=request.user, invitation=invitation, present=request.POST.get("present") != "0", request=request
        )
    except DomainError as exc:
        error = exc.message
    meeting = invitation.meeting
    if request.headers.get("HX-Request"):
        context = _meeting_context(request, meeting)
        context["attendance_error"] = error
        # Roll call: the vote forms list whoever is checked in, so they follow the attendance.
        context["roll_call_oob"] = context["roll_call"] and meeting.state == State.IN_SESSION
        return render(request, "deliberation/_attendance.html", context)
    if error:
        messages.error(request, error)
    return redirect("deliberation:meeting", pk=meeting.pk)


def _int(value: Any) -> int:
    return int(value) if value not in (None, "") else 0


@require_POST
@convene_required
def resolution_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_in_scope_or_404(
        AgendaItem.objects.select_related("meeting", "meeting__rules", "matter"), request.user, pk=pk
    )
    units = _units_for(item.matter) if item.matter else ResponsibleUnit.objects.none()
    form = f.ResolutionForm(request.POST, units=units)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("deliberation:meeting", pk=item.meeting_id)
    d = form.cleaned_data
    roll: dict[int, str] = {}
    for key, value in request.POST.items():
        if key.startswith("vote_") and value:
            roll[int(key.removeprefix("vote_"))] = str(value)
    try:
        res = resolutions.resolution_record(
            actor=request.user,
            item=item,
            data=resolutions.VoteInput(
                decision=d["decision"],
                votes_for=_int(d.get("votes_for")),
                votes_against=_int(d.get("votes_against")),
                votes_abstain=_int(d.get("votes_abstain")),
                roll_call=roll,
                responsible_unit=d.get("responsible_unit"),
                due_date=d.get("due_date"),
            ),
            request=request,
        )
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, f"决议已记录:{'通过' if res.passed else '未通过'}。")
    return redirect("deliberation:meeting", pk=item.meeting_id)


@require_POST
@convene_required
def resolution_fix(request: HttpRequest, pk: int) -> HttpResponse:
    res = get_in_scope_or_404(Resolution.objects.select_related("item__meeting__rules"), request.user, pk=pk)
    form = f.CorrectionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            resolutions.resolution_correct(
                actor=request.user,
                resolution=res,
                votes_for=d["votes_for"],
                votes_against=d["votes_against"],
                votes_abstain=d["votes_abstain"],
                reason=d["reason"],
                request=request,
            )
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, "计票已更正,更正记录已留存。")
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("deliberation:meeting", pk=res.item.meeting_id)


def minutes_context(meeting: Meeting) -> dict[str, Any]:
    items = selectors.agenda_of(meeting=meeting)
    invitations = selectors.invitations_of(meeting=meeting)
    return {
        "meeting": meeting,
        "items": items,
        "attendees": [i for i in invitations if i.present],
        "absent": [i for i in invitations if not i.present],
        "title": f"{meeting.title}会议纪要",
        "org_name": meeting.node.label,
        "doc_number": f"议事纪要第 {meeting.pk} 号",
    }


@convene_required
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_visible(user=request.user, pk=pk)
    if meeting.state != State.CLOSED:
        messages.error(request, "会议结束后才能生成会议纪要。")
        return redirect("deliberation:meeting", pk=meeting.pk)
    return pdf_response(
        filename=f"会议纪要-{meeting.pk}.pdf",
        template_name="deliberation/minutes_pdf.html",
        context=minutes_context(meeting),
        inline=False,
    )


@convene_required
def rule_list(request: HttpRequest) -> HttpResponse:
    nodes = scope_queryset(Node.objects.filter(level__in=[Level.SUBDISTRICT, Level.VILLAGE]), request.user).order_by(
        "path"
    )
    form = f.RuleForm(request.POST or None, nodes=nodes, initial={"effective_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            rule_services.ruleset_create(
                actor=request.user,
                node=d["node"],
                data=rule_services.RuleInput(
                    title=d["title"],
                    proposers=d["proposers"],
                    quorum_numerator=d["quorum_numerator"],
                    quorum_denominator=d["quorum_denominator"],
                    threshold=d["threshold"],
                    vote_method=d["vote_method"],
                    effective_from=d["effective_from"],
                    text=d["text"],
                ),
                publish=d["publish"],
                request=request,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "议事规则新版本已保存。")
            return redirect("deliberation:rules")
    rules = selectors.rules_visible_to(user=request.user)[:200]
    return render(request, "deliberation/rules.html", {"rules": rules, "form": form})


@require_POST
@convene_required
def rule_publish(request: HttpRequest, pk: int) -> HttpResponse:
    rules = get_in_scope_or_404(selectors.rules_visible_to(user=request.user), request.user, pk=pk)
    try:
        rule_services.ruleset_publish(actor=request.user, rules=rules, request=request)
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, "已发布。")
    return redirect("deliberation:rules")


@convene_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        proposal = get_in_scope_or_404(TopicProposal.objects.all(), request.user, pk=request.POST.get("proposal", 0))
        try:
            agenda.proposal_moderate(
                actor=request.user,
                proposal=proposal,
                accept=request.POST.get("decision") == "accept",
                note=request.POST.get("note", ""),
                request=request,
            )
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, "已审核。")
        return redirect("deliberation:proposals")
    rows = selectors.proposals_visible_to(user=request.user)[:100]
    return render(request, "deliberation/proposals.html", {"proposals": rows})


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
                    actor=request.user,
                    selection=current,
                    villages=villages,
                    note=request.POST.get("note", ""),
                    request=request,
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
                    actor=request.user,
                    selection=current,
                    village=village,
                    starts_at=starts_at,
                    place=request.POST.get("place", ""),
                    request=request,
                )
                messages.success(request, "党政联席会议已召集,议程已按该村逾期、升级事项和联席会议清单生成。")
                return redirect("deliberation:meeting", pk=meeting.pk)
        except DomainError as exc:
            _error(request, exc)
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
