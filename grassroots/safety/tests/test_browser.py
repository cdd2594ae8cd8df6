"""The premises pages in a real browser: at phone width a grid worker finds
the register empty, registers a warehouse with its standard address, sees
the phone masked, corrects the risk level; village staff close a disused
factory and take it back into use; the register's search and filters; the
inspector's walk through an inspection and the hazard loop."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.addresses.tests.support import room
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import Hazard, Premises, PremisesKind
from ..services.hazards import escalate_overdue
from ..states import HazardState, State
from .support import inspect, premises_at, raised_hazard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    tree = build_small_tree()
    UserFactory(username="wangge", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1, display_name="王网格")
    UserFactory(username="cunwu", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="李村务")
    address = room(tree.unit_a1, "101", road="幸福路")
    return tree, address


def test_grid_worker_registers_a_warehouse_at_phone_width(phone_page, live_server, world):
    page = phone_page
    _tree, address = world
    login(page, live_server, "wangge", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/safety/")
    expect(page.get_by_test_id("empty")).to_contain_text("辖区内还没有登记场所")
    page.get_by_test_id("premises-new").click()
    page.get_by_label("场所名称").fill("幸福路物流仓库")
    page.get_by_label("场所类型").select_option("warehouse")
    page.get_by_label("风险等级").select_option("high")
    page.get_by_label("标准地址").fill("没有这个地址")
    page.get_by_label("经营者/负责人").fill("刘经理")
    page.get_by_label("联系电话").fill("138 1234 5678")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("field-error")).to_contain_text("标准地址库中没有这个地址")
    page.get_by_label("标准地址").fill(address.full_text)
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("title")).to_have_text("幸福路物流仓库")
    expect(page.get_by_test_id("phone")).to_have_text("138****5678")
    expect(page.get_by_test_id("address")).to_have_text(address.full_text)
    page.screenshot(path=artifact("safety_premises_detail.png"), full_page=True)

    page.get_by_test_id("edit").click()
    page.get_by_label("风险等级").select_option("major")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("risk")).to_have_text("重大风险(红)")
    expect(page.get_by_test_id("corrected")).to_contain_text("风险等级")
    premises = Premises.objects.get()
    assert premises.operator_phone == "13812345678" and premises.address_id == address.pk

    page.goto(f"{live_server.url}/safety/")
    expect(page.get_by_test_id("premises-row")).to_have_count(1)
    expect(page.get_by_test_id("row-phone")).to_have_text("138****5678")
    page.screenshot(path=artifact("safety_premises_list.png"), full_page=True)


def test_village_staff_close_and_reopen_and_filter(page, live_server, world):
    tree, _address = world
    factory = premises_at(tree.grid_a1, name="红星废弃砖厂", kind=PremisesKind.DISUSED_FACTORY)
    premises_at(tree.grid_a1, name="老王小吃店", kind=PremisesKind.SMALL_RESTAURANT)
    login(page, live_server, "cunwu", DEFAULT_PASSWORD)
    page.get_by_role("link", name="安全检查").first.click()
    expect(page.get_by_test_id("premises-row")).to_have_count(2)
    page.get_by_label("类型").select_option("nine_small")
    page.get_by_test_id("filter-submit").click()
    expect(page.get_by_test_id("premises-row")).to_have_count(1)
    expect(page.get_by_test_id("premises-row")).to_contain_text("老王小吃店")

    page.goto(f"{live_server.url}/safety/premises/{factory.pk}/")
    page.get_by_test_id("close").click()
    expect(page.get_by_test_id("field-error")).to_contain_text("请填写关停原因")
    page.get_by_label("关停原因").fill("砖厂已拆除")
    page.get_by_test_id("close").click()
    expect(page.get_by_test_id("state")).to_have_text("已关停")
    expect(page.get_by_test_id("closed-reason")).to_contain_text("砖厂已拆除")
    page.screenshot(path=artifact("safety_premises_closed.png"), full_page=True)
    page.get_by_test_id("reopen").click()
    expect(page.get_by_test_id("state")).to_have_text("在用")
    assert Premises.objects.get(pk=factory.pk).state == State.OPERATING


def test_inspector_walks_the_hazard_loop_at_phone_width(phone_page, live_server, world):
    """Issue 13, "done when": an inspector inspects a warehouse, finds two
    hazards, issues a rectification notice (PDF), a re-inspection closes one
    while the other goes overdue and the daily job escalates it."""
    page = phone_page
    tree, _address = world
    warehouse = premises_at(tree.grid_a1, name="东风物流仓库")
    photo = artifact("safety_site.jpg")
    Image.new("RGB", (64, 48), (180, 60, 30)).save(photo, format="JPEG")
    login(page, live_server, "wangge", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/safety/")
    page.get_by_label("搜索").fill("东风")
    page.get_by_test_id("filter-submit").click()
    page.get_by_test_id("premises-row").click()
    page.get_by_test_id("inspect").click()
    expect(page.get_by_test_id("checklist")).to_contain_text("仓库消防安全检查表")
    items = page.get_by_test_id("item")
    count = items.count()
    assert count >= 3
    for n in range(count):
        items.nth(n).get_by_label("合格", exact=True).check()
    items.nth(0).get_by_label("不合格").check()
    items.nth(0).get_by_role("textbox").fill("安全出口被货物堵塞")
    items.nth(1).get_by_label("不合格").check()
    items.nth(1).get_by_role("textbox").fill("两具灭火器压力不足")
    page.get_by_label("现场照片").set_input_files(photo)
    page.screenshot(path=artifact("safety_inspect.png"), full_page=True)
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("failed")).to_have_text("不合格 2 项")
    expect(page.get_by_test_id("photo")).to_have_count(1)

    # Two hazards from the two failed items, each with a notice.
    for description in ("安全出口被货物堵塞", "两具灭火器压力不足"):
        page.get_by_test_id("answer").filter(has_text=description).get_by_test_id("raise").click()
        expect(page.get_by_test_id("title")).to_have_text(description)
        page.get_by_label("整改期限(工作日)").fill("3")
        page.get_by_test_id("issue-notice").click()
        expect(page.get_by_test_id("state")).to_have_text("整改中")
        expect(page.get_by_test_id("notice-number")).to_contain_text("安整〔")
        page.goto(f"{live_server.url}/safety/inspections/{warehouse.inspections.get().pk}/")
    first, second = Hazard.objects.order_by("pk")
    pdf = page.request.get(f"{live_server.url}/safety/hazards/{first.pk}/notice.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"

    # The first is rectified and the re-inspection closes it.
    page.goto(f"{live_server.url}/safety/hazards/{first.pk}/")
    page.get_by_label("整改后现场照片").set_input_files(photo)
    page.get_by_test_id("rectify").click()
    expect(page.get_by_test_id("state")).to_have_text("待复查")
    page.get_by_label("合格,销号").check()
    page.get_by_test_id("reinspect").click()
    expect(page.get_by_test_id("state")).to_have_text("已销号")
    page.screenshot(path=artifact("safety_hazard_closed.png"), full_page=True)

    # The second passes its deadline; the daily job escalates it.
    deadline = Hazard.objects.get(pk=second.pk).deadline
    assert deadline is not None
    assert escalate_overdue(today=deadline + datetime.timedelta(days=2)) == 1
    page.goto(f"{live_server.url}/safety/hazards/?state=notice_issued")
    expect(page.get_by_test_id("hazard-row")).to_have_count(1)
    page.get_by_test_id("hazard-row").click()
    expect(page.get_by_test_id("escalated")).to_have_text("已督办")
    expect(page.get_by_test_id("event").last).to_contain_text("逾期督办")
    page.screenshot(path=artifact("safety_hazard_escalated.png"), full_page=True)
    assert Hazard.objects.get(pk=first.pk).state == HazardState.CLOSED


def test_campaign_statistics_checklists_and_hazards_on_desktop(page, live_server, world):
    tree, _address = world
    warehouse = premises_at(tree.grid_a1, name="东风物流仓库")
    premises_at(tree.grid_a1, name="红星废弃砖厂", kind=PremisesKind.DISUSED_FACTORY)
    inspection = inspect(warehouse, actor=User.objects.get(username="wangge"), fail=1)
    raised_hazard(inspection)
    login(page, live_server, "cunwu", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/safety/campaigns/")
    expect(page.get_by_test_id("empty")).to_be_visible()
    page.get_by_test_id("campaign-open").click()
    page.get_by_label("行动名称").fill("打非治违专项行动")
    page.get_by_label("仓库").check()
    page.get_by_label("废弃厂房").check()
    today = timezone.localdate()
    page.get_by_label("开始日期").fill((today - datetime.timedelta(days=3)).isoformat())
    page.get_by_label("完成期限").fill((today + datetime.timedelta(days=10)).isoformat())
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("done")).to_have_text("1/2")
    expect(page.get_by_test_id("grid-percent")).to_have_text("50.0%")
    expect(page.get_by_test_id("todo-row")).to_contain_text("红星废弃砖厂")
    page.screenshot(path=artifact("safety_campaign.png"), full_page=True)

    page.goto(f"{live_server.url}/safety/campaigns/")
    page.get_by_test_id("safety-tabs").get_by_role("link", name="统计").click()
    expect(page.get_by_test_id("total-inspections")).to_have_text("1")
    expect(page.get_by_test_id("total-hazards")).to_have_text("1")
    with page.expect_download() as download:
        page.get_by_test_id("export").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.screenshot(path=artifact("safety_statistics.png"), full_page=True)

    page.get_by_test_id("safety-tabs").get_by_role("link", name="安全隐患").click()
    expect(page.get_by_test_id("hazard-row")).to_have_count(1)
    expect(page.get_by_test_id("row-state")).to_have_text("已发现")

    page.get_by_test_id("safety-tabs").get_by_role("link", name="检查表").click()
    expect(page.get_by_test_id("checklist-row")).to_have_count(3)
    page.get_by_test_id("checklist-row").filter(has_text="仓库消防安全检查表").click()
    expect(page.get_by_test_id("in-force")).to_have_text("现行")
    expect(page.get_by_test_id("publish")).to_have_count(0)
    page.screenshot(path=artifact("safety_checklist.png"), full_page=True)


def test_subdistrict_publishes_a_checklist_version(page, live_server, world):
    UserFactory(
        username="jiedao", role=Role.SUBDISTRICT_STAFF, jurisdiction=world[0].subdistrict, display_name="赵街道"
    )
    login(page, live_server, "jiedao", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/safety/checklists/")
    page.get_by_test_id("checklist-row").filter(has_text="九小场所").click()
    page.get_by_test_id("publish").click()
    page.get_by_label("检查项").fill("疏散通道畅通 | 《中华人民共和国消防法》第二十八条\n没有依据")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("field-error")).to_contain_text("第 2 行")
    page.get_by_label("检查项").fill("疏散通道畅通 | 《中华人民共和国消防法》第二十八条")
    page.get_by_label("修订说明").fill("精简为一项")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("version-card")).to_have_count(2)
    expect(page.get_by_test_id("item")).to_have_count(1)
