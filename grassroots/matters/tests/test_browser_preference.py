"""The reporter sets the channel of progress messages on the tracking page
from a phone (390 px, ADR 0056): a wrong number is refused in Chinese and
changes nothing; the right one saves the choice, and the next progress
message by SMS is withheld."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from grassroots.core.models import ContactPreference, Notification
from grassroots.core.notifications.preferences import contact_preference
from grassroots.matters.services import lifecycle
from grassroots.testing.browser import ARTIFACTS
from grassroots.testing.factories import build_small_tree

from . import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("served")]


@pytest.fixture
def tree(transactional_db):
    return build_small_tree()


def test_the_reporter_chooses_how_to_hear_from_a_phone(phone_page, live_server, tree):
    page = phone_page
    page.set_default_timeout(60_000)  # the shared test machine can be slow to serve the first page
    page.set_default_navigation_timeout(60_000)
    matter = f.report(node=tree.unit_a1)
    page.goto(f"{live_server.url}/report/track/{matter.tracking_code}/")
    card = page.get_by_test_id("preference-form")
    expect(page.get_by_test_id("preference-state")).to_contain_text("当前:短信(默认)")
    card.get_by_label("反映时留下的手机号").fill("13900000000")
    card.get_by_label("不接收(只在本页查看进度)").check()
    page.get_by_test_id("preference-submit").click()
    expect(page.get_by_text("手机号与反映时留下的不一致。")).to_be_visible()
    assert not ContactPreference.objects.exists()

    card = page.get_by_test_id("preference-form")
    card.get_by_label("反映时留下的手机号").fill(f.PHONE)
    card.get_by_label("微信(仅公众号通知,不发短信)").check()
    page.get_by_test_id("preference-submit").click()
    expect(page.get_by_text("通知方式已保存。")).to_be_visible()
    expect(page.get_by_test_id("preference-state")).to_contain_text("当前:微信(不发短信)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_test_id("preference-form").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "tracking-preference-phone.png"), full_page=False)
    assert contact_preference(phone=f.PHONE) == "wechat"

    lifecycle.matter_accept(actor=f.make_staff(tree).village_a, matter=matter, category=f.category())
    assert Notification.objects.get(channel=Notification.Channel.SMS).status == Notification.Status.WITHHELD
