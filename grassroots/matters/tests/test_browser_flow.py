"""The issue's "Done when", in a real browser: a resident reports from a
phone-sized window and gets a tracking code → a village staff member opens
it from the queue and accepts it (deadline shown) → assigns it to the grid
worker, who handles and resolves it → the resident sees the result and rates
it. A grid worker of another grid gets 404 on the matter."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.matters.models import Feedback, Matter, Rating
from grassroots.matters.services.intake import format_tracking_code
from grassroots.matters.states import State
from grassroots.testing.browser import login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from .staff_setup import seed_categories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree(transactional_db):
    seed_categories()
    return build_small_tree()


def date_label(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def test_report_accept_assign_resolve_rate(page, phone_page, live_server, tree):
    UserFactory(username="cun1", display_name="王村干", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)
    worker: Any = UserFactory(username="grid1", display_name="李网格", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    UserFactory(username="grid2", role=Role.GRID_WORKER, jurisdiction=tree.grid_a2)

    # 1. A resident reports from a phone, without logging in, and gets a code.
    phone = phone_page
    phone.goto(f"{live_server.url}/report/")
    phone.get_by_label("村/社区").select_option(label="西张村")
    phone.get_by_label("网格").select_option(label="第1网格")
    phone.get_by_label("标题").fill("楼道堆放杂物")
    phone.get_by_label("具体情况").fill("1号楼1单元楼道里堆满了纸箱和旧家具,老人上下楼很不方便。")
    phone.get_by_role("textbox", name="手机号").fill("13912345678")
    phone.get_by_label("姓名或称呼").fill("王小明")
    phone.get_by_test_id("submit-report").click()
    code = phone.get_by_test_id("tracking-code").inner_text().strip()
    matter = Matter.objects.get()
    assert code == format_tracking_code(matter.tracking_code)
    assert matter.node == tree.grid_a1 and matter.state == State.REPORTED

    # 2. Village staff open it from the queue and accept it; the deadline shows.
    login(page, live_server, "cun1", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/matters/")
    row = page.get_by_test_id("queue-row").filter(has_text="楼道堆放杂物")
    expect(row).to_contain_text("待受理")
    row.get_by_role("link", name="楼道堆放杂物").click()
    expect(page.get_by_test_id("matter-number")).to_have_text(matter.number)
    expect(page.get_by_test_id("reporter")).to_contain_text("王**")
    expect(page.get_by_test_id("reporter")).to_contain_text("139****5678")
    accept = page.get_by_test_id("action-accept")
    accept.get_by_label("分类", exact=True).select_option(label="环境卫生 / 乱堆乱放(3 个工作日)")
    accept.get_by_test_id("submit-accept").click()
    expect(page.get_by_test_id("notice")).to_have_text("已受理,办理期限已计算。")
    expect(page.get_by_test_id("matter-state")).to_have_text("已受理")
    matter.refresh_from_db()
    assert matter.state == State.ACCEPTED and matter.due_date is not None
    expect(page.get_by_test_id("due-date")).to_have_text(date_label(matter.due_date))
    expect(page.get_by_test_id("due")).to_contain_text("3 个工作日")

    # 3. … and assign it to the grid worker with a plan.
    assign = page.get_by_test_id("action-assign")
    assign.get_by_label("承办人").select_option(value=str(worker.pk))
    assign.get_by_label("办理方案").fill("网格员督促物业三日内清理楼道。")
    assign.get_by_test_id("submit-assign").click()
    expect(page.get_by_test_id("matter-state")).to_have_text("办理中")
    expect(page.get_by_test_id("assignee")).to_have_text("李网格")
    page.context.clear_cookies()

    # 4. The grid worker handles it: a public reply, then the result.
    login(page, live_server, "grid1", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/matters/{matter.pk}/")
    note = page.get_by_test_id("action-note")
    note.locator("summary").click()
    note.get_by_label("内容").fill("已联系物业,明天上午清理。")
    note.get_by_label("公开答复(反映人可在查询页看到)").check()
    note.get_by_test_id("submit-note").click()
    expect(page.get_by_test_id("notice")).to_have_text("已记录。")
    resolve = page.get_by_test_id("action-resolve")
    resolve.get_by_label("办理结果").fill("楼道杂物已全部清理,通道畅通。")
    resolve.get_by_test_id("submit-resolve").click()
    expect(page.get_by_test_id("matter-state")).to_have_text("已办结")
    expect(page.get_by_test_id("result")).to_have_text("楼道杂物已全部清理,通道畅通。")
    page.context.clear_cookies()

    # 5. A grid worker of another grid cannot even see it.
    login(page, live_server, "grid2", DEFAULT_PASSWORD)
    response = page.goto(f"{live_server.url}/matters/{matter.pk}/")
    assert response is not None and response.status == 404
    page.goto(f"{live_server.url}/matters/")
    expect(page.get_by_test_id("empty")).to_be_visible()

    # 6. The resident sees the result on the phone and rates it.
    phone.goto(f"{live_server.url}/report/track/{matter.tracking_code}/")
    expect(phone.get_by_test_id("matter-state")).to_have_text("已办结")
    expect(phone.get_by_test_id("result")).to_have_text("楼道杂物已全部清理,通道畅通。")
    expect(phone.get_by_test_id("timeline")).to_contain_text("已联系物业,明天上午清理。")
    phone.get_by_label("满意", exact=True).check()
    phone.get_by_label("意见和建议").fill("清理得很快,谢谢!")
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_test_id("feedback-given")).to_contain_text("满意")
    feedback = Feedback.objects.get()
    assert feedback.matter == matter and feedback.rating == Rating.SATISFIED
