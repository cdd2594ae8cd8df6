"""A referral in a real browser: the grid worker refers a dispute from the
matter page on a phone; the centre accepts it; the mediator on the case reads
the original matter's facts there, without being sent to a page they may not
open."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from grassroots.mediation.models import DisputeCase, DisputeReferral
from grassroots.mediation.services import teams
from grassroots.testing.browser import ARTIFACTS, login
from grassroots.testing.factories import DEFAULT_PASSWORD, build_small_tree

from .conftest import build_centre
from .test_transfer import make_matter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree(transactional_db):
    return build_small_tree()


@pytest.fixture
def centre(tree):
    return build_centre(tree)


def test_grid_worker_refers_centre_accepts_mediator_reads_facts(phone_page, page, live_server, centre):
    matter = make_matter(centre)

    # The grid worker, on a phone.
    login(phone_page, live_server, "grid", DEFAULT_PASSWORD)
    phone_page.goto(f"{live_server.url}/matters/{matter.pk}/")
    phone_page.get_by_test_id("refer-to-mediation").click()
    phone_page.get_by_label("纠纷类型").select_option("neighbour")
    phone_page.get_by_label("转介说明").fill("楼上漏水三个月,网格员两次上门协调未果,双方同意由调解中心调解。")
    phone_page.get_by_label("对方当事人").fill("王五")
    phone_page.get_by_label("对方联系电话").fill("13912345678")
    ARTIFACTS.mkdir(exist_ok=True)
    phone_page.screenshot(path=str(ARTIFACTS / "mediation-referral-form-phone.png"), full_page=True)
    phone_page.get_by_test_id("submit-refer").click()
    expect(phone_page.get_by_test_id("referral-pending")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"页面在手机上横向溢出({width}px)"
    referral = DisputeReferral.objects.get()

    # The centre accepts it.
    login(page, live_server, "street", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/mediation/")
    page.get_by_test_id("pending-referrals").get_by_role("link", name=matter.title).click()
    expect(page.get_by_test_id("matter-facts")).to_contain_text("王五")
    page.get_by_label("风险等级").select_option("medium")
    page.get_by_test_id("submit-accept-referral").click()
    expect(page.get_by_test_id("case-state")).to_have_text("待受理")
    case = DisputeCase.objects.get()
    assert DisputeReferral.objects.get(pk=referral.pk).case == case
    # The reporter and the other party the grid worker named are both there: it can be accepted at once.
    card = page.get_by_test_id("action-accept")
    if card.get_attribute("open") is None:
        card.locator("summary").click()
    card.get_by_test_id("submit-accept").click()
    expect(page.get_by_test_id("case-state")).to_have_text("已受理")
    case.refresh_from_db()
    teams.dispute_assign_team(
        actor=centre.manager,
        case=case,
        committee=centre.committee,
        legal_adviser=centre.adviser,
        mediators=[centre.mediator],
    )

    # The mediator reads the matter's facts on the case page; there is no link to the matter page.
    page.context.clear_cookies()
    login(page, live_server, "mediator", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/mediation/cases/{case.pk}/")
    facts = page.get_by_test_id("matter-facts")
    expect(facts.get_by_test_id("matter-title")).to_have_text(matter.title)
    expect(facts.get_by_test_id("matter-place")).to_have_text("湖田街道 / 西张村 / 第1网格")
    expect(facts.get_by_test_id("matter-reporter-phone")).to_have_text("138****0000")
    expect(facts.get_by_test_id("matter-referral")).to_contain_text("网格员两次上门协调未果")
    expect(page.get_by_test_id("open-matter")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "mediation-case-matter-facts.png"), full_page=True)

    # And the grid worker sees the case number on the matter, not a link into the centre.
    phone_page.reload()
    expect(phone_page.get_by_test_id("dispute-number")).to_contain_text(case.number)
