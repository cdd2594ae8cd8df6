"""The window staff's home page (/accounts/home after login): today's
appointments and the application queue by state, each linking to its page,
at a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from grassroots.registration.models import SlotTemplate
from grassroots.registration.services import appointments as appt
from grassroots.registration.states import State

from . import support_applications as s

pytestmark = pytest.mark.django_db
TUESDAY = datetime.date(2026, 9, 29)


@pytest.fixture
def clock(monkeypatch):
    return s.Clock(monkeypatch)  # Monday 2026-09-28 09:30


def _book(service, slot, name, phone, day=TUESDAY):
    appointment, _token = appt.appointment_book(
        slot=slot, date=day, service=service, name=name, phone=phone, today=datetime.date(2026, 9, 28)
    )
    return appointment


def test_window_home_shows_todays_appointments_and_queue_counts(client, clock, django_assert_max_num_queries):
    services = s.services()
    window = s.staff()
    nine = SlotTemplate.objects.get(start_time=datetime.time(9, 0))
    ten = SlotTemplate.objects.get(start_time=datetime.time(10, 0))
    _book(services["pne-establish"], ten, "王秀兰", "13800138001")
    _book(services["pne-establish"], nine, "李建国", "13800138002")
    _book(services["pne-establish"], nine, "张明", "13800138003", day=datetime.date(2026, 9, 30))  # not today
    s.submitted()
    s.submitted(org_name="淄博高新区合唱团")
    s.accepted(window, org_name="淄博高新区书画院")
    s.draft()  # an applicant's own draft is not in the queue
    clock.day(TUESDAY)
    client.force_login(window)

    # Session, user, unread messages, today's appointments, the queue counts, …: 8 measured;
    # plus the party panel's one question (is this user a party member? ADR 0043).
    with django_assert_max_num_queries(9):
        response = client.get(reverse("accounts:home"))
    html = response.content.decode()
    home = response.context["window"]
    assert [a.name for a in home.appointments] == ["李建国", "王秀兰"]  # by time, today only
    assert 'data-testid="today-appointments-count">2<' in html
    assert "王**" in html and "王秀兰" not in html  # names masked as on the calendar
    counts = {item.label: (item.count, item.url) for item in home.queue}
    assert counts[State.SUBMITTED.label] == (2, "/registration/applications/?state=submitted")
    assert counts[State.ACCEPTED.label] == (1, "/registration/applications/?state=accepted")
    assert counts[State.RETURNED.label][0] == 0
    assert counts["初审逾期"] == (0, "/registration/applications/?overdue=review")
    assert 'href="/registration/applications/?state=submitted"' in html
    assert 'href="/registration/appointments/?view=day&amp;date=2026-09-29"' in html
    assert "尚未分配辖区" not in html  # registration is not tree-scoped (ADR 0011)


def test_window_home_without_appointments_says_so(client, clock):
    s.services()
    client.force_login(s.staff())
    html = client.get(reverse("accounts:home")).content.decode()
    assert "今天没有预约" in html
    assert 'data-testid="application-counts"' in html


def test_other_roles_do_not_get_the_window_panel(client, tree, make_user):
    client.force_login(make_user("village_staff", tree.village_a))
    response = client.get(reverse("accounts:home"))
    assert response.context["window"] is None
    assert 'data-testid="application-counts"' not in response.content.decode()
