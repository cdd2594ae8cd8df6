"""The mediation centre's other staff pages in a real browser: a mediator's
own work list (我的案件), the 1+1+N team page where the centre assigns a
grid's legal adviser and sets up a committee, and taking a matter over from
the matter page (转调解中心)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.matters.models import MatterEvent
from grassroots.matters.tests.staff_setup import accepted, new_matter, seed_categories
from grassroots.mediation.models import Committee, DisputeCase, GridAdviser, PartySide, Source
from grassroots.mediation.services import sessions
from grassroots.mediation.states import State
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, build_small_tree

from .conftest import build_centre, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree(transactional_db):
    seed_categories()
    return build_small_tree()


@pytest.fixture
def centre(tree):
    return build_centre(tree)


def test_mediator_sees_own_cases_and_coming_session(phone_page, live_server, centre):
    mine = make_case(centre, State.MEDIATING, title="楼上漏水殃及楼下")
    make_case(centre, State.REGISTERED, title="停车位纠纷")  # no team yet: not the mediator's
    make_case(centre, State.CLOSED, title="已结的案子")
    sessions.session_schedule(
        actor=centre.mediator,
        case=mine,
        scheduled_at=timezone.now() + datetime.timedelta(days=1),
        place="调解中心第二调解室",
    )
    page = phone_page
    login(page, live_server, "mediator", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/mediation/")
    page.get_by_role("link", name="我的案件").click()
    expect(page.get_by_role("heading", name="我的调解工作")).to_be_visible()
    rows = page.get_by_test_id("case-row")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("楼上漏水殃及楼下")
    expect(rows).to_contain_text(mine.number)
    expect(page.get_by_test_id("my-cases")).not_to_contain_text("停车位纠纷")
    expect(page.get_by_test_id("my-cases")).not_to_contain_text("已结的案子")
    expect(page.get_by_test_id("my-sessions")).to_contain_text("调解中心第二调解室")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=artifact("h6_mediation_mine_phone.png"), full_page=True)
    page.get_by_test_id("my-sessions").get_by_role("link").click()
    expect(page.get_by_test_id("case-state")).to_have_text("调解中")
    assert page.url.endswith(f"/mediation/cases/{mine.pk}/")


def test_manager_assigns_grid_adviser_and_sets_up_a_committee(page, live_server, centre):
    make_case(centre, State.MEDIATING)
    login(page, live_server, "street", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/mediation/")
    page.get_by_role("link", name="1+1+N 团队").click()
    expect(page.get_by_role("heading", name="1+1+N 调解团队")).to_be_visible()
    expect(page.get_by_test_id("workload-row").filter(has_text="刘调解")).to_contain_text("1")
    advisers = page.get_by_test_id("grid-adviser-table")
    expect(advisers).to_contain_text("第1网格 · 陈律师")
    expect(page.get_by_text("已配 1 / 4 个网格")).to_be_visible()

    page.locator("#id_ga_grid").select_option(label="西张村 / 第2网格")
    page.locator("#id_ga_adviser").select_option(label="李律师")
    page.get_by_test_id("assign-adviser").click()
    expect(page.locator(".alert-success")).to_contain_text("网格法律顾问已指派。")
    expect(advisers).to_contain_text("第2网格 · 李律师")
    expect(page.get_by_text("已配 2 / 4 个网格")).to_be_visible()
    assert GridAdviser.objects.filter(grid=centre.tree.grid_a2, adviser=centre.adviser2).exists()

    page.get_by_label("调委会名称").fill("湖田街道人民调解委员会")
    page.get_by_label("所在辖区").select_option(label="店子社区")
    page.get_by_role("button", name="设立").click()
    expect(page.get_by_test_id("field-error")).to_contain_text("已有同名的调委会。")
    page.get_by_label("调委会名称").fill("店子社区人民调解委员会")
    page.get_by_role("button", name="设立").click()
    expect(page.locator(".alert-success")).to_contain_text("调委会已设立。")
    expect(page.get_by_test_id("committees")).to_contain_text("店子社区人民调解委员会")
    assert Committee.objects.get(name="店子社区人民调解委员会").node_id == centre.tree.village_b.pk
    page.screenshot(path=artifact("h6_mediation_teams.png"), full_page=True)


def test_manager_takes_a_matter_over_from_the_matter_page(page, live_server, centre):
    matter = accepted(
        new_matter(
            centre.tree.unit_a1,
            title="邻居装修噪音纠纷",
            description="楼上装修每天早上七点开工,多次协商无果,双方发生口角。",
        ),
        centre.manager,
    )
    login(page, live_server, "street", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/matters/{matter.pk}/")
    page.get_by_test_id("transfer-to-mediation").click()
    expect(page.get_by_role("heading", name="转入一站式矛盾纠纷调解中心")).to_be_visible()
    expect(page.locator("main")).to_contain_text("邻居装修噪音纠纷")
    page.get_by_label("纠纷类型").select_option(label="邻里纠纷")
    page.get_by_label("风险等级").select_option(label="中")
    page.get_by_label("有激化风险").check()
    page.screenshot(path=artifact("h6_mediation_transfer.png"), full_page=True)
    page.get_by_test_id("confirm-transfer").click()

    case = DisputeCase.objects.get()
    expect(page.locator(".alert-success")).to_contain_text(f"已转入调解中心,案号 {case.number}。")
    expect(page.get_by_test_id("case-state")).to_have_text("待受理")
    assert page.url.endswith(f"/mediation/cases/{case.pk}/")
    assert case.source == Source.MATTER and case.source_matter_id == matter.pk
    assert case.escalation_risk is True and case.risk_level == "medium"
    assert case.parties.filter(side=PartySide.APPLICANT).count() == 1
    assert MatterEvent.objects.filter(matter=matter, text=f"已转一站式矛盾纠纷调解中心,案号 {case.number}").exists()

    # The matter page now links to the case; the transfer page says it is done.
    page.goto(f"{live_server.url}/matters/{matter.pk}/")
    expect(page.get_by_test_id("dispute-link")).to_contain_text(case.number)
    page.goto(f"{live_server.url}/mediation/transfer/{matter.pk}/")
    expect(page.get_by_test_id("already-transferred")).to_contain_text(case.number)
    assert DisputeCase.objects.count() == 1
