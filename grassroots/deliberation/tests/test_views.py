"""Pages: staff pages per role and subtree, htmx check-in, public pages
(rules, decisions, proposals with rate limit), the iCalendar feed (parsed
against RFC 5545 rules) and the representatives' personal page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from grassroots.core.models import Notification
from grassroots.matters.tests.staff_setup import handling, new_matter

from ..models import Invitation, Meeting, TopicProposal
from ..services import agenda, meetings, resolutions
from ..services.resolutions import VoteInput
from .setup import convene, make_representatives, publish_rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def reps(tree):
    return make_representatives(tree.village_a, tree.unit_a1, 3)


@pytest.fixture
def meeting(tree, staff_a, reps):
    publish_rules(staff_a, tree.village_a)
    m = convene(staff_a, tree.village_a)
    meetings.meeting_invite(actor=staff_a, meeting=m, representatives=reps)
    return m


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def test_staff_pages_render(tree, staff_a, meeting, django_assert_max_num_queries):
    c = client_for(staff_a)
    for name in ("", "new/", "rules/", "proposals/", "weekly/"):
        assert c.get(f"/deliberation/{name}").status_code == 200, name
    with django_assert_max_num_queries(20):
        r = c.get(f"/deliberation/meetings/{meeting.pk}/")
    assert r.status_code == 200 and "签到与法定人数" in r.content.decode()
    with django_assert_max_num_queries(12):
        assert c.get("/deliberation/").status_code == 200


def test_wrong_role_403_other_subtree_404(tree, meeting, grid_worker, staff_b):
    assert client_for(grid_worker).get("/deliberation/").status_code == 403
    c = client_for(staff_b)
    assert c.get(f"/deliberation/meetings/{meeting.pk}/").status_code == 404
    assert c.post(f"/deliberation/meetings/{meeting.pk}/act/open/").status_code == 404
    assert Meeting.objects.get(pk=meeting.pk).state == "scheduled"


def test_htmx_check_in_updates_quorum(tree, staff_a, meeting):
    c = client_for(staff_a)
    c.post(f"/deliberation/meetings/{meeting.pk}/act/open/")
    inv = meeting.invitations.first()
    r = c.post(f"/deliberation/invitations/{inv.pk}/check-in/", {"present": "1"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert "到会 1 / 应到 3 人" in r.content.decode() and "<html" not in r.content.decode()
    assert Invitation.objects.get(pk=inv.pk).present


def test_convene_page_bad_input_changes_nothing(tree, staff_a, reps):
    publish_rules(staff_a, tree.village_a)
    r = client_for(staff_a).post(
        "/deliberation/new/", {"node": tree.village_a.pk, "kind": "consultation", "title": "", "place": "x"}
    )
    assert r.status_code == 200 and "请填写会议名称" in r.content.decode()
    assert not Meeting.objects.exists()


def test_minutes_pdf_only_after_close(tree, staff_a, meeting):
    c = client_for(staff_a)
    assert c.get(f"/deliberation/meetings/{meeting.pk}/minutes.pdf").status_code == 302
    meeting = meetings.meeting_open(actor=staff_a, meeting=meeting)
    for inv in meeting.invitations.all():
        meetings.attendance_set(actor=staff_a, invitation=inv, present=True)
    item = agenda.agenda_add_topic(actor=staff_a, meeting=meeting, title="修缮村口道路")
    resolutions.resolution_record(actor=staff_a, item=item, data=VoteInput(decision="同意修缮", votes_for=3))
    meetings.meeting_close(actor=staff_a, meeting=meeting, minutes="会议议定修缮道路。")
    r = c.get(f"/deliberation/meetings/{meeting.pk}/minutes.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_public_pages_anonymous(tree, staff_a, meeting):
    c = Client()
    r = c.get("/deliberation/public/rules/")
    assert r.status_code == 200 and "西张村村民协商议事规则" in r.content.decode()
    assert c.get("/deliberation/public/decisions/").status_code == 200
    assert c.get("/deliberation/public/propose/").status_code == 200


def test_public_proposal_rate_limited(tree, staff_a):
    publish_rules(staff_a, tree.village_a)
    c = Client()
    body = {"village": tree.village_a.pk, "title": "路灯", "description": "村东路灯不亮", "proposer_name": "王五"}
    for _ in range(5):
        assert c.post("/deliberation/public/propose/", body).status_code == 302
    assert c.post("/deliberation/public/propose/", body).status_code == 429
    assert TopicProposal.objects.count() == 5


def _unfold(text: str) -> list[str]:
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    return text.replace("\r\n ", "").split("\r\n")


def test_ical_feed_is_valid_rfc5545(tree, staff_a, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(title="关于村东头路灯,排水沟;以及广场舞噪音等问题的协商议事会" * 2)
    r = Client().get(f"/deliberation/public/villages/{tree.village_a.pk}/calendar.ics")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    raw = r.content.decode()
    assert raw.endswith("\r\n")
    for physical in raw.split("\r\n"):
        assert len(physical.encode()) <= 75
    lines = [line for line in _unfold(raw) if line]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    events = [i for i, line in enumerate(lines) if line == "BEGIN:VEVENT"]
    assert len(events) == 1
    props = dict(line.split(":", 1) for line in lines[events[0] + 1 : lines.index("END:VEVENT")])
    assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION"} <= set(props)
    assert re.fullmatch(r"\d{8}T\d{6}Z", props["DTSTART"])
    start = datetime.datetime.strptime(props["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.UTC)
    assert start == meeting.starts_at.replace(microsecond=0).astimezone(datetime.UTC)
    assert "\\;" in props["SUMMARY"] and "\\," in props["SUMMARY"]
    assert Client().get("/deliberation/public/villages/999999/calendar.ics").status_code == 404


def test_representative_page_by_token(tree, staff_a, meeting):
    sms = Notification.objects.filter(channel="sms").order_by("pk").first()
    assert sms is not None
    path = "/" + sms.link.split("/", 3)[-1] if sms.link.startswith("http") else sms.link
    r = Client().get(path)
    assert r.status_code == 200
    body = r.content.decode()
    assert meeting.title in body and "提出议题建议" in body
    assert r["Referrer-Policy"] == "same-origin"  # the token never goes to another site
    assert Client().get("/deliberation/public/r/not-a-token/").status_code == 404
    r = Client().post(
        path, {"title": "修路", "description": "村口路面破损", "village": tree.village_a.pk, "proposer_name": "x"}
    )
    assert r.status_code == 302
    assert TopicProposal.objects.get().representative is not None


def test_agenda_add_matter_page(tree, staff_a, meeting):
    matter = handling(new_matter(tree.unit_a1, actor=staff_a), staff_a)
    c = client_for(staff_a)
    assert c.post(f"/deliberation/meetings/{meeting.pk}/agenda/", {"matter": matter.pk}).status_code == 302
    assert meeting.agenda.get().matter == matter
    assert timezone.now()


@pytest.mark.parametrize("starts_at", ["1900-01-01T09:00", "2020-05-01T09:00"])
def test_convene_page_refuses_a_past_day_like_the_api(tree, staff_a, reps, starts_at):
    publish_rules(staff_a, tree.village_a)
    body = {"node": tree.village_a.pk, "kind": "consultation", "title": "议事会", "place": "会议室"}
    r = client_for(staff_a).post("/deliberation/new/", {**body, "starts_at": starts_at})
    assert r.status_code == 200 and "会议时间不能早于今天。" in r.content.decode()
    assert not Meeting.objects.exists()


def test_convene_page_refuses_a_bidi_override_in_the_title(tree, staff_a, reps):
    publish_rules(staff_a, tree.village_a)
    starts_at = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    body = {"node": tree.village_a.pk, "kind": "consultation", "place": "会议室", "starts_at": starts_at}
    r = client_for(staff_a).post("/deliberation/new/", {**body, "title": "议事会\u202e"})
    assert r.status_code == 200 and "改变文字方向" in r.content.decode()
    assert not Meeting.objects.exists()


def test_meeting_page_shows_its_record(tree, staff_a, meeting, django_assert_max_num_queries):
    """Each state change the workflow engine records (MeetingEvent) is listed
    on the meeting page: what, who, when, and the reason of an adjournment."""
    c = client_for(staff_a)
    assert "会议记录" not in c.get(f"/deliberation/meetings/{meeting.pk}/").content.decode()
    meetings.meeting_open(actor=staff_a, meeting=meeting)
    meetings.meeting_adjourn(actor=staff_a, meeting=meeting, reason="到会人数不足")
    with django_assert_max_num_queries(20):
        page = c.get(f"/deliberation/meetings/{meeting.pk}/").content.decode()
    record = page[page.index('data-testid="meeting-events"') :]
    assert record.index("开始会议") < record.index("休会") and "原因:到会人数不足" in record
    assert str(staff_a.display_name) in record
