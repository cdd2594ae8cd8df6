"""The joint meeting's page: staff invitees managed with htmx, attendance,
adjourn / resume / cancel with a reason, agenda matters named by their
number and linked, and resolutions naming the responsible person."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.matters.models import Matter
from grassroots.matters.tests.staff_setup import accepted, handling, new_matter
from grassroots.testing.factories import UserFactory

from ..models import Invitation, Meeting, Resolution
from ..services import invitations, meetings, weekly
from .setup import publish_rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def joint(tree, street, staff_a) -> Meeting:
    publish_rules(street, tree.subdistrict)
    drain = handling(new_matter(tree.unit_a1, actor=street, title="排水沟堵塞"), street, assignee=staff_a)
    Matter.objects.filter(pk=drain.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=2))
    listed = accepted(new_matter(tree.unit_a1, actor=street, title="集体厂房出租"), street)
    Matter.objects.filter(pk=listed.pk).update(joint_meeting_requested_at=timezone.now())
    selection = weekly.weekly_propose(subdistrict=tree.subdistrict)
    selection = weekly.weekly_confirm(actor=street, selection=selection, villages=[tree.village_a, tree.village_b])
    return weekly.joint_meeting_convene(
        actor=street,
        selection=selection,
        village=tree.village_a,
        starts_at=timezone.now() + datetime.timedelta(hours=2),
        place="西张村委会",
    )


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def url(meeting: Meeting, tail: str = "") -> str:
    return f"/deliberation/meetings/{meeting.pk}/{tail}"


def test_page_lists_staff_invitees_and_names_matters_by_number(
    tree, street, staff_a, joint, django_assert_max_num_queries
):
    UserFactory(role=Role.GRID_WORKER, jurisdiction=tree.grid_a1, display_name="王网格")  # not yet invited
    c = client_for(street)
    with django_assert_max_num_queries(20):
        r = c.get(url(joint))
    body = r.content.decode()
    assert r.status_code == 200
    assert str(street) in body and "街道工作人员" in body and "村/社区工作人员" in body
    assert "到会 0 / 应到 2 人" in body
    assert 'data-testid="invite-form"' in body and "王网格" in body
    for matter in Matter.objects.filter(title__in=["排水沟堵塞", "集体厂房出租"]):
        assert f'<a href="/matters/{matter.pk}/">{matter.number}</a>' in body
        assert matter.tracking_code not in body


def test_htmx_invite_and_remove(tree, street, staff_b, joint):
    c = client_for(street)
    grid: Any = UserFactory(role=Role.GRID_WORKER, jurisdiction=tree.grid_a1, display_name="王网格")
    r = c.post(url(joint, "invite/"), {"staff": [str(grid.pk)]}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 200 and "<html" not in body and "王网格" in body
    added = Invitation.objects.get(meeting=joint, staff=grid)
    # Staff of another village, a made-up id, or nothing chosen: a message, nothing changed.
    for data in ({"staff": [str(staff_b.pk)]}, {"staff": ["abc"], "representative": ["x"]}, {}):
        r = c.post(url(joint, "invite/"), data, HTTP_HX_REQUEST="true")
        assert r.status_code == 200 and 'data-testid="attendance-error"' in r.content.decode()
    assert joint.invitations.count() == 3
    r = c.post(f"/deliberation/invitations/{added.pk}/remove/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "王网格" not in r.content.decode().split("邀请工作人员")[0]
    assert not Invitation.objects.filter(pk=added.pk).exists()
    # Without htmx the page redirects back with a message.
    r = c.post(url(joint, "invite/"), {"staff": [str(grid.pk)]})
    assert r.status_code == 302 and r["Location"] == url(joint)


def test_open_with_nobody_invited_is_refused_with_a_message(tree, street, joint):
    for inv in list(joint.invitations.all()):
        invitations.invitation_remove(actor=street, invitation=inv)
    c = client_for(street)
    r = c.post(url(joint, "act/open/"), follow=True)
    assert "请先邀请参会人员" in r.content.decode()
    assert Meeting.objects.get(pk=joint.pk).state == "scheduled"


def test_adjourn_resume_and_cancel_from_the_page(street, joint):
    c = client_for(street)
    c.post(url(joint, "act/open/"))
    r = c.post(url(joint, "act/adjourn/"), {"reason": ""}, follow=True)
    assert "请填写休会的原因" in r.content.decode()
    assert Meeting.objects.get(pk=joint.pk).state == "in_session"
    r = c.post(url(joint, "act/adjourn/"), {"reason": "到会人数不足,改日续会"}, follow=True)
    body = r.content.decode()
    assert "休会原因:到会人数不足,改日续会" in body and 'data-testid="resume-meeting"' in body
    assert set(Matter.objects.values_list("state", flat=True)) == {"handling", "accepted"}
    c.post(url(joint, "act/resume/"))
    assert Meeting.objects.get(pk=joint.pk).state == "in_session"
    r = c.post(url(joint, "act/cancel/"), {"reason": "防汛任务"}, follow=True)
    assert "取消原因:防汛任务" in r.content.decode()
    assert set(Matter.objects.values_list("state", flat=True)) == {"handling", "accepted"}


def test_resolution_from_the_page_names_the_person(tree, street, staff_a, staff_b, joint):
    meeting = meetings.meeting_open(actor=street, meeting=joint)
    for inv in meeting.invitations.all():
        invitations.attendance_set(actor=street, invitation=inv, present=True)
    item = meeting.agenda.select_related("matter").get(matter__title="集体厂房出租")
    matter = item.matter
    assert matter is not None
    c = client_for(street)
    body = c.get(url(meeting)).content.decode()
    assert f'id="id_item{item.pk}_assignee"' in body
    data = {
        "decision": "村集体公开招租。",
        "votes_for": "2",
        "responsible_unit": str(matter.responsible_unit_id),
        "due_date": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "vote_x": "for",  # a stray field must not break anything
    }
    r = c.post(f"/deliberation/items/{item.pk}/resolution/", {**data, "assignee": str(staff_b.pk)}, follow=True)
    assert "请选择有效的承办人" in r.content.decode()
    assert not Resolution.objects.exists()
    r = c.post(f"/deliberation/items/{item.pk}/resolution/", {**data, "assignee": str(staff_a.pk)}, follow=True)
    assert "决议已记录:通过" in r.content.decode()
    fresh = Matter.objects.get(pk=matter.pk)
    assert (fresh.state, fresh.assignee_id) == ("handling", staff_a.pk)
    assert f"承办人:{staff_a}" in r.content.decode()


def test_attendance_pages_authorisation(tree, street, staff_b, grid_worker, joint):
    inv = joint.invitations.all()[0]
    posts = [
        (url(joint, "invite/"), {"staff": [str(street.pk)]}),
        (f"/deliberation/invitations/{inv.pk}/remove/", {}),
        (f"/deliberation/invitations/{inv.pk}/check-in/", {"present": "1"}),
        (url(joint, "act/adjourn/"), {"reason": "x"}),
        (url(joint, "act/cancel/"), {"reason": "x"}),
    ]
    for path, data in posts:
        r = Client().post(path, data)
        assert r.status_code == 302 and "/login" in r["Location"], path  # anonymous
        assert client_for(grid_worker).post(path, data).status_code == 403, path
        assert client_for(staff_b).post(path, data).status_code == 404, path  # the subdistrict's meeting
    assert Meeting.objects.get(pk=joint.pk).state == "scheduled"
    assert joint.invitations.count() == 2
