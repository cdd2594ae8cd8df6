"""Browser tests of two supervision flows: a resident asks, on the tracking
page, for a closed matter to be handled again (申请重新办理) and staff grant
it on the matter page; staff escalate an open matter one level (升级督办)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.core.models import Notification
from grassroots.matters.models import EventKind, Matter, ReopenRequest
from grassroots.matters.services import lifecycle
from grassroots.matters.states import State
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from .staff_setup import LEAKAGE, accepted, handling, new_matter, resolved, seed_categories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree(transactional_db):
    seed_categories()
    return build_small_tree()


@pytest.fixture
def staff(tree):
    return UserFactory(username="cun1", display_name="王村干", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)


def test_resident_asks_to_reopen_and_staff_grant_it(page, phone_page, live_server, tree, staff):
    matter = lifecycle.matter_close(actor=staff, matter=resolved(new_matter(tree.grid_a1), staff))
    phone = phone_page
    phone.goto(f"{live_server.url}/report/track/{matter.tracking_code}/")
    expect(phone.get_by_test_id("matter-state")).to_have_text("已关闭")
    # The rating comes first; the reopen form (14 days after closing) follows it.
    expect(phone.get_by_test_id("reopen-form")).to_have_count(0)
    phone.get_by_label("基本满意").check()
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_test_id("feedback-given")).to_contain_text("基本满意")
    assert not ReopenRequest.objects.exists()  # only 不满意 asks for a reopen by itself
    form = phone.get_by_test_id("reopen-form")
    expect(phone.locator("#reopen")).to_contain_text("关闭后 14 天内可以申请")

    # No reason: a Chinese message, no request.
    form.get_by_role("button", name="申请重新办理").click()
    expect(phone.get_by_text("请写明需要重新办理的理由。")).to_be_visible()
    assert not ReopenRequest.objects.exists()

    phone.get_by_label("为什么需要重新办理").fill("纸箱又堆回来了,物业只清理了一半。")
    phone.get_by_test_id("reopen-form").get_by_role("button", name="申请重新办理").click()
    expect(phone.get_by_role("alert").filter(has_text="重新办理申请已提交,工作人员会尽快答复。")).to_be_visible()
    expect(phone.get_by_test_id("reopen-pending")).to_contain_text("等待工作人员答复")
    expect(phone.get_by_test_id("reopen-form")).to_have_count(0)  # one open request at a time
    phone.screenshot(path=artifact("h7-matters-reopen-requested-phone.png"), full_page=True)
    request = ReopenRequest.objects.get()
    assert request.matter_id == matter.pk and request.status == ReopenRequest.Status.OPEN
    assert request.reason == "纸箱又堆回来了,物业只清理了一半。"

    # Staff see the request on the matter page and answer it.
    login(page, live_server, "cun1", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/matters/{matter.pk}/")
    card = page.get_by_test_id("reopen-request")
    expect(card).to_contain_text("纸箱又堆回来了,物业只清理了一半。")
    card.get_by_label("同意重新办理").check()
    card.get_by_role("button", name="提交答复").click()  # no answer yet
    expect(page.get_by_test_id("reopen-request")).to_contain_text("请填写答复内容。")
    request.refresh_from_db()
    matter.refresh_from_db()
    assert request.status == ReopenRequest.Status.OPEN and matter.state == State.CLOSED

    card = page.get_by_test_id("reopen-request")
    card.get_by_label("同意重新办理").check()
    card.get_by_label("答复内容").fill("同意,已安排网格员再次督促物业清理。")
    card.get_by_role("button", name="提交答复").click()
    expect(page.get_by_test_id("matter-state")).to_have_text("办理中")
    expect(page.get_by_test_id("reopen-request")).to_have_count(0)
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("同意重新办理。答复:同意,已安排网格员再次督促物业清理。")
    page.screenshot(path=artifact("h7-matters-reopen-granted.png"), full_page=True)
    request.refresh_from_db()
    matter.refresh_from_db()
    assert request.status == ReopenRequest.Status.GRANTED
    assert request.answered_by == staff
    assert matter.state == State.HANDLING
    assert matter.events.filter(kind=EventKind.REOPEN_ANSWERED).count() == 1

    # The resident sees the answer and that the matter is being handled again.
    phone.reload()
    expect(phone.get_by_test_id("matter-state")).to_have_text("办理中")
    expect(phone.get_by_test_id("reopen-answered")).to_contain_text("同意,已安排网格员再次督促物业清理。")
    expect(phone.get_by_test_id("reopen-form")).to_have_count(0)


def test_staff_escalate_a_matter_and_see_it_on_the_timeline(page, phone_page, live_server, tree, staff):
    street: Any = UserFactory(username="jie1", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict)
    # A leaking ceiling is the village's to handle: escalation goes to the subdistrict.
    matter = handling(
        accepted(
            new_matter(tree.grid_a1, title="楼上漏水", description="楼上卫生间漏水,天花板一直滴水。"), staff, LEAKAGE
        ),
        staff,
    )
    login(page, live_server, "cun1", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/matters/{matter.pk}/")
    action = page.get_by_test_id("action-escalate")
    action.locator("summary").click()
    action.get_by_test_id("submit-escalate").click()  # no reason
    expect(page.get_by_test_id("action-escalate")).to_contain_text("请填写理由。")
    matter.refresh_from_db()
    assert matter.escalation_level == 0 and matter.escalated_to is None

    action = page.get_by_test_id("action-escalate")
    action.get_by_label("理由").fill("物业拒不配合,需要街道协调。")
    action.get_by_test_id("submit-escalate").click()
    expect(page.get_by_test_id("notice")).to_have_text("已升级督办,已通知上级。")
    expect(page.get_by_text("已升级督办 1 次")).to_be_visible()
    expect(page.get_by_test_id("matter-state")).to_have_text("办理中")  # escalation does not change the state
    event = page.get_by_test_id("event").filter(has_text="升级督办").last
    expect(event).to_contain_text(f"升级至{tree.subdistrict.label}督办。理由:物业拒不配合,需要街道协调。")
    expect(event.get_by_test_id("internal-badge")).to_be_visible()
    page.screenshot(path=artifact("h7-matters-escalated.png"), full_page=True)
    matter = Matter.objects.get(pk=matter.pk)
    assert matter.escalation_level == 1
    assert matter.escalated_to == tree.subdistrict
    assert matter.state == State.HANDLING
    assert Notification.objects.filter(recipient=street, subject="事项升级督办").count() == 1

    # The escalation is internal: the resident's page does not show the reason.
    phone_page.goto(f"{live_server.url}/report/track/{matter.tracking_code}/")
    expect(phone_page.get_by_test_id("matter-state")).to_have_text("办理中")
    expect(phone_page.get_by_test_id("timeline")).not_to_contain_text("物业拒不配合")
    expect(phone_page.get_by_test_id("timeline")).not_to_contain_text("升级")
