"""The standard-address picker of the staff intake form in a real browser at
phone width: a grid worker takes a call, types part of the address, picks a
verified one from the list, and the matter page shows the standard address."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.addresses.models import Address
from grassroots.addresses.states import State as AddressState
from grassroots.addresses.tests.support import room
from grassroots.matters.models import Matter
from grassroots.testing.browser import ARTIFACTS, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("served")]


def htmx_idle(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def test_grid_worker_picks_a_standard_address_on_the_hotline_form(phone_page, live_server, tree):
    UserFactory(username="grid_a1", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    rooms = [room(tree.unit_a1, number, road="幸福路") for number in ("101", "102", "201")]
    Address.objects.filter(pk__in=[a.pk for a in rooms]).update(state=AddressState.VERIFIED)
    other = room(tree.unit_b1, "102", road="幸福路")  # another village: never offered
    Address.objects.filter(pk=other.pk).update(state=AddressState.VERIFIED)

    page = phone_page
    login(page, live_server, "grid_a1", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/intake/hotline/")
    page.get_by_label("标题").fill("楼道灯坏了")
    page.get_by_label("具体情况").fill("三楼楼道灯不亮一周了,晚上很黑。")

    search = page.locator("#id_address_q")
    search.fill("幸福")
    choices = page.get_by_test_id("address-choice")
    expect(choices).to_have_count(3)
    search.fill("102室")
    expect(choices).to_have_count(1)
    htmx_idle(page)
    expect(page.get_by_test_id("address-choices")).not_to_contain_text("店子")
    page.get_by_text("1单元102室").click()
    expect(choices.first).to_be_checked()
    # Enter in the search box searches; it does not send the half-filled form.
    search.press("Enter")
    htmx_idle(page)
    expect(choices.first).to_be_checked()
    expect(page.get_by_test_id("address-empty")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "matters-intake-address-picker-phone.png"), full_page=True)
    page.get_by_test_id("submit").click()

    expect(page.get_by_test_id("standard-address")).to_contain_text("幸福路18号1栋1单元102室")
    matter = Matter.objects.get()
    assert matter.address_id == rooms[1].pk and matter.node_id == tree.unit_a1.pk
