"""评事考评排行 in a real browser: subdistrict staff open the list, tighten and
loosen the thresholds and watch the lists change, then generate the
publication draft and land on its page; village staff see it read-only."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.evaluation.models import RankingRule
from grassroots.evaluation.ranking import add_months
from grassroots.evaluation.services.sessions import previous_month
from grassroots.publicity.models import Publication
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from .test_ranking import closed_session, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree(transactional_db):
    return build_small_tree()


@pytest.fixture
def sessions(tree):
    """Three closed months ending last month (the page's default)."""
    wang, qian, zhao = (person(n, tree.village_a) for n in ("王办理", "钱办理", "赵办理"))
    sun = person("孙办理", tree.village_b)
    end = previous_month(timezone.localdate())
    for offset in (-2, -1, 0):
        month = add_months(end, offset)
        closed_session(tree.village_a, month, [(wang, (10, 0, 0)), (qian, (7, 2, 1)), (zhao, (4, 2, 4))])
        closed_session(tree.village_b, month, [(sun, (3, 0, 1))])  # always fewer than 5 ballots
    return end


def test_subdistrict_staff_change_thresholds_and_draft_the_publication(page, live_server, tree, sessions):
    UserFactory(username="street", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, display_name="张街道")
    login(page, live_server, "street", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/evaluation/")
    page.get_by_role("link", name="评事考评排行").click()
    expect(page.get_by_role("heading", name="湖田街道工作人员评事考评排行")).to_be_visible()
    red, yellow = page.get_by_test_id("list-red"), page.get_by_test_id("list-yellow")
    normal, unranked = page.get_by_test_id("list-normal"), page.get_by_test_id("list-unranked")
    expect(red).to_contain_text("王办理")
    expect(red).not_to_contain_text("钱办理")
    expect(normal).to_contain_text("钱办理")
    expect(normal).to_contain_text("80.0%")
    expect(yellow).to_contain_text("赵办理")
    expect(yellow).to_contain_text("满意度低于 70%")
    expect(unranked).to_contain_text("孙办理")
    expect(page.get_by_test_id("monthly")).to_contain_text("100.0%")
    page.screenshot(path=artifact("ranking_default.png"), full_page=True)

    # A bad rule: a Chinese message, nothing saved.
    page.get_by_label("督促名单满意度低于").fill("95")
    page.get_by_test_id("save-rule").click()
    expect(page.get_by_test_id("rule")).to_contain_text("督促名单满意度须在 0% 至表扬名单满意度(90%)之间。")
    assert not RankingRule.objects.exists()
    page.screenshot(path=artifact("ranking_error.png"), full_page=True)

    # Lower the red line to 80 %, and the yellow trigger for 不满意 votes to 40 %.
    page.get_by_label("督促名单满意度低于").fill("70")
    page.get_by_label("表扬名单满意度不低于").fill("80")
    page.get_by_label("单月不满意票占比达到").fill("40")
    page.get_by_test_id("save-rule").click()
    expect(page.locator(".alert-success")).to_contain_text("评事考评排行规则已保存")
    expect(red).to_contain_text("钱办理")
    expect(normal).to_contain_text("无")
    expect(yellow).to_contain_text("单月不满意票占比 ≥ 40%(")
    expect(yellow).to_contain_text("月 40.0%、")
    expect(page.get_by_test_id("rule-sentence")).to_contain_text(
        "满意度 ≥ 80% 上表扬名单,< 70% 或单月不满意票占比 ≥ 40% 上督促名单,近 3 个月中至少 2 个月有评议结果"
    )
    assert RankingRule.objects.get().red_min == 80
    page.screenshot(path=artifact("ranking_changed.png"), full_page=True)

    page.get_by_role("button", name="生成评事考评排行公示草稿").click()
    page.wait_for_url(re.compile(r"/publicity/\d+/$"))
    publication = Publication.objects.get()
    assert page.url.endswith(f"/publicity/{publication.pk}/")
    start = add_months(sessions, -2)
    title = f"湖田街道{start.year}年{start.month}月—"
    expect(page.locator("body")).to_contain_text(title)
    expect(page.locator("body")).to_contain_text("已生成评事考评排行公示草稿")
    assert publication.kind == "ranking" and publication.state == "draft"
    assert [e["name"] for e in publication.data["red"]] == ["王**", "钱**"]  # masked when published
    page.screenshot(path=artifact("ranking_publicity.png"), full_page=True)


def test_village_staff_see_the_list_read_only(phone_page, live_server, tree, sessions):
    UserFactory(username="vstaff", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_b, display_name="店子干部")
    login(phone_page, live_server, "vstaff", DEFAULT_PASSWORD)
    phone_page.goto(f"{live_server.url}/evaluation/ranking/")
    expect(phone_page.get_by_test_id("list-red")).to_contain_text("王办理")
    expect(phone_page.get_by_test_id("rule-readonly")).to_contain_text("90%")
    expect(phone_page.get_by_text("规则由街道工作人员设置。")).to_be_visible()
    expect(phone_page.get_by_role("button", name="生成评事考评排行公示草稿")).to_have_count(0)
    expect(phone_page.get_by_role("button", name="保存规则")).to_have_count(0)
    # An earlier month without closed sessions: the empty state.
    phone_page.get_by_label("截止月份").fill("2020-01")
    phone_page.get_by_role("button", name="查看").click()
    expect(phone_page.get_by_test_id("empty")).to_contain_text("2019年11月—2020年1月没有已结束的月度评议")
    phone_page.goto(f"{live_server.url}/evaluation/ranking/")
    phone_page.screenshot(path=artifact("ranking_village_phone.png"), full_page=True)
