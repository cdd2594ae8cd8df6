"""晒事's "done when" for the portal, in a real browser: a village's staff
publish a handling plan; a resident on a phone finds the village on
/notices/, opens the plan, sees its progress and timeline, copies the text
for the WeChat group, files an objection and gets a tracking code; the staff
find the objection as a new matter in their queue."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.matters.models import Matter
from grassroots.matters.states import State as MatterState
from grassroots.matters.tests import factories as f
from grassroots.matters.tests.staff_setup import seed_categories
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from .. import services
from ..models import Kind, Objection
from ..services import publication_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CODE_RE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}$")
TITLE = "关于西张村集体厂房出租的理事方案"


@pytest.fixture
def tree(transactional_db):
    return build_small_tree()


@pytest.fixture
def plan(tree):
    seed_categories()
    staff = UserFactory(username="vstaff", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="李村务")
    matter = f.matter_in_state(MatterState.HANDLING, node=tree.unit_a1, handler=staff)
    today = timezone.localdate()
    return publication_create(
        actor=staff,
        matter=matter,
        kind=Kind.PLAN,
        title=TITLE,
        content="经村民代表会议讨论,厂房按公开招租方式出租。\n租金收入纳入村集体账户。",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=7),
        channels=["portal", "notice", "wechat"],
        publish=True,
    )


def test_resident_finds_the_plan_objects_and_staff_see_the_matter(page, phone_page, live_server, tree, plan, settings):
    # Links handed out (WeChat text, QR codes) use the public base URL: here, the test server.
    settings.PUBLIC_BASE_URL = live_server.url
    resident = phone_page
    resident.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    resident.goto(f"{live_server.url}/")
    resident.get_by_test_id("cta-notices").click()
    expect(resident.get_by_role("heading", name="公示栏(晒事)")).to_be_visible()
    expect(resident).to_have_title(re.compile("公示栏"))
    resident.screenshot(path=artifact("notices_index_phone.png"), full_page=True)
    resident.get_by_test_id("villages").get_by_role("link", name="西张村").click()
    expect(resident.get_by_test_id("village-name")).to_have_text("西张村公示栏")
    expect(resident.get_by_test_id("led-link")).to_be_visible()
    resident.screenshot(path=artifact("notices_village_phone.png"), full_page=True)
    resident.get_by_test_id("publication").filter(has_text=TITLE).click()

    expect(resident.get_by_test_id("title")).to_have_text(TITLE)
    expect(resident.get_by_test_id("state")).to_have_text("公示中")
    expect(resident.get_by_test_id("place")).to_have_text("西张村")
    expect(resident.get_by_test_id("percent")).to_have_text("60%")
    timeline = resident.get_by_test_id("timeline")
    for stage in ("群众反映", "已受理", "办理中", "理事方案公示", "公示截止"):
        expect(timeline).to_contain_text(stage)
    detail_url = resident.url
    assert detail_url == f"{live_server.url}/notices/{plan.pk}/"
    expect(resident.get_by_test_id("wechat-text")).to_have_value(re.compile(re.escape(detail_url)))
    resident.get_by_test_id("copy").click()
    expect(resident.get_by_test_id("copy-status")).to_have_text("已复制")
    copied = resident.evaluate("() => navigator.clipboard.readText()")
    assert f"全文及进度:{detail_url}" in copied and TITLE in copied
    resident.screenshot(path=artifact("notices_detail_phone.png"), full_page=True)

    # A mistake first: too short, no phone. Nothing is filed.
    resident.get_by_label("异议内容").fill("太低")
    resident.get_by_test_id("objection-submit").click()
    expect(resident.get_by_test_id("error-text")).to_contain_text("至少 5 个字")
    expect(resident.get_by_test_id("error-phone")).to_contain_text("请留下 11 位手机号")
    assert Objection.objects.count() == 0
    resident.get_by_label("异议内容").fill("租金低于周边市场价,建议重新评估后再出租。")
    resident.get_by_label("手机号").fill("13812345678")
    resident.get_by_label("称呼").fill("王女士")
    resident.get_by_test_id("objection-submit").click()
    expect(resident.get_by_test_id("objection-done")).to_have_text("异议已提交")
    code = resident.get_by_test_id("tracking-code").inner_text().strip()
    assert CODE_RE.match(code)
    resident.screenshot(path=artifact("notices_objection_done_phone.png"), full_page=True)
    matter = Matter.objects.get(channel="objection")
    assert code.replace("-", "") == matter.tracking_code
    assert Objection.objects.get().publication_id == plan.pk
    resident.get_by_test_id("status-link").click()
    expect(resident.get_by_test_id("matter-title")).to_have_text(f"对公示《{TITLE}》的异议")

    # The village's staff find it in their queue and open it.
    login(page, live_server, "vstaff", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/matters/")
    row = page.get_by_role("link", name=f"对公示《{TITLE}》的异议")
    expect(row).to_be_visible()
    row.click()
    expect(page.get_by_role("heading", name=f"对公示《{TITLE}》的异议")).to_be_visible()
    expect(page.locator("main")).to_contain_text("租金低于周边市场价")
    page.screenshot(path=artifact("notices_staff_matter.png"), full_page=True)


def test_portal_on_a_desktop(page, live_server, tree, plan):
    page.goto(f"{live_server.url}/notices/")
    expect(page.get_by_test_id("publication")).to_have_count(1)
    page.get_by_label("搜索").fill("没有这样的公示")
    page.get_by_test_id("search").click()
    expect(page.get_by_test_id("empty")).to_contain_text("没有找到符合条件的公示")
    page.get_by_role("link", name="清除").click()
    page.get_by_label("公示内容").select_option(label="理事方案")
    page.get_by_test_id("search").click()
    expect(page.get_by_test_id("publication")).to_have_count(1)
    page.screenshot(path=artifact("notices_index_desktop.png"), full_page=True)
    page.get_by_test_id("publication").click()
    expect(page.get_by_test_id("percent")).to_have_text("60%")
    page.screenshot(path=artifact("notices_detail_desktop.png"), full_page=True)
    page.goto(f"{live_server.url}/notices/{plan.pk + 1000}/")
    expect(page.get_by_test_id("not-found")).to_contain_text("未找到该公示")


def test_a_withdrawn_notice_says_so_when_its_old_link_is_opened(phone_page, live_server, tree, plan):
    # A resident scans the QR code of a notice that was posted, then withdrawn.
    withdraw = plan.published_by
    services.publication_withdraw(actor=withdraw, publication=plan, reason="租金金额写错,更正后重新公示")
    phone_page.goto(f"{live_server.url}/notices/{plan.pk}/")
    expect(phone_page.get_by_test_id("state")).to_have_text("已撤回")
    expect(phone_page.get_by_test_id("title")).to_have_text(TITLE)
    expect(phone_page.get_by_test_id("withdraw-reason")).to_have_text("租金金额写错,更正后重新公示")
    expect(phone_page.get_by_text("厂房按公开招租方式出租")).to_have_count(0)
    phone_page.screenshot(path=artifact("notices_withdrawn_phone.png"), full_page=True)
    phone_page.get_by_test_id("back").click()
    expect(phone_page).to_have_url(f"{live_server.url}/notices/")
