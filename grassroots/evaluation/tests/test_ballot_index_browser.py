"""The public list of appraisal boards (/ballot/) in a real phone-sized
browser: only closed sessions are listed, newest month first, and each
opens its board with the ballots and the tally."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from grassroots.evaluation.models import AppraisalSession
from grassroots.evaluation.states import State
from grassroots.testing.browser import artifact
from grassroots.testing.factories import build_small_tree

from .test_ranking import closed_session, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree(transactional_db):
    return build_small_tree()


def test_resident_finds_a_closed_board_from_the_list(phone_page, live_server, tree):
    wang = person("王办理", tree.village_a)
    sun = person("孙办理", tree.village_b)
    october = closed_session(tree.village_a, datetime.date(2026, 10, 1), [(wang, (5, 1, 0))])
    closed_session(tree.village_b, datetime.date(2026, 9, 1), [(sun, (4, 1, 1))])
    closed_session(tree.village_a, datetime.date(2026, 11, 1), [(wang, (1, 0, 0))], state=State.FROZEN)

    page = phone_page
    page.goto(f"{live_server.url}/ballot/")
    expect(page.get_by_role("heading", name="月度评议公示")).to_be_visible()
    links = page.locator(".list-group a")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_contain_text("西张村2026年10月评议")
    expect(links.nth(1)).to_contain_text("店子社区2026年09月评议")
    expect(page.locator("main")).not_to_contain_text("2026年11月")  # still voting: not public yet
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=artifact("h6_ballot_index_phone.png"), full_page=True)

    links.nth(0).click()
    assert page.url.endswith(f"/ballot/{october.pk}/board")
    ballots = page.get_by_test_id("ballots")
    for tracker in (f"T{i:07d}" for i in range(6)):
        expect(ballots).to_contain_text(tracker)
    expect(page.get_by_test_id("tally")).to_contain_text("王办理")
    assert AppraisalSession.objects.filter(state=State.CLOSED).count() == 2
