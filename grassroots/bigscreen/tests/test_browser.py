"""The big screen in a real browser: at 1920×1080 it refreshes every two
seconds without a console error (the fixture fails the test on any) and a
figure changes on the wall when a matter is reported; at 3840×2160 the same
screen fills the panel at twice the type size; subdistrict staff issue a
display token on the 指挥大屏 page (a bad input first), open the kiosk URL
without a login, and revoke it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.matters.tests.factories import matter_in_state, report
from grassroots.matters.tests.staff_setup import seed_categories
from grassroots.testing.browser import _new_page, artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..services import screen_token_issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    tree = build_small_tree()
    seed_categories()
    street = UserFactory(
        username="dapin", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, display_name="张指挥"
    )
    village = UserFactory(username="cun_a", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="李村务")
    report(node=tree.grid_a1, title="楼道灯坏了")
    matter_in_state(
        "handling",
        node=tree.grid_b1,
        handler=UserFactory(
            username="cun_b", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_b, display_name="赵社区"
        ),
    )
    return tree, street, village


@pytest.fixture
def wall(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    yield from _new_page(browser, request, viewport={"width": 1920, "height": 1080})


@pytest.fixture
def wall_4k(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    yield from _new_page(browser, request, viewport={"width": 3840, "height": 2160})


def test_refreshes_in_place_and_a_figure_updates(wall, live_server, world):
    tree, _street, _village = world
    feeds: list[int] = []
    wall.on("response", lambda r: feeds.append(r.status) if "data.json" in r.url else None)
    login(wall, live_server, "dapin", DEFAULT_PASSWORD)
    wall.goto(f"{live_server.url}/bigscreen/screen/?refresh=2")
    expect(wall.get_by_test_id("kpi-open")).to_have_text("2")
    expect(wall.get_by_test_id("tile")).to_have_count(2)
    expect(wall.locator('[data-testid="tile"][data-name="西张村"]')).to_have_attribute("data-open", "1")
    first_update = wall.get_by_test_id("updated-at").text_content()
    chart = wall.evaluate("() => window.echarts.getInstanceByDom(document.getElementById('chart-trend')).id")
    # A matter reported while the screen is on the wall shows at the next refresh.
    report(node=tree.grid_a1, title="井盖松动")
    expect(wall.get_by_test_id("kpi-open")).to_have_text("3", timeout=15000)
    expect(wall.get_by_test_id("kpi-today")).to_have_text("3")
    expect(wall.locator('[data-testid="tile"][data-name="西张村"]')).to_have_attribute("data-open", "2")
    wall.wait_for_timeout(4500)
    assert len(feeds) >= 4 and set(feeds) == {200}
    assert wall.get_by_test_id("updated-at").text_content() != first_update or len(feeds) >= 4
    # The same chart instance was fed, not created again.
    assert wall.evaluate("() => window.echarts.getInstanceByDom(document.getElementById('chart-trend')).id") == chart
    # No personal data and no matter titles on the wall.
    text = wall.locator("body").inner_text()
    assert "张三" not in text and "楼道灯坏了" not in text and "井盖松动" not in text
    # Fits the 1920×1080 screen without scrolling.
    assert wall.evaluate("() => document.documentElement.scrollHeight <= window.innerHeight + 1")
    wall.screenshot(path=artifact("bigscreen-1920x1080.png"))


def test_4k_kiosk_scales(wall_4k, live_server, world):
    tree, street, _village = world
    _token, secret = screen_token_issue(actor=street, node=tree.subdistrict, label="指挥中心大屏", days=30)
    wall_4k.goto(f"{live_server.url}/bigscreen/k/{secret}/?refresh=3")
    expect(wall_4k.get_by_test_id("kpi-open")).to_have_text("2")
    expect(wall_4k.get_by_test_id("tile")).to_have_count(2)
    size = wall_4k.evaluate("() => parseFloat(getComputedStyle(document.getElementById('kpi-open')).fontSize)")
    assert size >= 90  # 2.6vw of 3840 px: readable from across the room
    assert wall_4k.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert wall_4k.evaluate("() => document.documentElement.scrollHeight <= window.innerHeight + 1")
    wall_4k.wait_for_timeout(1500)  # the charts' first animation
    wall_4k.screenshot(path=artifact("bigscreen-3840x2160.png"))


def test_issue_open_and_revoke_a_display_token(page, live_server, world):
    login(page, live_server, "dapin", DEFAULT_PASSWORD)
    page.get_by_role("link", name="指挥大屏").first.click()
    expect(page.get_by_test_id("no-tokens")).to_be_visible()
    page.get_by_label("屏幕名称").fill("")
    page.get_by_test_id("issue").click()
    expect(page.get_by_test_id("field-error").first).to_contain_text("请填写屏幕名称")
    page.get_by_label("屏幕名称").fill("街道指挥中心大屏")
    page.get_by_label("显示范围").select_option(label="湖田街道")
    page.get_by_label("有效天数").fill("30")
    page.get_by_test_id("issue").click()
    expect(page.get_by_test_id("issued")).to_contain_text("已发放“街道指挥中心大屏”")
    url = page.get_by_test_id("issued-url").input_value()
    # The wall display: another browser context, no login.
    kiosk = page.context.browser.new_context(viewport={"width": 1920, "height": 1080})
    screen = kiosk.new_page()
    screen.goto(url + "?refresh=2")
    expect(screen.get_by_test_id("kpi-open")).to_have_text("2")
    kiosk.close()
    page.goto(f"{live_server.url}/bigscreen/")
    expect(page.get_by_test_id("token-state")).to_have_text("有效")
    page.get_by_test_id("revoke").click()
    expect(page.get_by_test_id("token-state")).to_have_text("已停用")
    expect(page.get_by_test_id("revoke")).to_have_count(0)


def test_village_staff_have_no_screen_link(page, live_server, world):
    login(page, live_server, "cun_a", DEFAULT_PASSWORD)
    expect(page.get_by_role("link", name="指挥大屏")).to_have_count(0)
