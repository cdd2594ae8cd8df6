"""晒事 staff pages in a real browser: village staff publish a matter's plan
and later its result from the matter page, find both under 公示, open one
(links, WeChat text copied), and withdraw the other with a reason; street
staff draft the resolutions of a closed meeting, edit and publish them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.matters.services import lifecycle
from grassroots.matters.tests.staff_setup import handling, new_matter, seed_categories
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import Kind, Publication, State
from .staff_helpers import DECISION_ROAD, closed_appraisal, closed_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree(transactional_db):
    seed_categories()
    return build_small_tree()


def test_village_staff_publish_plan_and_result_then_withdraw(page, live_server, tree):
    staff = UserFactory(username="village", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="李村务")
    matter = handling(new_matter(tree.unit_a1, actor=staff, title="村集体厂房出租"), staff)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    login(page, live_server, "village", DEFAULT_PASSWORD)

    # The plan, from the matter page: "登记公示" publishes at once.
    page.goto(f"{live_server.url}/matters/{matter.pk}/")
    card = page.get_by_test_id("action-publish")
    card.locator("summary").click()
    expect(card.get_by_label("标题")).to_have_value("村集体厂房出租理事方案公示")
    card.get_by_test_id("submit-publish").click()
    expect(page.get_by_test_id("notice")).to_contain_text("公示已发布")
    row = page.get_by_test_id("publication")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("publication-state")).to_have_text("公示中")
    plan = Publication.objects.get(kind=Kind.PLAN)
    assert plan.state == State.PUBLISHED and plan.published_by == staff

    # Later the matter is resolved and its result published the same way.
    lifecycle.matter_resolve(actor=staff, matter=matter, result="厂房已公开招租,租金每年 8 万元。")
    page.goto(f"{live_server.url}/matters/{matter.pk}/")
    card = page.get_by_test_id("action-publish")
    card.locator("summary").click()
    expect(card.get_by_label("公示内容")).to_have_value("result")
    card.get_by_test_id("submit-publish").click()
    expect(page.get_by_test_id("publication")).to_have_count(2)
    page.screenshot(path=artifact("h3_matter_panel.png"), full_page=True)
    result = Publication.objects.get(kind=Kind.RESULT)

    # Both appear under 公示.
    page.get_by_role("link", name="公示", exact=True).click()
    expect(page).to_have_url(re.compile(r"/publicity/$"))
    expect(page.get_by_test_id("publication-row")).to_have_count(2)
    expect(page.get_by_test_id("row-state").first).to_have_text("公示中")
    page.screenshot(path=artifact("h3_list.png"), full_page=True)

    # Open the plan: source, period, channels, links and the WeChat text.
    page.get_by_role("link", name=re.compile("村集体厂房出租理事方案公示")).click()
    expect(page.get_by_test_id("state")).to_have_text("公示中")
    expect(page.get_by_test_id("source")).to_contain_text(matter.number)
    expect(page.get_by_test_id("channels")).to_have_text("公告栏纸质公示、微信群/公众号")
    expect(page.get_by_test_id("place")).to_have_text("西张村 第1网格 1号楼 1单元")
    expect(page.get_by_test_id("public-link")).to_have_attribute("href", f"/notices/{plan.pk}/")
    expect(page.get_by_test_id("pdf-link")).to_have_attribute("href", f"/notices/{plan.pk}/notice.pdf")
    expect(page.get_by_test_id("led-link")).to_contain_text("西张村 LED 屏")
    wechat = page.get_by_test_id("wechat-text")
    expect(wechat).to_contain_text("【理事方案公示】村集体厂房出租理事方案公示")
    expect(wechat).to_contain_text(f"/notices/{plan.pk}/")
    page.get_by_test_id("copy-wechat").click()
    expect(page.get_by_test_id("copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("【理事方案公示】") and f"/notices/{plan.pk}/" in copied
    page.screenshot(path=artifact("h3_detail_published.png"), full_page=True)

    # Withdraw the result: a reason is required.
    page.goto(f"{live_server.url}/publicity/{result.pk}/")
    page.get_by_test_id("withdraw").click()
    expect(page.get_by_test_id("field-error")).to_have_text("撤回公示须说明原因。")
    assert Publication.objects.get(pk=result.pk).state == State.PUBLISHED
    page.get_by_label("撤回原因").fill("租金金额写错,更正后重新公示")
    page.get_by_test_id("withdraw").click()
    expect(page.get_by_test_id("state")).to_have_text("已撤回")
    expect(page.get_by_test_id("withdraw-reason")).to_have_text("租金金额写错,更正后重新公示")
    # The publication's record: published, then withdrawn with the reason, by whom.
    record = page.get_by_test_id("publication-events")
    expect(record.get_by_test_id("publication-event")).to_have_count(2)
    expect(record.get_by_test_id("publication-event").first).to_contain_text("发布 · 李村务")
    expect(record.get_by_test_id("publication-event").last).to_contain_text("原因:租金金额写错,更正后重新公示")
    page.screenshot(path=artifact("h3_detail_withdrawn.png"), full_page=True)
    result.refresh_from_db()
    assert result.state == State.WITHDRAWN and result.withdrawn_by == staff

    # The matter page shows the withdrawal and links to the publication.
    page.get_by_test_id("source").get_by_role("link").click()
    withdrawn_row = page.get_by_test_id("publication").filter(has_text="理事结果")
    expect(withdrawn_row.get_by_test_id("publication-state")).to_have_text("已撤回")
    expect(withdrawn_row.get_by_test_id("publication-withdraw-reason")).to_contain_text("租金金额写错")
    withdrawn_row.get_by_test_id("publication-link").click()
    expect(page).to_have_url(re.compile(rf"/publicity/{result.pk}/$"))


def test_street_staff_publish_a_meetings_resolutions(page, live_server, tree):
    village = UserFactory(username="village", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)
    street = UserFactory(
        username="street", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, display_name="张街道"
    )
    meeting = closed_meeting(village, tree.village_a, tree.unit_a1)
    login(page, live_server, "street", DEFAULT_PASSWORD)

    page.goto(f"{live_server.url}/deliberation/meetings/{meeting.pk}/")
    expect(page.get_by_test_id("meeting-state")).to_have_text("已结束")
    page.get_by_test_id("publish-resolutions").click()
    expect(page.get_by_role("heading", name="公示议事决议")).to_be_visible()
    expect(page.get_by_label("标题")).to_have_value("十一月村民协商议事会决议公示")
    expect(page.get_by_label("正文")).to_contain_text(DECISION_ROAD)
    expect(page.get_by_label("正文")).to_contain_text("赞成 3 票,反对 0 票,弃权 0 票(到会 3 人),决议通过。")
    page.screenshot(path=artifact("h3_new_resolution.png"), full_page=True)
    page.get_by_label("标题").fill("西张村十一月协商议事会决议公示")
    page.get_by_label("LED 屏").check()
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("state")).to_have_text("草稿")
    pub = Publication.objects.get()
    assert (pub.kind, pub.meeting_id, pub.state) == (Kind.RESOLUTION, meeting.pk, State.DRAFT)
    assert pub.channels == ["portal", "led", "notice", "wechat"]

    # Edit the draft, then publish it.
    page.get_by_test_id("edit").click()
    content = page.get_by_label("正文")
    content.fill(content.input_value() + "\n\n联系人:村委会办公室。")
    page.screenshot(path=artifact("h3_edit.png"), full_page=True)
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("content")).to_contain_text("联系人:村委会办公室。")
    expect(page.get_by_test_id("source")).to_contain_text("十一月村民协商议事会")
    page.screenshot(path=artifact("h3_detail_draft.png"), full_page=True)
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("state")).to_have_text("公示中")
    expect(page.get_by_test_id("published")).to_contain_text("张街道")
    pub.refresh_from_db()
    assert pub.state == State.PUBLISHED and pub.published_by == street
    assert pub.starts_on is not None and pub.ends_on is not None and pub.ends_on > pub.starts_on

    # The meeting page now shows the publication.
    page.goto(f"{live_server.url}/deliberation/meetings/{meeting.pk}/")
    expect(page.get_by_test_id("source-publication")).to_contain_text("公示中")
    page.screenshot(path=artifact("h3_meeting.png"), full_page=True)


def test_village_staff_publish_appraisal_results(page, live_server, tree):
    staff = UserFactory(username="village", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)
    handler_a = UserFactory(username="h_a", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="王办理")
    handler_b = UserFactory(username="h_b", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="赵办理")
    session = closed_appraisal(tree, staff, [handler_a, handler_b])
    login(page, live_server, "village", DEFAULT_PASSWORD)

    page.goto(f"{live_server.url}/evaluation/{session.pk}/")
    page.screenshot(path=artifact("h3_evaluation.png"), full_page=True)
    page.get_by_test_id("publish-appraisal").click()
    content = page.get_by_label("正文")
    expect(content).to_contain_text("王**(西张村工作人员):满意度 83.3%")
    expect(content).to_contain_text("赵**(西张村工作人员):票数不足,不公布")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("state")).to_have_text("草稿")
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("state")).to_have_text("公示中")
    pub = Publication.objects.get()
    assert (pub.kind, pub.appraisal_id, pub.state) == (Kind.APPRAISAL, session.pk, State.PUBLISHED)
    page.goto(f"{live_server.url}/evaluation/{session.pk}/")
    expect(page.get_by_test_id("source-publication")).to_contain_text("公示中")
