"""议事 roll-call voting (逐人唱名表决) in a real browser: a village staff
member opens a meeting whose rules use roll-call voting, checks
representatives in, records each present representative's vote on two
agenda items and sees the resolutions with tally and outcome."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.matters.models import Matter
from grassroots.matters.states import State as MatterState
from grassroots.matters.tests.staff_setup import handling, new_matter, seed_categories
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import Choice, Meeting, Resolution, RollCallVote
from ..rules import Threshold, VoteMethod
from ..selectors import representatives_in_term
from ..services import agenda, meetings
from ..states import State
from .setup import convene, make_representatives, publish_rules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MATTER_DECISION = "由村委会牵头,物业公司三日内清理楼道杂物。"
TOPIC = "村道路灯电费分摊方案"


@pytest.fixture
def tree(transactional_db):
    seed_categories()
    return build_small_tree()


@pytest.fixture
def meeting(tree):
    staff = UserFactory(username="village", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)
    make_representatives(tree.village_a, tree.unit_a1, 6)  # 赵代表1 钱代表2 孙代表3 李代表4 周代表5 吴代表6
    publish_rules(staff, tree.village_a, vote_method=VoteMethod.ROLL_CALL, threshold=Threshold.MAJORITY_PRESENT)
    matter = handling(new_matter(tree.unit_a1, actor=staff, title="楼道堆放杂物"), staff)
    meeting = convene(
        staff, tree.village_a, title="十二月唱名表决议事会", starts_at=timezone.now() + datetime.timedelta(hours=1)
    )
    on = timezone.localtime(meeting.starts_at).date()
    meetings.meeting_invite(
        actor=staff, meeting=meeting, representatives=representatives_in_term(village=tree.village_a, on=on)
    )
    agenda.agenda_add_matter(actor=staff, meeting=meeting, matter=matter)
    agenda.agenda_add_topic(actor=staff, meeting=meeting, title=TOPIC)
    return meeting


def check_in(page, name: str) -> None:
    row = page.get_by_test_id("invitee").filter(has_text=name)
    row.get_by_role("button", name="签到", exact=True).click()
    expect(page.get_by_test_id("invitee").filter(has_text=name)).to_contain_text("已签到")


def vote(form, name: str, choice: str) -> None:
    form.get_by_label(f"{name}的表决意见").select_option(label=choice)


def test_roll_call_vote_recorded_per_representative(page, live_server, meeting, tmp_path):
    login(page, live_server, "village", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/deliberation/")
    page.get_by_role("link", name=re.compile("十二月唱名表决议事会")).click()
    expect(page.get_by_text("逐人唱名表决")).to_be_visible()
    expect(page.get_by_test_id("agenda-item")).to_have_count(2)
    page.get_by_test_id("open-meeting").click()
    expect(page.get_by_test_id("meeting-state")).to_have_text("会议进行中")

    quorum = page.get_by_test_id("quorum")
    expect(quorum).to_contain_text("到会 0 / 应到 6 人 · 法定人数 4 人 · 未达法定人数")
    present = ["赵代表1", "钱代表2", "孙代表3", "李代表4"]
    for name in present:
        check_in(page, name)
    expect(quorum).to_contain_text("到会 4 / 应到 6 人 · 法定人数 4 人 · 已达法定人数")

    # Only the representatives who checked in are called, without reloading the page.
    first = page.get_by_test_id("vote-form").first
    roll = first.get_by_test_id("roll-call")
    expect(roll).to_contain_text("唱名表决")
    for name in present:
        expect(roll).to_contain_text(name)
    expect(roll).not_to_contain_text("周代表5")
    expect(roll).not_to_contain_text("吴代表6")
    expect(first.get_by_label("赞成", exact=True)).to_have_count(0)  # no head-count inputs in roll call
    page.screenshot(path=str(tmp_path / "rollcall-checked-in.png"), full_page=True)
    page.screenshot(path=artifact("h6_rollcall_checked_in.png"), full_page=True)

    first.get_by_label("决议内容").fill(MATTER_DECISION)
    vote(first, "赵代表1", "赞成")
    vote(first, "钱代表2", "赞成")
    # A latecomer checks in while the votes are being taken: called too, choices already made are kept.
    check_in(page, "周代表5")
    expect(quorum).to_contain_text("到会 5 / 应到 6 人")
    expect(roll).to_contain_text("周代表5")
    expect(first.get_by_label("赵代表1的表决意见")).to_have_value("for")
    expect(first.get_by_label("决议内容")).to_have_value(MATTER_DECISION)
    vote(first, "周代表5", "弃权")
    vote(first, "孙代表3", "反对")
    vote(first, "李代表4", "赞成")
    first.get_by_label("责任单位").select_option(index=1)
    first.get_by_role("button", name="记录决议").click()
    expect(page.locator(".alert-success").first).to_contain_text("决议已记录:通过。")
    resolution = page.get_by_test_id("resolution").first
    expect(resolution).to_contain_text("通过 · 赞成 3 · 反对 1 · 弃权 1(到会 5 人)")
    expect(resolution).to_contain_text(MATTER_DECISION)
    expect(resolution.get_by_test_id("roll-call-votes")).to_contain_text("孙代表3:反对")
    expect(page.get_by_text("更正计票")).to_have_count(0)  # roll call is counted per person, never re-typed

    second = page.get_by_test_id("vote-form").first
    second.get_by_label("决议内容").fill("暂不分摊,下次会议再议。")
    vote(second, "赵代表1", "赞成")
    vote(second, "钱代表2", "反对")
    vote(second, "孙代表3", "反对")
    vote(second, "李代表4", "弃权")  # 周代表5 does not vote: not counted
    second.get_by_role("button", name="记录决议").click()
    expect(page.get_by_test_id("resolution").nth(1)).to_contain_text("未通过 · 赞成 1 · 反对 2 · 弃权 1(到会 5 人)")
    expect(page.get_by_test_id("vote-form")).to_have_count(0)
    page.screenshot(path=artifact("h6_rollcall_resolutions.png"), full_page=True)

    # A representative who voted cannot be un-checked afterwards.
    row = page.get_by_test_id("invitee").filter(has_text="孙代表3")
    row.get_by_role("button", name="撤销签到").click()
    expect(page.get_by_test_id("attendance")).to_contain_text("孙代表3已参加唱名表决,不能取消签到。")
    expect(quorum).to_contain_text("到会 5 / 应到 6 人")

    meeting_db = Meeting.objects.get(pk=meeting.pk)
    assert meeting_db.state == State.IN_SESSION
    passed, failed = Resolution.objects.filter(item__meeting=meeting_db).order_by("item__position")
    assert (passed.votes_for, passed.votes_against, passed.votes_abstain, passed.present, passed.passed) == (
        3,
        1,
        1,
        5,
        True,
    )
    assert (failed.votes_for, failed.votes_against, failed.votes_abstain, failed.passed) == (1, 2, 1, False)
    ballots = {
        (v.invitation.name, v.choice)
        for v in RollCallVote.objects.filter(resolution=passed).select_related("invitation__representative__resident")
    }
    assert ballots == {
        ("赵代表1", Choice.FOR),
        ("钱代表2", Choice.FOR),
        ("孙代表3", Choice.AGAINST),
        ("李代表4", Choice.FOR),
        ("周代表5", Choice.ABSTAIN),
    }
    assert RollCallVote.objects.filter(resolution=failed).count() == 4  # 周代表5 did not vote
    assert not RollCallVote.objects.filter(invitation__representative__resident__name="吴代表6").exists()
    assert passed.item.matter_id is not None
    matter = Matter.objects.get(pk=passed.item.matter_id)
    assert matter.state == MatterState.HANDLING
    assert matter.handling_plan == MATTER_DECISION
