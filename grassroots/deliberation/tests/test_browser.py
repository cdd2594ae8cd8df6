"""议事 in a real browser: a consultation meeting from convening to the
minutes PDF, with two matters, quorum, a passed and a failed resolution;
and the weekly key-village proposal with its reasons."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.matters.models import Matter
from grassroots.matters.states import State as MatterState
from grassroots.matters.tests.staff_setup import accepted, handling, new_matter, seed_categories
from grassroots.testing.browser import login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import Meeting
from ..states import State
from .setup import make_representatives, publish_rules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree(transactional_db):
    seed_categories()
    return build_small_tree()


def test_consultation_meeting_end_to_end(page, live_server, tree, tmp_path):
    staff = UserFactory(username="village", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)
    make_representatives(tree.village_a, tree.unit_a1, 9)
    publish_rules(staff, tree.village_a)
    passed = handling(new_matter(tree.unit_a1, actor=staff, title="楼道堆放杂物"), staff)
    failed = accepted(new_matter(tree.unit_a1, actor=staff, title="广场舞噪音扰民"), staff)

    login(page, live_server, "village", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/deliberation/")
    page.get_by_test_id("convene-link").click()
    page.get_by_label("村(社区)").select_option(label=str(tree.village_a.label))
    page.get_by_label("会议类型").select_option("consultation")
    page.get_by_label("会议名称").fill("十二月村民协商议事会")
    start = (timezone.localtime() + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("开始时间").fill(start)
    page.get_by_label("地点").fill("西张村党群服务中心")
    page.get_by_role("button", name="召集会议").click()
    expect(page.get_by_test_id("meeting-state")).to_have_text("已召集")

    for matter in (passed, failed):
        page.get_by_test_id("add-matter").select_option(str(matter.pk))
        page.get_by_test_id("add-matter-submit").click()
    expect(page.get_by_test_id("agenda-item")).to_have_count(2)
    assert Matter.objects.get(pk=passed.pk).state == MatterState.DELIBERATING

    page.get_by_test_id("open-meeting").click()
    quorum = page.get_by_test_id("quorum")
    expect(quorum).to_contain_text("未达法定人数")
    for n in range(6):
        page.get_by_role("button", name="签到", exact=True).first.click()
        expect(quorum).to_contain_text(f"到会 {n + 1} / 应到 9 人")
    expect(quorum).to_contain_text("已达法定人数")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "meeting-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    first = page.get_by_test_id("vote-form").first
    first.get_by_label("决议内容").fill("由物业公司三日内清理楼道杂物,村委会督促。")
    first.get_by_label("赞成").fill("5")
    first.get_by_label("反对").fill("1")
    first.get_by_label("责任单位").select_option(index=1)
    first.get_by_role("button", name="记录决议").click()
    expect(page.get_by_test_id("resolution").first).to_contain_text("通过")

    second = page.get_by_test_id("vote-form").first
    second.get_by_label("决议内容").fill("暂不限制广场舞时间,下次会议再议。")
    second.get_by_label("赞成").fill("2")
    second.get_by_label("反对").fill("4")
    second.get_by_role("button", name="记录决议").click()
    expect(page.get_by_test_id("resolution").nth(1)).to_contain_text("未通过")

    page.get_by_label("会议纪要").fill("会议应到 9 人,实到 6 人,议定一项、一项未通过。")
    page.get_by_test_id("close-meeting").click()
    expect(page.get_by_test_id("meeting-state")).to_have_text("已结束")
    page.screenshot(path=str(tmp_path / "meeting-closed.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_test_id("minutes-pdf").click()
    target = tmp_path / "minutes.pdf"
    info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")

    meeting = Meeting.objects.get()
    assert meeting.state == State.CLOSED
    fresh = Matter.objects.get(pk=passed.pk)
    assert fresh.state == MatterState.HANDLING
    assert fresh.handling_plan == "由物业公司三日内清理楼道杂物,村委会督促。"
    assert fresh.due_date == timezone.localdate() + datetime.timedelta(days=14)
    assert Matter.objects.get(pk=failed.pk).state == MatterState.DELIBERATING


def test_weekly_selection_proposes_two_villages_with_reasons(page, live_server, tree):
    staff = UserFactory(username="street", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict)
    handling(new_matter(tree.unit_b1, actor=staff, title="路灯不亮"), staff)
    login(page, live_server, "street", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/deliberation/weekly/")
    proposed = page.get_by_test_id("proposed-village")
    expect(proposed).to_have_count(2)
    expect(proposed.first).to_contain_text(str(tree.village_b.label))
    expect(proposed.first).to_contain_text("在办事项 1 件")
    expect(proposed.first).to_contain_text("从未选为重点村")
    page.get_by_test_id("confirm-weekly").click()
    expect(page.get_by_test_id("weekly-current")).to_contain_text("已确定")
