"""Staff pages in a real browser: live filtering and search of the queue
(htmx, URL kept), errors of actions shown inline with nothing changed, a
stale page, and the pages at phone size."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.matters.models import Matter, MatterEvent
from grassroots.matters.states import State
from grassroots.testing.browser import login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from .staff_setup import accepted, new_matter, resolved, seed_categories

# Every place of the small tree has handling staff (ADR 0021).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("served")]


@pytest.fixture
def tree(transactional_db):
    seed_categories()
    return build_small_tree()


@pytest.fixture
def staff(tree):
    return UserFactory(username="cun1", display_name="王村干", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)


def rows(page) -> list[str]:
    return page.get_by_test_id("queue-row").all_inner_texts()


def test_queue_live_search_and_filters(page, live_server, tree, staff):
    new_matter(tree.unit_a1, title="楼道堆放杂物")
    new_matter(tree.unit_a1, title="楼道灯不亮", description="2单元楼道灯坏了一个星期。")
    lamp = new_matter(tree.grid_a2, title="村口路灯不亮", description="村口的路灯坏了三天了。")
    accepted(lamp, staff)
    new_matter(tree.unit_b1, title="店子社区楼道漏水", description="楼道顶上一直在漏水。")
    login(page, live_server, "cun1", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/matters/")
    expect(page.get_by_test_id("queue-row")).to_have_count(3)
    assert not any("店子社区" in r for r in rows(page))

    page.get_by_label("搜索").fill("楼道")
    expect(page.get_by_test_id("queue-row")).to_have_count(2)
    assert all("楼道" in r for r in rows(page))
    expect(page).to_have_url(re.compile(r"q=%E6%A5%BC%E9%81%93"))
    expect(page.get_by_test_id("queue-count")).to_contain_text("共 2 件(已筛选)")

    page.get_by_label("搜索").fill("")
    page.get_by_label("状态").select_option(label="已受理")
    expect(page.get_by_test_id("queue-row")).to_have_count(1)
    expect(page.get_by_test_id("queue-row")).to_contain_text("村口路灯不亮")

    page.get_by_label("状态").select_option(label="待受理")
    page.get_by_label("村/社区、网格").select_option(label="西张村 / 第2网格")
    expect(page.get_by_test_id("empty")).to_contain_text("没有符合条件的事项")

    page.reload()  # the pushed URL gives the same list on its own
    expect(page.get_by_label("村/社区、网格")).to_have_value(str(tree.grid_a2.pk))
    expect(page.get_by_test_id("empty")).to_be_visible()


def test_action_errors_are_shown_inline_and_change_nothing(page, live_server, tree, staff):
    matter = new_matter(tree.unit_a1, actor=staff)
    collective = new_matter(tree.unit_a1, title="村集体停车场收费", touches_collective=True)
    resolved(collective, staff)
    events = MatterEvent.objects.count()
    login(page, live_server, "cun1", DEFAULT_PASSWORD)

    page.goto(f"{live_server.url}/matters/{matter.pk}/")
    reject = page.get_by_test_id("action-reject")
    reject.locator("summary").click()
    reject.get_by_test_id("submit-reject").click()
    expect(page.get_by_test_id("action-reject").get_by_test_id("field-error")).to_have_text("请填写不予受理理由。")
    expect(page.get_by_test_id("action-error")).to_have_count(0)  # the form says it, next to the button
    expect(page.get_by_test_id("action-reject")).to_have_attribute("open", "")

    merge = page.get_by_test_id("action-merge")
    merge.locator("summary").click()
    merge.get_by_label("合并到事项编号").fill("SX20000101-0001")
    merge.get_by_test_id("submit-merge").click()
    expect(page.get_by_test_id("action-merge")).to_contain_text("未找到编号为“SX20000101-0001”的事项")

    page.goto(f"{live_server.url}/matters/{collective.pk}/")
    page.get_by_test_id("action-close").get_by_test_id("submit-close").click()
    expect(page.get_by_test_id("action-close").get_by_test_id("form-error")).to_contain_text("理事方案")
    expect(page.get_by_test_id("matter-state")).to_have_text("已办结")

    assert Matter.objects.get(pk=matter.pk).state == State.REPORTED
    assert Matter.objects.get(pk=collective.pk).state == State.RESOLVED
    assert MatterEvent.objects.count() == events


def test_stale_page_is_told_to_refresh(page, live_server, tree, staff):
    matter = new_matter(tree.unit_a1, actor=staff)
    login(page, live_server, "cun1", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/matters/{matter.pk}/")
    other = UserFactory(role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)
    accepted(matter, other)  # someone else, meanwhile
    accept = page.get_by_test_id("action-accept")
    accept.get_by_label("分类", exact=True).select_option(label="邻里纠纷 / 楼上漏水(5 个工作日)")
    accept.get_by_test_id("submit-accept").click()
    expect(page.get_by_test_id("action-error")).to_have_text(re.compile("事项已被他人处理,请刷新后重试。"))
    expect(page.get_by_test_id("matter-state")).to_have_text("已受理")
    matter.refresh_from_db()
    assert matter.category is not None and matter.category.code == "littering"


def test_queue_and_detail_on_a_phone(phone_page, live_server, tree, staff):
    UserFactory(username="grid1", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    matter = new_matter(tree.unit_a1)
    accepted(matter, staff)
    login(phone_page, live_server, "grid1", DEFAULT_PASSWORD)
    phone_page.goto(f"{live_server.url}/matters/")
    row = phone_page.get_by_test_id("queue-row")
    expect(row).to_contain_text(matter.number)  # the number moves under the title on a phone
    row.get_by_role("link", name=matter.title).click()
    expect(phone_page.get_by_test_id("matter-title")).to_have_text(matter.title)
    expect(phone_page.get_by_test_id("original-text")).to_have_text("楼道堆满纸箱了,谁管管?")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"页面在手机上横向溢出:{width}px"
