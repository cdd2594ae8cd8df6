"""Staff intake in a real browser: a grid worker logs a visit with two matters
on a phone, and a worker of another grid gets 404 on them; a WeChat relay
keeps the original message; bad input is explained in Chinese."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.matters.models import Channel, Matter, Visit
from grassroots.regions.models import Household, Level, Node
from grassroots.testing.browser import ARTIFACTS, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from .uploads import png_bytes

# Every place of the small tree has handling staff (ADR 0021).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("served")]


@pytest.fixture
def tree(transactional_db):
    tree = build_small_tree()
    # A second household in the unit, so that the worker really picks one.
    Household.objects.create(unit=Node.objects.get(pk=tree.unit_a1.pk), room="102", address="1单元102室")
    return tree


def htmx_idle(page) -> None:
    """htmx binds swapped-in elements when it settles; wait for that."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def choose(page, select_id: str, label: str) -> None:
    page.locator(select_id).select_option(label=label)
    htmx_idle(page)


def test_grid_worker_logs_a_visit_with_two_matters(phone_page, page, live_server, tree):
    UserFactory(username="grid_a1", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    UserFactory(username="grid_b1", role=Role.GRID_WORKER, jurisdiction=tree.grid_b1)
    worker = phone_page
    login(worker, live_server, "grid_a1", DEFAULT_PASSWORD)
    worker.goto(f"{live_server.url}/intake/visit/")
    expect(worker.get_by_role("heading", name="入户走访")).to_be_visible()
    choose(worker, "#id_building", "1号楼")
    choose(worker, "#id_unit", "1单元")
    choose(worker, "#id_household", "101")
    worker.get_by_label("走访情况").fill("张三老两口身体不错,反映了两件事。")

    blocks = worker.get_by_test_id("matter-block")
    first = blocks.nth(0)
    first.get_by_label("什么事").fill("楼顶漏水")
    first.get_by_label("具体情况").fill("下雨时顶楼漏水严重,墙皮脱落。")
    first.locator("input[type=file]").set_input_files(
        files=[{"name": "漏水.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    worker.get_by_test_id("add-matter").click()
    expect(blocks).to_have_count(2)
    second = blocks.nth(1)
    expect(second).to_contain_text("第 2 件事")
    second.get_by_label("什么事").fill("东门路灯不亮")
    second.get_by_label("具体情况").fill("小区东门路灯不亮两周了,晚上很黑。")
    second.get_by_label("涉及集体利益").check()
    assert worker.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    worker.screenshot(path=str(ARTIFACTS / "matters-intake-visit-phone.png"), full_page=True)
    worker.get_by_test_id("submit-visit").click()

    expect(worker.get_by_test_id("visit-saved")).to_be_visible()
    visit = Visit.objects.get()
    matters = list(visit.matters.order_by("number"))
    assert [m.title for m in matters] == ["楼顶漏水", "东门路灯不亮"]
    assert visit.household.room == "101"
    assert matters[0].attachments.count() == 1
    assert matters[1].touches_collective is True
    listed = worker.get_by_test_id("visit-matters")
    for matter in matters:
        expect(listed).to_contain_text(matter.number)
    worker.screenshot(path=str(ARTIFACTS / "matters-intake-visit-done-phone.png"), full_page=True)

    # The recent-visits list shows it.
    worker.get_by_role("link", name="我的走访记录").click()
    expect(worker.get_by_test_id("visit-list")).to_contain_text(matters[0].number)

    # The worker opens the matter; a worker of another grid gets 404.
    worker.goto(f"{live_server.url}/matters/{matters[0].pk}/")
    expect(worker.get_by_text("楼顶漏水").first).to_be_visible()
    login(page, live_server, "grid_b1", DEFAULT_PASSWORD)
    for matter in matters:
        response = page.goto(f"{live_server.url}/matters/{matter.pk}/")
        assert response is not None and response.status == 404
    response = page.goto(f"{live_server.url}/intake/visits/{visit.pk}/")
    assert response is not None and response.status == 404


def test_visit_bad_input_keeps_what_was_typed(phone_page, live_server, tree):
    UserFactory(username="grid_a1", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    page = phone_page
    login(page, live_server, "grid_a1", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/intake/visit/")
    block = page.get_by_test_id("matter-block").first
    block.get_by_label("什么事").fill("楼顶漏水")
    page.get_by_test_id("submit-visit").click()
    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.get_by_test_id("error-place")).to_contain_text("请选择走访的住户")
    expect(page.get_by_test_id("error-description")).to_contain_text("至少 5 个字")
    expect(page.get_by_test_id("matter-block").first.get_by_label("什么事")).to_have_value("楼顶漏水")
    assert Visit.objects.count() == 0 and Matter.objects.count() == 0
    page.screenshot(path=str(ARTIFACTS / "matters-intake-visit-errors-phone.png"), full_page=True)


def test_wechat_relay_keeps_the_original(page, live_server, tree):
    UserFactory(username="village_a", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)
    login(page, live_server, "village_a", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/intake/relay/")
    page.get_by_label("微信群名称").fill("西张村邻里群")
    page.get_by_label("发送人昵称").fill("幸福一家人")
    original = "@网格员 2号楼下水道又堵了!味道很大"
    page.get_by_label("群消息原文").fill(original)
    # The description starts as the original message.
    expect(page.get_by_label("具体情况")).to_have_value(original)
    page.get_by_role("textbox", name="标题", exact=True).fill("2号楼下水道堵塞")
    choose(page, "#id_grid", "第2网格")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "matters-intake-relay-desktop.png"), full_page=True)
    page.get_by_test_id("submit").click()
    page.wait_for_url(f"{live_server.url}/matters/*/")
    matter = Matter.objects.get()
    assert page.url.endswith(f"/matters/{matter.pk}/")
    assert matter.channel == Channel.WECHAT
    assert matter.channel_detail == {"group": "西张村邻里群", "sender": "幸福一家人", "original": original}
    assert matter.description == original
    assert matter.node.level == Level.GRID and matter.node.name == "第2网格"


def test_hotline_errors_and_pages_on_phone_and_desktop(phone_page, page, live_server, tree):
    UserFactory(username="street", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict)
    UserFactory(username="grid_a1", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    login(page, live_server, "street", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/intake/hotline/")
    page.get_by_role("radio", name="来访").check()
    page.get_by_label("来电/来访人姓名").fill("赵大爷")
    page.get_by_label("联系电话").fill("123")
    page.get_by_role("textbox", name="标题", exact=True).fill("申请安装扶手")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("error-caller_phone")).to_contain_text("11 位大陆手机号码")
    expect(page.get_by_test_id("error-description")).to_contain_text("至少 5 个字")
    expect(page.get_by_test_id("error-place")).to_contain_text("请选择所在的村/社区")
    expect(page.get_by_label("来电/来访人姓名")).to_have_value("赵大爷")
    expect(page.get_by_role("radio", name="来访")).to_be_checked()
    assert Matter.objects.count() == 0
    page.screenshot(path=str(ARTIFACTS / "matters-intake-hotline-errors-desktop.png"), full_page=True)

    login(phone_page, live_server, "grid_a1", DEFAULT_PASSWORD)
    for name, path in (("relay", "/intake/relay/"), ("hotline", "/intake/hotline/"), ("visits", "/intake/visits/")):
        phone_page.goto(f"{live_server.url}{path}")
        phone_page.wait_for_load_state("networkidle")
        phone_page.screenshot(path=str(ARTIFACTS / f"matters-intake-{name}-phone.png"), full_page=True)
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390, name
    page.goto(f"{live_server.url}/intake/visit/")  # street staff cannot log visits
    expect(page.get_by_test_id("forbidden")).to_be_visible()
