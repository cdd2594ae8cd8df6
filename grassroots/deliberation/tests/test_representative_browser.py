"""A representative's personal page (the link in the invitation SMS) and the
public decisions page, in a real phone-sized browser: the representative
sees the invitation and agenda, proposes a topic, and after the meeting
reads the decision, which residents also find on the public page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.core.models import Notification
from grassroots.testing.browser import artifact
from grassroots.testing.factories import UserFactory, build_small_tree

from ..models import TopicProposal
from ..selectors import representatives_in_term
from ..services import agenda, meetings, resolutions
from .setup import convene, make_representatives, publish_rules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOPIC = "村卫生室搬迁选址"
DECISION = "卫生室迁至村委会东侧闲置用房,年底前完成。"


@pytest.fixture
def tree(transactional_db):
    return build_small_tree()


def test_representative_follows_the_meeting_by_personal_link(phone_page, page, live_server, tree):
    staff = UserFactory(username="village", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)
    reps = make_representatives(tree.village_a, tree.unit_a1, 3)  # 赵代表1 钱代表2 孙代表3
    publish_rules(staff, tree.village_a)
    meeting = convene(
        staff, tree.village_a, title="一月协商议事会", starts_at=timezone.now() + datetime.timedelta(hours=2)
    )
    on = timezone.localtime(meeting.starts_at).date()
    meetings.meeting_invite(
        actor=staff, meeting=meeting, representatives=representatives_in_term(village=tree.village_a, on=on)
    )
    item = agenda.agenda_add_topic(actor=staff, meeting=meeting, title=TOPIC)
    sms = Notification.objects.get(
        channel="sms", dedupe_key__startswith="deliberation-invite-", body__contains="赵代表1"
    )
    link = "/" + sms.link.split("/", 3)[-1] if sms.link.startswith("http") else sms.link

    rep = phone_page
    rep.goto(f"{live_server.url}{link}")
    expect(rep.get_by_role("heading", name="赵代表1代表,您好")).to_be_visible()
    card = rep.get_by_test_id("rep-invitation")
    expect(card).to_contain_text("一月协商议事会")
    expect(card).to_contain_text("已召集")
    expect(card).to_contain_text(TOPIC)
    expect(card).not_to_contain_text("决议")

    rep.get_by_label("议题", exact=True).fill("村内路灯增设")
    rep.get_by_role("button", name="提交").click()
    expect(rep.locator(".invalid-feedback")).to_contain_text("请填写具体内容。")
    assert not TopicProposal.objects.exists()
    rep.get_by_label("具体内容").fill("西头到小学一段没有路灯,学生晚自习回家不安全。")
    rep.get_by_role("button", name="提交").click()
    expect(rep.locator(".alert-success")).to_contain_text("议题建议已提交。")
    proposal = TopicProposal.objects.get()
    assert proposal.representative_id == reps[0].pk and proposal.proposer_name == "赵代表1"
    assert proposal.village_id == tree.village_a.pk
    assert rep.evaluate("document.documentElement.scrollWidth") <= 390
    rep.screenshot(path=artifact("h6_rep_home_phone.png"), full_page=True)

    # The meeting takes place (through the services) and closes.
    meetings.meeting_open(actor=staff, meeting=meeting)
    for invitation in meeting.invitations.all():
        meetings.attendance_set(actor=staff, invitation=invitation, present=True)
    resolutions.resolution_record(
        actor=staff, item=item, data=resolutions.VoteInput(decision=DECISION, votes_for=2, votes_against=1)
    )
    meetings.meeting_close(actor=staff, meeting=meeting, minutes="应到 3 人,实到 3 人。")

    rep.reload()
    card = rep.get_by_test_id("rep-invitation")
    expect(card).to_contain_text("已结束")
    expect(card).to_contain_text("您已签到")
    expect(card).to_contain_text(f"决议(通过,赞成 2、反对 1、弃权 0):{DECISION}")

    # Residents read the decision on the public page; no personal data there.
    page.goto(f"{live_server.url}/deliberation/public/rules/")
    page.get_by_role("link", name="查看议事决议").click()
    row = page.locator(".list-group-item").filter(has_text=TOPIC)
    expect(row).to_contain_text("通过")
    expect(row).to_contain_text("西张村 · 协商议事会")
    expect(row).to_contain_text("赞成 2 / 反对 1 / 弃权 0")
    expect(row).to_contain_text(DECISION)
    body = page.locator("body").inner_text()
    assert "赵代表1" not in body and reps[0].resident.phone not in body
    page.screenshot(path=artifact("h6_public_decisions.png"), full_page=True)

    # A wrong token is a 404, not someone else's page.
    response = rep.goto(f"{live_server.url}/deliberation/public/r/not-a-real-token/")
    assert response is not None and response.status == 404
