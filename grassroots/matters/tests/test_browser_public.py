"""A resident in a real (phone-sized) browser: reports with a photo and gets
a tracking code, follows the matter, rates the result; wrong codes and bad
input get clear Chinese answers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from grassroots.matters.models import Feedback, Matter
from grassroots.matters.services import lifecycle
from grassroots.matters.services.intake import format_tracking_code
from grassroots.matters.states import State
from grassroots.testing.browser import ARTIFACTS
from grassroots.testing.factories import build_small_tree

from . import factories as f
from .uploads import png_bytes

# Every place of the small tree has handling staff (ADR 0021).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("served")]

CODE_RE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}$")


@pytest.fixture
def tree(transactional_db):
    return build_small_tree()


def htmx_idle(page) -> None:
    """htmx binds swapped-in elements when it settles; wait for that."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def pick_place(page, *, village: str, grid: str | None = None) -> None:
    page.locator("#id_village").select_option(label=village)
    htmx_idle(page)
    expect(page.locator("#id_grid")).to_be_enabled()
    if grid:
        page.locator("#id_grid").select_option(label=grid)
        htmx_idle(page)
        expect(page.locator("#id_building")).to_be_enabled()


def test_resident_reports_from_a_phone_with_a_photo(phone_page, live_server, tree):
    page = phone_page
    page.goto(f"{live_server.url}/report/")
    expect(page.get_by_role("heading", name="我要说事")).to_be_visible()
    pick_place(page, village="西张村", grid="第1网格")
    page.get_by_label("具体位置").fill("1号楼1单元门口")
    page.get_by_role("textbox", name="标题", exact=True).fill("楼道灯坏了")
    page.get_by_label("具体情况").fill("1号楼1单元楼道灯坏了一个星期,晚上老人上下楼看不见。")
    page.locator("#id_attachments").set_input_files(
        files=[{"name": "楼道.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.get_by_role("textbox", name="手机号", exact=True).fill("13812345678")
    page.get_by_label("匿名:不公开姓名,手机号仅用于通知").check()
    consent = page.get_by_label("同意公开我反映的内容(不含个人信息)")
    expect(consent).not_to_be_checked()  # never presumed (ADR 0018)
    consent.check()
    page.get_by_test_id("submit-report").click()

    code = page.get_by_test_id("tracking-code")
    expect(code).to_be_visible()
    assert CODE_RE.match(code.inner_text().strip())
    expect(page.get_by_text("请保存查询码")).to_be_visible()
    matter = Matter.objects.get()
    assert format_tracking_code(matter.tracking_code) == code.inner_text().strip()
    assert matter.node == tree.grid_a1 and matter.anonymous is True and matter.public_consent is True
    assert matter.attachments.get().content_type == "image/png"
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_test_id("status-link").click()
    expect(page.get_by_test_id("matter-state")).to_have_text("待受理")
    expect(page.get_by_test_id("timeline")).to_contain_text("已反映")
    assert "13812345678" not in page.content()
    # Changing one's mind on the tracking page.
    page.get_by_test_id("publicity-form").get_by_label("同意公开我反映的内容(不含个人信息)").uncheck()
    page.get_by_test_id("publicity-submit").click()
    expect(page.get_by_test_id("publicity-state")).to_contain_text("目前不公开")
    expect(page.get_by_test_id("timeline")).to_contain_text("反映人撤回公开同意")
    assert Matter.objects.get().public_consent is False
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_wrong_code_shows_not_found(phone_page, live_server, tree):
    page = phone_page
    page.goto(f"{live_server.url}/report/track/")
    page.get_by_label("查询码").fill("abcd-efgh-jk")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("code-not-found")).to_have_text(re.compile("未找到该查询码"))
    # The form is there to try again: a too short code is explained.
    page.get_by_label("查询码").fill("123")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("error-code")).to_contain_text("10 位")


def test_code_is_found_whatever_the_case_and_dashes(phone_page, live_server, tree):
    matter = f.report(node=tree.unit_a1)
    page = phone_page
    page.goto(f"{live_server.url}/report/track/")
    page.get_by_label("查询码").fill(format_tracking_code(matter.tracking_code).lower())
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("matter-title")).to_have_text(matter.title)


def test_bad_input_shows_chinese_errors_and_keeps_values(phone_page, live_server, tree):
    page = phone_page
    page.goto(f"{live_server.url}/report/")
    page.get_by_role("textbox", name="标题", exact=True).fill("垃圾没人清")
    page.get_by_label("具体情况").fill("太脏")
    page.get_by_role("textbox", name="手机号", exact=True).fill("12345")
    page.get_by_label("姓名或称呼").fill("王五")
    page.locator("#id_attachments").set_input_files(
        files=[{"name": "a.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.get_by_test_id("submit-report").click()

    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.get_by_test_id("error-place")).to_contain_text("请选择所在的村/社区")
    expect(page.get_by_test_id("error-description")).to_contain_text("至少 5 个字")
    expect(page.get_by_test_id("error-reporter_phone")).to_contain_text("11 位大陆手机号码")
    expect(page.get_by_test_id("files-lost")).to_contain_text("请重新选择")
    expect(page.get_by_role("textbox", name="标题", exact=True)).to_have_value("垃圾没人清")
    expect(page.get_by_label("具体情况")).to_have_value("太脏")
    expect(page.get_by_role("textbox", name="手机号", exact=True)).to_have_value("12345")
    expect(page.get_by_label("姓名或称呼")).to_have_value("王五")
    assert Matter.objects.count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "matters-public-report-errors-phone.png"), full_page=True)

    # Fixing the mistakes goes through, and only once.
    pick_place(page, village="店子社区")
    page.get_by_label("具体情况").fill("小区垃圾桶三天没人清运,气味很大。")
    page.get_by_role("textbox", name="手机号", exact=True).fill("13812345678")
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("tracking-code")).to_be_visible()
    assert Matter.objects.get().node == tree.village_b


def test_resident_sees_the_result_and_rates_it(phone_page, live_server, tree):
    staff = f.make_staff(tree)
    matter = f.matter_in_state(State.RESOLVED, node=tree.unit_a1, handler=staff.village_a, cat=f.category())
    page = phone_page
    page.goto(f"{live_server.url}/report/track/{matter.tracking_code}/")
    expect(page.get_by_test_id("matter-state")).to_have_text("已办结")
    expect(page.get_by_test_id("result")).to_contain_text("已更换 1 单元楼道感应灯")
    expect(page.get_by_test_id("timeline")).to_contain_text("西张村工作人员")
    assert staff.village_a.display_name not in page.content()
    page.get_by_label("基本满意").check()
    page.get_by_label("意见和建议").fill("修得挺快")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_text("感谢您的评价!")).to_be_visible()
    expect(page.get_by_test_id("feedback-given")).to_contain_text("基本满意")
    assert Feedback.objects.get(matter=matter).comment == "修得挺快"


def test_public_pages_on_phone_and_desktop(phone_page, page, live_server, tree):
    """Screenshots of every public page at 390×844 and 1366×900."""
    staff = f.make_staff(tree)
    resolved = f.matter_in_state(State.RESOLVED, node=tree.unit_a1, handler=staff.village_a, cat=f.category())
    lifecycle.matter_add_note(actor=staff.village_a, matter=resolved, text="已联系物业,明天更换。", public=True)
    closed = f.matter_in_state(State.CLOSED, node=tree.unit_a1, handler=staff.village_a, cat=f.category())
    pages = {
        "report": "/report/",
        "done": f"/report/done/{resolved.tracking_code}/",
        "track": "/report/track/",
        "status-resolved": f"/report/track/{resolved.tracking_code}/",
        "status-closed": f"/report/track/{closed.tracking_code}/",
        "not-found": "/report/track/ABCDEFGHJK/",
    }
    ARTIFACTS.mkdir(exist_ok=True)
    for size, browser_page in (("phone", phone_page), ("desktop", page)):
        for name, path in pages.items():
            browser_page.goto(f"{live_server.url}{path}")
            browser_page.wait_for_load_state("networkidle")
            browser_page.screenshot(path=str(ARTIFACTS / f"matters-public-{name}-{size}.png"), full_page=True)
            width = browser_page.evaluate("document.documentElement.scrollWidth")
            assert width <= (390 if size == "phone" else 1366), f"{name} overflows on {size}"
    expect(page.get_by_test_id("code-not-found")).to_be_visible()
