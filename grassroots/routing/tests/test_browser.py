"""Routing in a real browser: a village officer relays a WeChat message on a
phone and gets a category suggestion while typing; on the matter's page the
accept form has it preselected with the other two shown, and accepting logs
the choice; the subdistrict opens the accuracy page from the nav and sees it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.matters.models import Matter
from grassroots.testing.browser import artifact, htmx_idle, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import Suggestion
from .support import categories, install_version, trained_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MESSAGE = "@网格员 村东那个工厂晚上又偷偷排污水了,河道发臭,夜里还有施工噪音,大家睡不着"


@pytest.fixture
def world(transactional_db, tmp_path_factory):
    tree = build_small_tree()
    cats = categories()
    install_version(trained_file(tmp_path_factory.mktemp("router")))
    UserFactory(username="cunwu", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="李村务")
    UserFactory(username="jiedao", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, display_name="张街道")
    return tree, cats


def test_relay_suggests_while_typing_accept_preselects_and_accuracy_counts(phone_page, page, live_server, world):
    _tree, cats = world
    phone = phone_page
    login(phone, live_server, "cunwu", DEFAULT_PASSWORD)
    phone.goto(f"{live_server.url}/intake/relay/")
    advice = phone.get_by_test_id("category-advice")
    expect(advice).to_contain_text("填写标题或内容后")
    phone.get_by_label("微信群名称").fill("西张村邻里群")
    phone.get_by_label("发送人昵称").fill("幸福一家人")
    # Typed, as staff do: the panel follows the text (debounced).
    phone.get_by_label("群消息原文").press_sequentially(MESSAGE, delay=5)
    expect(advice.get_by_test_id("suggest-option").first).to_contain_text("环境污染")
    expect(advice).to_contain_text("街道生态环境办")
    expect(advice.get_by_test_id("suggest-option")).to_have_count(3)
    phone.screenshot(path=artifact("routing-relay-suggestion-phone.png"), full_page=True)
    assert not Suggestion.objects.exists()  # typing stores nothing
    phone.get_by_role("textbox", name="标题", exact=True).fill("工厂夜间排污")
    phone.get_by_test_id("submit").click()
    phone.wait_for_url(f"{live_server.url}/matters/*/")
    matter = Matter.objects.get()

    # The matter's page: the accept form has the suggestion preselected.
    htmx_idle(phone)
    accept = phone.get_by_test_id("action-accept")
    expect(accept.get_by_test_id("accept-advice")).to_contain_text("已预选")
    expect(accept.get_by_test_id("advice-option")).to_have_count(3)
    expect(accept.get_by_label("分类", exact=True)).to_have_value(str(cats["环境保护"].pk))
    phone.screenshot(path=artifact("routing-accept-preselected-phone.png"), full_page=True)
    accept.get_by_test_id("submit-accept").click()
    htmx_idle(phone)
    expect(phone.get_by_text("已受理,办理期限已计算。")).to_be_visible()
    matter.refresh_from_db()
    assert matter.category == cats["环境保护"]
    suggestion = Suggestion.objects.get(matter=matter)
    assert suggestion.accepted_as_is is True and suggestion.final_category == cats["环境保护"]

    # The subdistrict's accuracy page, from the nav.
    login(page, live_server, "jiedao", DEFAULT_PASSWORD)
    page.get_by_role("link", name="分类推荐").first.click()
    expect(page.get_by_role("heading", name="分类推荐准确率")).to_be_visible()
    expect(page.get_by_test_id("decided")).to_have_text("1")
    expect(page.get_by_test_id("as-is-rate")).to_contain_text("100%")
    expect(page.get_by_test_id("accuracy-row")).to_contain_text("推荐测试 / 环境污染")
    expect(page.get_by_test_id("versions-table")).to_contain_text("使用中")
    page.screenshot(path=artifact("routing-accuracy-desktop.png"), full_page=True)
