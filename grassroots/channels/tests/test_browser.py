"""The WeChat channel pages in a real browser at phone width: village staff
register their resident groups' robots (a wrong address refused first, the
key masked once saved), then push a published notice from its page to two
groups over the WeCom webhook protocol (a local server): one group gets it,
the other's deleted robot fails and is shown so, with its error, and is sent
again once the robot is back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.matters.services import lifecycle
from grassroots.matters.tests.staff_setup import category, new_matter, seed_categories
from grassroots.publicity.services import publication_publish
from grassroots.publicity.tests.staff_helpers import draft_of
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import ChannelPost, Status
from .support import KEY_A

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY_GONE = "7d6c5b4a-3e2f-4a1b-9c8d-7e6f5a4b3c2d"


@pytest.fixture
def world(transactional_db):
    seed_categories()
    tree = build_small_tree()
    staff = UserFactory(username="cunwu", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="李村务")
    matter = new_matter(tree.grid_a1)
    lifecycle.matter_accept(actor=staff, matter=matter, category=category())
    lifecycle.matter_assign(actor=staff, matter=matter, assignee=staff, plan="厂房按公开招租方式出租。")
    publication = publication_publish(actor=staff, publication=draft_of(staff, matter))
    return tree, publication


def test_groups_registered_and_a_notice_pushed_to_them(phone_page, live_server, world, wecom):
    page = phone_page
    tree, publication = world
    login(page, live_server, "cunwu", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/channels/robots/")
    expect(page.get_by_test_id("no-robots")).to_be_visible()
    page.get_by_label("所属村/社区或网格").select_option(str(tree.village_a.pk))
    page.get_by_label("群名称").fill("西张村邻里群")
    page.get_by_label("群机器人 Webhook 地址").fill("https://example.com/hook?key=abc")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("field-error")).to_contain_text("企业微信群机器人的地址")
    page.get_by_label("群机器人 Webhook 地址").fill(f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY_A}")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("robot")).to_have_count(1)
    page.get_by_label("所属村/社区或网格").select_option(str(tree.grid_a1.pk))
    page.get_by_label("群名称").fill("第1网格楼长群")
    page.get_by_label("群机器人 Webhook 地址").fill(KEY_GONE)
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("robot")).to_have_count(2)
    expect(page.get_by_test_id("masked-key").first).to_have_text("****0f1a")
    assert KEY_A not in page.content() and KEY_GONE not in page.content()
    page.screenshot(path=artifact("channels_robots.png"), full_page=True)

    page.goto(f"{live_server.url}/publicity/{publication.pk}/")
    page.get_by_test_id("push-link").click()
    page.get_by_label("西张村 · 西张村邻里群").check()
    page.get_by_label("第1网格 · 第1网格楼长群").check()
    page.get_by_test_id("push").click()
    rows = page.get_by_test_id("post")
    expect(rows).to_have_count(2)
    expect(page.locator('[data-testid="post"][data-status="sent"]')).to_have_count(1)
    failed = page.locator('[data-testid="post"][data-status="failed"]')
    expect(failed.get_by_test_id("post-error")).to_contain_text("93000")
    page.screenshot(path=artifact("channels_publication_push.png"), full_page=True)
    assert [m["msgtype"] for m in wecom.received[KEY_A]] == ["markdown", "image"]

    # The group's robot was added again with the same key: send again.
    wecom.keys.add(KEY_GONE)
    failed.get_by_test_id("retry").click()
    expect(page.locator('[data-testid="post"][data-status="sent"]')).to_have_count(2)
    assert set(ChannelPost.objects.values_list("status", flat=True)) == {Status.SENT}
