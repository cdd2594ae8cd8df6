"""Who is invited and who came: representatives (SMS with a personal link),
staff invitees of a joint meeting (department heads and the key village's
leaders, told in-app), removing an invitee before the meeting, and check-in
while it is in session. A joint meeting's expected head count is its
invitees, fixed when it opens, so its invitees change only before that."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.core.audit import audit_record
from grassroots.core.notifications.services import notify_sms, notify_user, sms_kind
from grassroots.regions.models import Representative

from .. import permissions, selectors, states
from ..errors import DeliberationError, TransitionNotAllowed
from ..models import Invitation, Kind, Meeting
from ..states import State

# ${name}代表:定于${time}在${place}召开${meeting}“${title}”,请准时参加。议程与决议见:${link}
SMS_INVITATION = sms_kind(
    "deliberation.invitation", "议事会议通知(代表)", ("name", "time", "place", "meeting", "title", "link")
)

AUDIT_INVITE = "deliberation.invite"
AUDIT_UNINVITE = "deliberation.uninvite"


def personal_link(token: str) -> str:
    return reverse("deliberation:rep-home", args=[token])


def invitations_editable(meeting: Meeting) -> bool:
    """Whether invitees may be added now. A joint meeting's expected count is
    its invitees, fixed when it opens, so only before that; a village
    meeting expects every representative in term, invited or not."""
    editable = {State.SCHEDULED} if meeting.kind == Kind.JOINT else states.EDITABLE_STATES
    return meeting.state in editable


def _check_invitees_editable(meeting: Meeting, what: str) -> None:
    if not invitations_editable(meeting):
        raise TransitionNotAllowed(what, State(meeting.state).label)


def meeting_invite(*, actor: Actor, meeting: Meeting, representatives: Iterable[Representative]) -> list[Invitation]:
    """Invite representatives of the host village; each gets an SMS with a
    personal link (token of 128 bits; only its hash is stored). Idempotent."""
    permissions.require_scope(actor, meeting.path)
    permissions.require_convene(actor)
    _check_invitees_editable(meeting, "邀请代表")
    created: list[Invitation] = []
    on = timezone.localtime(meeting.starts_at).date()
    allowed = set(selectors.representatives_in_term(village=meeting.host_village, on=on).values_list("pk", flat=True))
    already = set(meeting.invitations.filter(representative__isnull=False).values_list("representative_id", flat=True))
    with transaction.atomic():
        for rep in representatives:
            if rep.pk not in allowed:
                raise DeliberationError(
                    "not_representative", f"{rep.resident.name}不是{meeting.host_village.label}的在任群众代表。"
                )
            if rep.pk in already:
                continue
            token = secrets.token_urlsafe(16)
            invitation = Invitation.objects.create(
                meeting=meeting, representative=rep, token_hash=selectors.token_digest(token)
            )
            already.add(rep.pk)
            created.append(invitation)
            when = timezone.localtime(meeting.starts_at)
            phone = rep.resident.phone
            if phone:
                notify_sms(
                    phone,
                    f"{rep.resident.name}代表:定于{when:%m月%d日 %H:%M}在{meeting.place}召开"
                    f"{meeting.get_kind_display()}“{meeting.title}”,请准时参加。议程与决议见:",
                    kind=SMS_INVITATION,
                    params={
                        "name": rep.resident.name,
                        "time": f"{when:%m月%d日 %H:%M}",
                        "place": meeting.place or "待定地点",
                        "meeting": meeting.get_kind_display(),
                        "title": meeting.title,
                    },
                    subject="议事会议通知",
                    link=personal_link(token),
                    dedupe_key=f"deliberation-invite-{invitation.pk}",
                )
        _audit_invited(
            actor=actor, meeting=meeting, invitee="representatives", ids=[i.representative_id for i in created]
        )
    return created


def _audit_invited(*, actor: Actor, meeting: Meeting, invitee: str, ids: list[Any]) -> None:
    """One audit row for the invitations a call created (none when it created none)."""
    if ids:
        audit_record(action=AUDIT_INVITE, actor=actor, obj=meeting, detail={invitee: ids})


def meeting_invite_staff(*, actor: Actor, meeting: Meeting, users: Iterable[Any]) -> list[Invitation]:
    """Invite staff to a joint meeting: anyone who works on matters at the
    subdistrict or in the host village. Each is told in-app once. Idempotent;
    one invitee who may not attend refuses the whole call."""
    permissions.require_scope(actor, meeting.path)
    permissions.require_convene(actor)
    if meeting.kind != Kind.JOINT:
        raise DeliberationError(
            "staff_not_invited", "协商议事会、民情恳谈日只邀请群众代表;工作人员列席无需邀请。", field="staff"
        )
    _check_invitees_editable(meeting, "调整参会人员")
    users = list(dict.fromkeys(users))
    invitable = {u.pk for u in selectors.invitable_staff(meeting=meeting)}
    for user in users:
        if user.pk not in invitable:
            raise DeliberationError(
                "not_invitable",
                f"{user}不能受邀:参会工作人员须为在岗、办理事项的街道或{meeting.host_village.label}工作人员。",
                field="staff",
            )
    already = set(meeting.invitations.filter(staff__isnull=False).values_list("staff_id", flat=True))
    created: list[Invitation] = []
    when = timezone.localtime(meeting.starts_at)
    link = reverse("deliberation:meeting", args=[meeting.pk])
    with transaction.atomic():
        for user in users:
            if user.pk in already:
                continue
            invitation = Invitation.objects.create(meeting=meeting, staff=user)
            already.add(user.pk)
            created.append(invitation)
            notify_user(
                user,
                f"{meeting.get_kind_display()}通知",
                f"定于{when:%m月%d日 %H:%M}在{meeting.place}召开“{meeting.title}”,请准时参加。",
                link,
                dedupe_key=f"deliberation-invite-{invitation.pk}",
            )
        _audit_invited(actor=actor, meeting=meeting, invitee="staff", ids=[i.staff_id for i in created])
    return created


def joint_invite_defaults(*, actor: Actor, meeting: Meeting) -> list[Invitation]:
    """Invite the joint meeting's standing members: the subdistrict's staff
    (department heads) and the host village's staff (village leaders)."""
    return meeting_invite_staff(actor=actor, meeting=meeting, users=selectors.joint_default_staff(meeting=meeting))


def invitation_remove(*, actor: Actor, invitation: Invitation) -> Meeting:
    """Withdraw an invitation before the meeting starts (audited)."""
    meeting = invitation.meeting
    permissions.require_scope(actor, meeting.path)
    permissions.require_convene(actor)
    if meeting.state != State.SCHEDULED:
        raise TransitionNotAllowed("移除参会人员", State(meeting.state).label)
    with transaction.atomic():
        name, pk = invitation.name, invitation.pk
        deleted, _ = Invitation.objects.filter(pk=pk, meeting__state=State.SCHEDULED).delete()
        if not deleted:
            raise TransitionNotAllowed("移除参会人员", "已开始或已被移除")
        audit_record(action=AUDIT_UNINVITE, actor=actor, obj=meeting, detail={"invitation": pk, "name": name})
    return meeting


def attendance_set(*, actor: Actor, invitation: Invitation, present: bool) -> Invitation:
    """Check an invitee in (or undo a mistaken check-in) while the meeting is
    in session."""
    meeting = invitation.meeting
    permissions.require_scope(actor, meeting.path)
    permissions.require_convene(actor)
    if meeting.state != State.IN_SESSION:
        raise TransitionNotAllowed("签到", State(meeting.state).label)
    if present and invitation.present:
        return invitation
    if not present and invitation.votes.exists():
        raise DeliberationError("already_voted", f"{invitation.name}已参加唱名表决,不能取消签到。")
    Invitation.objects.filter(pk=invitation.pk).update(
        present=present,
        checked_in_at=timezone.now() if present else None,
        checked_in_by=actor if present else None,
    )
    invitation.refresh_from_db()
    return invitation
