"""In a phone-sized browser: a resident finds registration from the platform's
home page, moves between its public pages with the one menu bar, and window
staff land on a home page with today's appointments and the queue counts."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from grassroots.registration.models import SlotTemplate
from grassroots.registration.services import appointments as appt
from grassroots.registration.services.seed import seed_catalogue
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD

from . import support_applications as s

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_finds_registration_from_the_home_page(phone_page, live_server):
    seed_catalogue()
    page = phone_page
    page.goto(f"{live_server.url}/")
    page.get_by_test_id("cta-registration").click()
    expect(page).to_have_url(f"{live_server.url}/socialorg/")
    expect(page.get_by_role("heading", name="社会组织登记服务")).to_be_visible()
    nav = page.get_by_test_id("registration-public-nav")
    expect(nav.locator(".nav-link.active")).to_have_text("服务首页")
    page.screenshot(path=artifact("registration-home-phone.png"), full_page=True)
    page.get_by_test_id("home-notice").click()
    expect(page).to_have_url(f"{live_server.url}/socialorg/notice/")
    expect(page.get_by_test_id("registration-public-nav").locator(".nav-link.active")).to_have_text("办事须知")
    # The same bar on the directory: a tap reaches another part.
    page.get_by_test_id("registration-public-nav").get_by_role("link", name="登记目录").click()
    expect(page).to_have_url(f"{live_server.url}/socialorg/directory/")
    expect(page.get_by_test_id("registration-public-nav").locator(".nav-link.active")).to_have_text("登记目录")


def test_window_staff_home_on_a_phone(phone_page, live_server, monkeypatch):
    clock = s.Clock(monkeypatch)  # Monday 2026-09-28
    services = s.services()
    s.staff("window1")
    nine = SlotTemplate.objects.get(start_time=datetime.time(9, 0))
    appt.appointment_book(
        slot=nine,
        date=datetime.date(2026, 9, 29),
        service=services["pne-establish"],
        name="王秀兰",
        phone="13800138001",
        today=datetime.date(2026, 9, 28),
    )
    s.submitted()
    clock.day(datetime.date(2026, 9, 29), hour=8)
    page = phone_page
    login(page, live_server, "window1", DEFAULT_PASSWORD)
    expect(page.get_by_test_id("today-appointments")).to_contain_text("09:00")
    expect(page.get_by_test_id("today-appointments")).to_contain_text("王**")
    counts = page.get_by_test_id("application-counts")
    expect(counts).to_contain_text("已提交待初审")
    page.screenshot(path=artifact("registration-window-home-phone.png"), full_page=True)
    counts.get_by_role("link").filter(has_text="已提交待初审").click()
    expect(page).to_have_url(f"{live_server.url}/registration/applications/?state=submitted")
    expect(page.get_by_test_id("queue-row")).to_have_count(1)
    expect(page.get_by_test_id("registration-staff-nav").locator(".nav-link.active")).to_contain_text("登记申请")
