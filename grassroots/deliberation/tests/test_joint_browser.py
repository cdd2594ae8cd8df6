"""The weekly joint meeting (党政联席会议) walked in a real browser, pages
only: the subdistrict opens the key-village ranking (每周重点村), confirms
the two villages, calls the joint meeting in the first, finds the
department head and the village leader invited, invites a grid worker,
removes and re-invites him, starts the meeting, checks everyone in and
settles both agenda matters with a responsible unit and person, so they
leave 议事中 with assignees."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.matters.models import Matter
from grassroots.matters.states import State as MatterState
from grassroots.matters.tests.staff_setup import accepted, handling, new_matter, seed_categories
from grassroots.testing.browser import ARTIFACTS, htmx_idle, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import Invitation, Meeting, Resolution
from ..services import meetings, weekly
from ..states import State
from .setup import publish_rules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree(transactional_db):
    seed_categories()
    return build_small_tree()


@pytest.fixture
def people(tree):
    street = UserFactory(
        username="street", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, display_name="张街道"
    )
    village = UserFactory(
        username="village", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="李村务"
    )
    grid = UserFactory(username="grid", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1, display_name="王网格")
    return street, village, grid


@pytest.fixture
def hard_matters(tree, people):
    """西张村's overdue drain (handled by 李村务) and its collective-factory
    lease on the joint-meeting list (accepted, nobody assigned yet)."""
    street, village, _grid = people
    publish_rules(street, tree.subdistrict)
    drain = handling(new_matter(tree.unit_a1, actor=street, title="排水沟堵塞污水外溢"), street, assignee=village)
    Matter.objects.filter(pk=drain.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=3))
    lease = accepted(new_matter(tree.unit_a1, actor=street, title="集体厂房出租收益分配"), street)
    Matter.objects.filter(pk=lease.pk).update(joint_meeting_requested_at=timezone.now())
    return drain, lease


def settle(form, decision: str, person) -> None:
    form.get_by_label("决议内容").fill(decision)
    form.get_by_label("赞成").fill("3")
    form.get_by_label("责任单位").select_option(index=1)
    form.get_by_label("承办人").select_option(
        label=f"{person}({person.get_role_display()} · {person.jurisdiction.label})"
    )
    form.get_by_role("button", name="记录决议").click()


def test_weekly_joint_meeting_settles_two_matters(page, live_server, tree, people, hard_matters):
    street, village, grid = people
    drain, lease = hard_matters
    login(page, live_server, "street", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/deliberation/")
    page.get_by_test_id("deliberation-nav").get_by_role("link", name="每周重点村").click()

    # The ranking proposes 西张村 first, with its reasons; the subdistrict confirms.
    proposed = page.get_by_test_id("proposed-village")
    expect(proposed).to_have_count(2)
    expect(proposed.first).to_contain_text(str(tree.village_a.label))
    expect(proposed.first).to_contain_text("逾期 1 件")
    page.get_by_test_id("confirm-weekly").click()
    expect(page.get_by_test_id("weekly-current")).to_contain_text("已确定")

    # Call the joint meeting in 西张村.
    page.get_by_label("重点村").select_option(label=str(tree.village_a.label))
    page.get_by_label("地点").fill("西张村党群服务中心")
    page.get_by_role("button", name="召集联席会议").click()
    expect(page.get_by_test_id("meeting-state")).to_have_text("已召集")
    expect(page.get_by_test_id("agenda-item")).to_have_count(2)
    for matter in (drain, lease):
        link = page.get_by_test_id("agenda-matter").get_by_role("link", name=matter.number)
        expect(link).to_have_attribute("href", f"/matters/{matter.pk}/")

    # The department head and the village leader are invited; the grid worker is offered.
    invitees = page.get_by_test_id("invitee")
    expect(invitees).to_have_count(2)
    expect(invitees.filter(has_text="张街道")).to_contain_text("街道工作人员")
    expect(invitees.filter(has_text="李村务")).to_contain_text("村/社区工作人员")
    quorum = page.get_by_test_id("quorum")
    expect(quorum).to_contain_text("应到 2 人")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "joint-meeting-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_label(re.compile("王网格")).check()
    page.get_by_test_id("invite-submit").click()
    expect(invitees).to_have_count(3)
    expect(quorum).to_contain_text("应到 3 人")
    # A wrong invitee is removed before the meeting, then invited again (no reload).
    invitees.filter(has_text="王网格").get_by_role("button", name="移除王网格").click()
    expect(invitees).to_have_count(2)
    page.get_by_label(re.compile("王网格")).check()
    page.get_by_test_id("invite-submit").click()
    expect(invitees).to_have_count(3)
    page.screenshot(path=str(ARTIFACTS / "joint-meeting-invitees.png"), full_page=True)

    # Start: everyone is checked in.
    page.get_by_test_id("open-meeting").click()
    expect(page.get_by_test_id("meeting-state")).to_have_text("会议进行中")
    expect(quorum).to_contain_text("到会 0 / 应到 3 人 · 法定人数 2 人 · 未达法定人数")
    for n, name in enumerate(["张街道", "李村务", "王网格"], start=1):
        invitees.filter(has_text=name).get_by_role("button", name="签到", exact=True).click()
        expect(quorum).to_contain_text(f"到会 {n} / 应到 3 人")
        expect(invitees.filter(has_text=name)).to_contain_text("已签到")
        htmx_idle(page)
    expect(quorum).to_contain_text("已达法定人数")

    # Two decisions, each naming the unit and the person.
    settle(page.get_by_test_id("vote-form").first, "街道城管办牵头,三日内疏通排水沟。", grid)
    expect(page.locator(".alert-success").first).to_contain_text("决议已记录:通过。")
    settle(page.get_by_test_id("vote-form").first, "厂房公开招租,收益按股分配并公示。", village)
    expect(page.get_by_test_id("vote-form")).to_have_count(0)
    resolutions = page.get_by_test_id("resolution")
    expect(resolutions).to_have_count(2)
    expect(resolutions.nth(0)).to_contain_text("承办人:王网格")
    expect(resolutions.nth(1)).to_contain_text("承办人:李村务")
    expect(page.get_by_test_id("agenda-matter").first).to_contain_text("办理中")

    meeting = Meeting.objects.get()
    assert (meeting.kind, meeting.state, meeting.expected_count) == ("joint", State.IN_SESSION, 3)
    assert Invitation.objects.filter(meeting=meeting, present=True).count() == 3
    assert Resolution.objects.filter(item__meeting=meeting, passed=True).count() == 2
    drain.refresh_from_db()
    lease.refresh_from_db()
    assert (drain.state, drain.assignee_id) == (MatterState.HANDLING, grid.pk)
    assert (lease.state, lease.assignee_id) == (MatterState.HANDLING, village.pk)
    assert street.pk == meeting.convened_by_id


def test_a_started_joint_meeting_is_adjourned_then_cancelled(page, live_server, tree, people, hard_matters):
    street, _village, _grid = people
    drain, lease = hard_matters
    selection = weekly.weekly_propose(subdistrict=tree.subdistrict)
    selection = weekly.weekly_confirm(actor=street, selection=selection, villages=[tree.village_a, tree.village_b])
    meeting = weekly.joint_meeting_convene(
        actor=street,
        selection=selection,
        village=tree.village_a,
        starts_at=timezone.now() + datetime.timedelta(hours=1),
        place="西张村党群服务中心",
    )
    meetings.meeting_open(actor=street, meeting=meeting)
    login(page, live_server, "street", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/deliberation/meetings/{meeting.pk}/")
    expect(page.get_by_test_id("meeting-state")).to_have_text("会议进行中")

    halt = page.get_by_test_id("halt-meeting")
    halt.locator("summary").click()
    halt.get_by_label("原因").fill("到会人员临时有防汛任务,改日续会。")
    halt.get_by_test_id("adjourn-meeting").click()
    expect(page.get_by_test_id("meeting-state")).to_have_text("休会中")
    expect(page.get_by_test_id("state-reason")).to_contain_text("休会原因:到会人员临时有防汛任务,改日续会。")
    expect(page.get_by_test_id("agenda-matter").first).to_contain_text("办理中")
    expect(page.get_by_test_id("agenda-matter").nth(1)).to_contain_text("已受理")
    expect(page.get_by_test_id("not-votable").first).to_contain_text("继续会议时重新列入议事")
    page.screenshot(path=str(ARTIFACTS / "joint-meeting-adjourned.png"), full_page=True)

    page.get_by_test_id("resume-meeting").click()
    expect(page.get_by_test_id("meeting-state")).to_have_text("会议进行中")
    expect(page.get_by_test_id("agenda-matter").first).to_contain_text("议事中")
    halt.locator("summary").click()
    halt.get_by_label("原因").fill("议题改由下周联席会议研究。")
    halt.get_by_test_id("cancel-meeting").click()
    expect(page.get_by_test_id("meeting-state")).to_have_text("已取消")
    expect(page.get_by_test_id("state-reason")).to_contain_text("取消原因:议题改由下周联席会议研究。")
    drain.refresh_from_db()
    lease.refresh_from_db()
    assert (drain.state, lease.state) == (MatterState.HANDLING, MatterState.ACCEPTED)
