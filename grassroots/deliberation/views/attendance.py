"""The meeting page's attendance panel (htmx): invite staff or
representatives, remove an invitee before the meeting, check invitees in
while it is in session; the panel and the live quorum re-render in place.
Without htmx each POST redirects back to the meeting page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from grassroots.accounts.permissions import current_user
from grassroots.core.errors import DomainError

from .. import selectors
from ..errors import DeliberationError
from ..models import Invitation, Meeting
from ..services import invitations
from ..states import State
from .common import convene_required
from .meetings import meeting_context


def _respond(request: HttpRequest, meeting: Meeting, *, error: str = "", done: str = "") -> HttpResponse:
    if request.headers.get("HX-Request"):
        meeting.refresh_from_db()
        context = meeting_context(request, meeting)
        context["attendance_error"] = error
        # Roll call: the vote forms list whoever is checked in, so they follow the attendance.
        context["roll_call_oob"] = context["roll_call"] and meeting.state == State.IN_SESSION
        return render(request, "deliberation/_attendance.html", context)
    if error:
        messages.error(request, error)
    elif done:
        messages.success(request, done)
    return redirect("deliberation:meeting", pk=meeting.pk)


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.strip().isdigit()]


@require_POST
@convene_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_visible(user=request.user, pk=pk)
    staff_ids = _ids(request.POST.getlist("staff"))
    rep_ids = _ids(request.POST.getlist("representative"))
    try:
        if not staff_ids and not rep_ids:
            raise DeliberationError("nobody_chosen", "请选择要邀请的工作人员或群众代表。")
        staff = selectors.invitable_staff_by_ids(meeting=meeting, ids=staff_ids)
        if len(staff) != len(set(staff_ids)):
            raise DeliberationError("not_invitable", "所选工作人员不能受邀,请刷新页面后重新选择。")
        reps = selectors.representatives_by_ids(rep_ids)
        if len(reps) != len(set(rep_ids)):
            raise DeliberationError("unknown_representative", "所选群众代表不存在,请刷新页面后重新选择。")
        if staff:
            invitations.meeting_invite_staff(actor=current_user(request), meeting=meeting, users=staff)
        if reps:
            invitations.meeting_invite(actor=current_user(request), meeting=meeting, representatives=reps)
    except DomainError as exc:
        return _respond(request, meeting, error=exc.message)
    return _respond(request, meeting, done="已邀请,受邀人员已收到通知。")


def _invitation(request: HttpRequest, pk: int) -> Invitation:
    return selectors.invitation_in_scope(user=request.user, pk=pk)


@require_POST
@convene_required
def uninvite(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation(request, pk)
    try:
        meeting = invitations.invitation_remove(actor=current_user(request), invitation=invitation)
    except DomainError as exc:
        return _respond(request, invitation.meeting, error=exc.message)
    return _respond(request, meeting, done="已移除。")


@require_POST
@convene_required
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation(request, pk)
    error = ""
    try:
        invitations.attendance_set(
            actor=current_user(request), invitation=invitation, present=request.POST.get("present") != "0"
        )
    except DomainError as exc:
        error = exc.message
    return _respond(request, invitation.meeting, error=error)
