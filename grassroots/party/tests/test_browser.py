"""Party building in a real browser at phone width (issue 15, "done when"):
a trainer schedules a session and shows its QR code, two members sign in by
opening its URL on their phones (a second tap does not sign in twice), the
subdistrict computes the monthly 红黄榜, an entry explains its points, it is
published and a member reads it; someone who is not a member cannot."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import Attendance, Board
from ..states import BoardState
from .support import branch_at, member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}


@pytest.fixture
def world(transactional_db: Any) -> Any:
    tree = build_small_tree()
    UserFactory(username="cunwu", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="李书记")
    UserFactory(
        username="jiedao", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, display_name="街道组织办"
    )
    branch = branch_at(tree.village_a)
    for username, name in (("dangyuan1", "王党员"), ("dangyuan2", "赵党员")):
        user = UserFactory(username=username, role=Role.GRID_WORKER, jurisdiction=tree.grid_a1, display_name=name)
        member_of(branch, user=user)
    UserFactory(username="qunzhong", role=Role.GRID_WORKER, jurisdiction=tree.grid_a2, display_name="非党员")
    return tree


@pytest.fixture
def phones(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_phone() -> Any:
        context = browser.new_context(**PHONE)
        contexts.append(context)
        return context.new_page()

    yield open_phone
    for context in contexts:
        context.close()


def test_qr_sign_in_and_the_monthly_board_at_phone_width(phone_page, phones, live_server, world):
    trainer = phone_page
    login(trainer, live_server, "cunwu", DEFAULT_PASSWORD)
    trainer.goto(f"{live_server.url}/party/trainings/")
    expect(trainer.get_by_test_id("empty")).to_be_visible()
    trainer.get_by_test_id("training-new").click()
    trainer.get_by_label("培训主题").fill("基层党员专题培训")
    trainer.get_by_label("开始时间").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    trainer.get_by_label("学时").fill("30")
    trainer.get_by_test_id("save").click()
    expect(trainer.get_by_test_id("field-error")).to_contain_text("学时不能超过 24")
    expect(trainer.get_by_label("培训主题")).to_have_value("基层党员专题培训")
    trainer.get_by_label("学时").fill("2.5")
    trainer.get_by_test_id("save").click()
    expect(trainer.get_by_test_id("qr").locator("svg")).to_be_visible()
    trainer.screenshot(path=artifact("party_training_qr.png"), full_page=True)
    url = trainer.get_by_test_id("signin-url").inner_text()

    for username in ("dangyuan1", "dangyuan2"):
        phone = phones()
        login(phone, live_server, username, DEFAULT_PASSWORD)
        phone.goto(url)
        phone.get_by_test_id("sign").click()
        expect(phone.get_by_test_id("signed")).to_be_visible()
        phone.goto(url)  # opening the code again does not sign in twice
        expect(phone.get_by_test_id("signed")).to_be_visible()
    outsider = phones()
    login(outsider, live_server, "qunzhong", DEFAULT_PASSWORD)
    outsider.goto(url)
    expect(outsider.get_by_test_id("problem")).to_contain_text("不是本次培训范围内的在册党员")
    assert Attendance.objects.count() == 2

    trainer.reload()
    expect(trainer.get_by_test_id("attendee-count")).to_have_text("2")

    street = phones()
    login(street, live_server, "jiedao", DEFAULT_PASSWORD)
    street.goto(f"{live_server.url}/party/board/")
    street.get_by_label("计算月份").fill(timezone.localdate().strftime("%Y-%m"))
    street.get_by_test_id("compute").click()
    entry = street.get_by_test_id("entry").filter(has_text="王党员")
    entry.locator("summary").click()
    expect(entry.get_by_test_id("breakdown")).to_contain_text("培训学时")
    expect(entry.get_by_test_id("points")).to_have_text("5.00")
    street.get_by_test_id("publish").click()
    expect(street.get_by_test_id("board-state")).to_contain_text("已发布")
    assert Board.objects.get().state == BoardState.PUBLISHED

    member = phones()
    login(member, live_server, "dangyuan2", DEFAULT_PASSWORD)
    member.goto(f"{live_server.url}/party/board/")
    mine = member.get_by_test_id("entry").filter(has_text="赵党员")
    mine.locator("summary").click()
    expect(mine.get_by_test_id("breakdown")).to_contain_text("2.5")
    member.screenshot(path=artifact("party_board_member.png"), full_page=True)
    outsider.goto(f"{live_server.url}/party/board/")
    expect(outsider.locator("body")).not_to_contain_text("赵党员")


def test_register_a_member_pair_them_and_the_member_records_a_visit_on_a_phone(phone_page, phones, live_server, world):
    tree = world
    staff = phone_page
    login(staff, live_server, "cunwu", DEFAULT_PASSWORD)
    staff.goto(f"{live_server.url}/party/")
    staff.get_by_test_id("branch-row").filter(has_text="西张村党支部").click()
    staff.get_by_test_id("member-new").click()
    staff.get_by_label("居民(姓名或身份证号)").fill("王五")
    staff.get_by_test_id("save").click()
    expect(staff.get_by_test_id("field-error")).to_contain_text("没有找到这名居民")
    staff.get_by_label("居民(姓名或身份证号)").fill("张三")
    staff.get_by_label("职务").select_option("secretary")
    staff.get_by_test_id("save").click()
    expect(staff.get_by_test_id("title")).to_have_text("张*")
    expect(staff.get_by_test_id("id-number")).not_to_contain_text(tree.resident_a1.id_number)
    staff.get_by_label("查看原因").fill("换届核对党员名册")
    staff.get_by_test_id("reveal").click()
    expect(staff.get_by_test_id("title")).to_have_text("张三")

    staff.goto(f"{live_server.url}/party/pairs/")
    staff.get_by_test_id("pair-new").click()
    staff.get_by_label("帮扶党员").select_option(label="王**(西张村党支部)")
    staff.get_by_label("困难户(户主姓名或身份证号)").fill("张三")
    staff.get_by_label("困难情况").fill("独居老人,行动不便")
    staff.get_by_label("结对日期").fill(timezone.localdate().isoformat())
    staff.get_by_test_id("save").click()
    expect(staff.get_by_test_id("visits").get_by_test_id("empty")).to_be_visible()

    member = phones()
    login(member, live_server, "dangyuan1", DEFAULT_PASSWORD)
    member.goto(f"{live_server.url}/accounts/home/")
    member.get_by_test_id("party-panel").get_by_role("link", name="我的结对帮扶").click()
    member.get_by_test_id("pair-row").click()
    member.get_by_test_id("save-visit").click()
    expect(member.get_by_test_id("field-error").first).to_contain_text("请填写情况记录")
    member.get_by_label("类型").select_option("help")
    member.get_by_label("情况记录").fill("帮助申请临时救助,送去米面油")
    member.get_by_test_id("save-visit").click()
    expect(member.get_by_test_id("visit-row")).to_contain_text("帮助申请临时救助")
    member.screenshot(path=artifact("party_pair_visit.png"), full_page=True)

    street = phones()
    login(street, live_server, "jiedao", DEFAULT_PASSWORD)
    street.goto(f"{live_server.url}/party/board/rule/")
    street.get_by_label("红榜分数线(不低于)").fill("2")
    street.get_by_test_id("save").click()
    expect(street.get_by_test_id("field-error").first).to_contain_text("红榜分数线应高于黄榜分数线")
    street.get_by_label("红榜分数线(不低于)").fill("8")
    street.get_by_test_id("save").click()
    expect(street.get_by_test_id("rule-version")).to_contain_text("第 1 版")
    street.goto(f"{live_server.url}/party/trainings/hours/")
    expect(street.get_by_test_id("hours-row")).to_have_count(3)
