"""The hazard lead in a real browser (ADR 0039): at phone width a grid
worker opens a resident's 安全隐患 matter, turns it into a hazard lead at a
new premises (a missing name is told next to the field and nothing typed is
lost), issues the rectification notice, and the matter page then shows the
hazard's progress; the resident's tracking page shows it coarsely."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import Hazard
from ..states import HazardState
from .support_links import resident_matter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def matter(transactional_db):
    tree = build_small_tree()
    UserFactory(username="wangge", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1, display_name="王网格")
    UserFactory(username="cunwu", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="李村务")
    UserFactory(username="cunwu_b", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_b, display_name="赵村务")
    return resident_matter(tree.grid_a1, location="村东仓库门口")


def test_grid_worker_turns_a_matter_into_a_hazard_lead(phone_page, live_server, matter):
    page = phone_page
    login(page, live_server, "wangge", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/matters/{matter.pk}/")
    expect(page.get_by_test_id("matter-title")).to_have_text(matter.title)
    page.get_by_test_id("hazard-lead").click()

    expect(page.get_by_test_id("lead-form")).to_be_visible()
    expect(page.get_by_label("隐患描述")).to_have_value(matter.title)
    page.get_by_label("隐患描述").fill("仓库门口堆放纸箱堵塞消防通道")
    page.get_by_label("场所类型").select_option("warehouse")
    page.get_by_label("经营者/负责人").fill("刘经理")
    page.get_by_test_id("lead-submit").click()
    expect(page.get_by_test_id("field-error")).to_contain_text("请填写场所名称")
    expect(page.get_by_label("隐患描述")).to_have_value("仓库门口堆放纸箱堵塞消防通道")
    page.get_by_label("新场所名称").fill("村东物流仓库")
    page.get_by_test_id("lead-submit").click()

    expect(page.get_by_test_id("title")).to_have_text("仓库门口堆放纸箱堵塞消防通道")
    expect(page.get_by_test_id("source")).to_have_text("群众反映线索")
    expect(page.get_by_test_id("linked-matter")).to_contain_text(matter.number)
    page.get_by_label("整改期限(工作日)").fill("3")
    page.get_by_test_id("issue-notice").click()
    expect(page.get_by_test_id("state")).to_have_text("整改中")

    page.get_by_test_id("linked-matter").get_by_role("link").click()
    expect(page.get_by_test_id("matter-title")).to_have_text(matter.title)
    item = page.get_by_test_id("linked-hazard")
    expect(item).to_contain_text("仓库门口堆放纸箱堵塞消防通道")
    expect(item.get_by_test_id("linked-state")).to_have_text("已下达整改通知,整改中")
    expect(page.get_by_test_id("hazard-lead")).to_have_count(0)
    expect(page.get_by_test_id("timeline")).to_contain_text("已向责任方下达整改通知")
    page.screenshot(path=artifact("hazardlink_matter.png"), full_page=True)
    hazard = Hazard.objects.get()
    assert hazard.matter_id == matter.pk and hazard.state == HazardState.NOTICE_ISSUED

    page.goto(f"{live_server.url}/report/track/{matter.tracking_code}/")
    expect(page.get_by_test_id("linked-progress")).to_contain_text("安全隐患整改进展:已下达整改通知,整改中")
    expect(page.locator("body")).not_to_contain_text("村东物流仓库")
