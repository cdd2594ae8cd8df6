"""议事规则 in a real browser: village staff save a new rule version (a bad
quorum is explained and nothing is saved), keep it as a draft, publish it,
and residents read it on the public rules page from a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import RuleSet
from ..rules import Proposers, Threshold, VoteMethod
from .setup import publish_rules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "西张村村民协商议事规则(修订)"


@pytest.fixture
def tree(transactional_db):
    return build_small_tree()


def test_village_staff_draft_and_publish_a_new_rule_version(page, phone_page, live_server, tree):
    staff = UserFactory(username="village", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)
    publish_rules(staff, tree.village_a)  # version 1, show of hands
    login(page, live_server, "village", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/deliberation/")
    page.get_by_test_id("deliberation-nav").get_by_role("link", name="议事规则").click()
    expect(page.get_by_role("heading", name="议事规则", exact=True)).to_be_visible()
    expect(page.locator(".list-group-item").first).to_contain_text("(第1版)")

    page.get_by_label("适用辖区").select_option(label=str(tree.village_a.label))
    page.get_by_label("规则标题").fill(TITLE)
    page.get_by_label("议题提出").select_option(Proposers.REPRESENTATIVES)
    page.get_by_label("法定人数(分子)").fill("4")
    page.get_by_label("法定人数(分母)").fill("3")
    page.get_by_label("通过标准").select_option(Threshold.TWO_THIRDS_PRESENT)
    page.get_by_label("表决方式").select_option(VoteMethod.ROLL_CALL)
    page.get_by_label("规则全文").fill("第一条 议事会由村民委员会召集。\n第二条 表决采用逐人唱名方式。")
    page.get_by_label("立即发布").uncheck()
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-danger")).to_contain_text("法定人数须为不大于 1 的分数")
    expect(page.get_by_label("规则标题")).to_have_value(TITLE)
    assert RuleSet.objects.count() == 1

    page.get_by_label("法定人数(分子)").fill("3")
    page.get_by_label("法定人数(分母)").fill("4")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("议事规则新版本已保存。")
    draft = page.locator(".list-group-item").filter(has_text=TITLE)
    expect(draft).to_contain_text("(第2版)")
    expect(draft).to_contain_text("法定人数 3/4 · 赞成票达到到会代表的三分之二以上 · 逐人唱名表决")
    expect(draft).to_contain_text("群众代表可提出议题")
    page.screenshot(path=artifact("h6_rules_draft.png"), full_page=True)
    rules = RuleSet.objects.get(version=2)
    assert rules.published_at is None and rules.node_id == tree.village_a.pk
    assert (rules.quorum_numerator, rules.quorum_denominator) == (3, 4)

    # Residents do not see a draft.
    phone_page.goto(f"{live_server.url}/deliberation/public/rules/")
    expect(phone_page.get_by_role("heading", name="村(社区)议事规则")).to_be_visible()
    expect(phone_page.locator("article")).to_have_count(1)
    expect(phone_page.locator("body")).not_to_contain_text(TITLE)

    draft.get_by_role("button", name="发布").click()
    expect(page.locator(".alert-success")).to_contain_text("已发布。")
    expect(page.locator(".list-group-item").filter(has_text=TITLE)).to_contain_text("已发布")
    rules.refresh_from_db()
    assert rules.published_at is not None

    phone_page.reload()
    article = phone_page.locator("article").filter(has_text=TITLE)
    expect(article).to_contain_text("第2版")
    expect(article).to_contain_text("法定人数:到会代表不少于应到人数的 3/4")
    expect(article).to_contain_text("表决方式:逐人唱名表决")
    expect(article).to_contain_text("第二条 表决采用逐人唱名方式。")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.screenshot(path=artifact("h6_public_rules_phone.png"), full_page=True)
    phone_page.get_by_role("link", name="查看议事决议").click()
    expect(phone_page.get_by_role("heading", name="议事决议")).to_be_visible()
