"""The LED boards in a real browser: the 1920×1080 hall screen and a
480×240 LED sign rotate the village's current notices, keep their content
while the network is down and pick up a new notice on their own; no console
errors (CSP included)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.matters.states import State as MatterState
from grassroots.matters.tests import factories as f
from grassroots.matters.tests.staff_setup import seed_categories
from grassroots.testing.browser import artifact
from grassroots.testing.factories import build_small_tree

from ..models import Kind, Publication
from ..services import publication_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_CONTENT = (
    "经2026年11月村民代表会议讨论通过,村集体闲置厂房(村西工业路8号,建筑面积约1200平方米)"
    "按公开招租方式出租,租期五年,起始年租金不低于12万元,采取现场竞价方式确定承租方,"
    "租金收入全部纳入村集体账户,用于村内道路维修和公益事业。招租公告将在村务公开栏、"
    "微信群同步发布,有意向者请于报名期内到村便民服务中心登记。招租结果将另行公示,"
    "接受全体村民监督。"
)


@pytest.fixture
def tree(transactional_db):
    return build_small_tree()


@dataclass
class World:
    tree: Any
    staff: Any
    plan: Publication
    result: Publication


def _publish(actor: Any, matter: Any, kind: str, title: str, content: str) -> Publication:
    today = timezone.localdate()
    return publication_create(
        actor=actor,
        kind=kind,
        matter=matter,
        title=title,
        content=content,
        channels=["led", "portal"],
        starts_on=today,
        ends_on=today + datetime.timedelta(days=7),
        publish=True,
    )


@pytest.fixture
def world(tree) -> World:
    seed_categories()
    staff = f.make_staff(tree)
    a = staff.village_a
    handling = f.matter_in_state(MatterState.HANDLING, node=tree.unit_a1, handler=a)
    resolved = f.matter_in_state(MatterState.RESOLVED, node=tree.grid_a2, handler=a, title="2号楼外墙渗水")
    plan = _publish(
        a, handling, Kind.PLAN, "关于西张村集体闲置厂房(村西工业路8号)公开招租及租金收入使用的理事方案", LONG_CONTENT
    )
    result = _publish(
        a,
        resolved,
        Kind.RESULT,
        "2号楼外墙渗水维修结果",
        "2号楼东侧外墙渗水已由施工队完成防水处理,经雨后复查无渗漏,维修费用由公共维修资金列支。",
    )
    return World(tree, staff, plan, result)


def _fits(page: Any, width: int) -> None:
    """Nothing is pushed off the right edge (the body clips overflow, so look at the clock)."""
    clock = page.locator("[data-led-time]").bounding_box()
    assert clock is not None and clock["x"] + clock["width"] <= width


def _active_title(page: Any) -> Any:
    return page.locator("[data-led-slide].is-active [data-testid=led-title]")


def test_the_hall_screen_rotates_refreshes_and_survives_a_network_drop(page, live_server, world):
    page.set_viewport_size({"width": 1920, "height": 1080})
    village = world.tree.village_a
    page.goto(f"{live_server.url}/notices/v/{village.pk}/led/?seconds=2&refresh=5")
    expect(page.get_by_test_id("led-village")).to_have_text("西张村")
    expect(page.locator("[data-led-time]")).to_have_text(re.compile(r"^\d\d:\d\d:\d\d$"))
    expect(page.locator("[data-led-date]")).to_contain_text("星期")
    # Newest first: the result, then the plan.
    expect(_active_title(page)).to_have_text(world.result.title)
    expect(page.locator("[data-led-slide].is-active")).to_contain_text("90%")
    expect(page.get_by_test_id("led-counter")).to_have_text("1 / 2")
    _fits(page, 1920)
    expect(page.locator("[data-led-slide]:visible")).to_have_count(1)
    page.wait_for_timeout(700)  # the slide's fade-in
    page.screenshot(path=artifact("h2_led_result.png"))
    expect(_active_title(page)).to_have_text(world.plan.title, timeout=6000)
    expect(page.get_by_test_id("led-counter")).to_have_text("2 / 2")
    active = page.locator("[data-led-slide].is-active")
    expect(active).to_contain_text("60%")
    expect(active).to_contain_text("扫码查看全文、办理进度或提出异议")
    # Long content is cut to fit the screen: nothing of the slide runs off it.
    box = active.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 1080 - 60
    page.wait_for_timeout(700)
    page.screenshot(path=artifact("h2_led_plan.png"))
    expect(_active_title(page)).to_have_text(world.result.title, timeout=6000)  # and round again

    # The network drops: the last content stays, a discreet note says so.
    page.route(re.compile(r".*fragment=1.*"), lambda route: route.fulfill(status=200, body="<p>代理错误</p>"))
    expect(page.get_by_test_id("led-offline")).to_be_visible(timeout=12000)
    expect(page.get_by_test_id("led-offline")).to_contain_text("网络连接中断")
    expect(page.locator("[data-led-slide]")).to_have_count(2)
    _fits(page, 1920)
    page.screenshot(path=artifact("h2_led_offline.png"))

    # Back online, with a new notice published meanwhile: it joins the rotation.
    handling = f.matter_in_state(MatterState.HANDLING, node=world.tree.unit_a1, handler=world.staff.village_a)
    _publish(world.staff.village_a, handling, Kind.PLAN, "村内道路硬化工程理事方案", "硬化村南道路800米。")
    page.unroute(re.compile(r".*fragment=1.*"))
    expect(page.locator("[data-led-slide]")).to_have_count(3, timeout=20000)
    expect(page.get_by_test_id("led-offline")).to_be_hidden()
    expect(page.locator("[data-led-deck]")).to_contain_text("村内道路硬化工程理事方案")


def test_the_led_sign_shows_kind_title_period_and_progress(page, live_server, world):
    page.set_viewport_size({"width": 480, "height": 240})
    page.goto(f"{live_server.url}/notices/v/{world.tree.village_a.pk}/led/compact/?seconds=2")
    active = page.locator("[data-led-slide].is-active")
    expect(_active_title(page)).to_have_text(world.result.title)
    expect(active.get_by_test_id("led-kind")).to_have_text("理事结果")
    expect(active.get_by_test_id("led-percent")).to_have_text("进度90%")
    expect(active).to_contain_text("公示期")
    expect(page.locator("img")).to_have_count(0)
    # Everything fits the sign: no scrolling on a 480×240 panel.
    assert page.evaluate("document.documentElement.scrollHeight <= 240 && document.documentElement.scrollWidth <= 480")
    page.screenshot(path=artifact("h2_compact_result.png"))
    expect(_active_title(page)).to_have_text(world.plan.title, timeout=6000)
    expect(active.get_by_test_id("led-percent")).to_have_text("进度60%")
    page.screenshot(path=artifact("h2_compact_plan.png"))

    page.set_viewport_size({"width": 320, "height": 160})
    expect(_active_title(page)).to_be_visible()
    page.screenshot(path=artifact("h2_compact_320.png"))


def test_an_empty_hall_screen(page, live_server, tree):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/notices/v/{tree.village_b.pk}/led/?seconds=2")
    expect(page.get_by_test_id("led-empty")).to_contain_text("暂无公示事项")
    expect(page.get_by_test_id("led-empty")).to_contain_text("店子社区")
    expect(page.get_by_test_id("led-counter")).to_have_text("")
    page.screenshot(path=artifact("h2_led_empty.png"))
