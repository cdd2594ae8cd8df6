"""Staff record a resident's channel preference on the resident's page in a
real browser (ADR 0056)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.core.notifications.preferences import contact_preference
from grassroots.testing.browser import ARTIFACTS, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree(transactional_db):
    return build_small_tree()


def test_staff_record_that_a_resident_wants_no_messages(page, live_server, tree):
    page.set_default_timeout(60_000)  # the shared test machine can be slow
    UserFactory(username="village1", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)
    login(page, live_server, "village1", DEFAULT_PASSWORD)
    resident = tree.resident_a1
    page.goto(f"{live_server.url}/regions/residents/{resident.pk}/")
    page.get_by_test_id("preference-choice").select_option(label="不接收")
    page.get_by_test_id("preference-submit").click()
    expect(page.get_by_text("接收方式已保存。")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("preference-choice")).to_have_value("none")
    page.screenshot(path=str(ARTIFACTS / "resident-preference.png"), full_page=True)
    assert contact_preference(phone=resident.phone) == "none"
