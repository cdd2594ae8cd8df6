"""Revealing personal data (ADR 0009, ADR 0019): only the security
administrator holds the capability; reveals are throttled per user (a refusal
is audited and explained in Chinese); a burst alerts the security
administrators once per burst window. Through the service, the page and the
API."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from grassroots.accounts.reveals import Rate, parse_rates
from grassroots.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from grassroots.core.errors import PermissionDenied, TooManyRequests
from grassroots.core.models import AuditEntry, Notification
from grassroots.regions.personal_data import resident_reveal

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self, monkeypatch):
        # On a boundary of every window (minute, 10 minutes, hour): fixed windows start here.
        self.now = datetime.datetime(2026, 11, 30, 2, 0, tzinfo=datetime.UTC)
        monkeypatch.setattr("grassroots.accounts.reveals.timezone.now", lambda: self.now)

    def tick(self, seconds: float) -> None:
        self.now += datetime.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def alerts():
    return Notification.objects.filter(channel=Notification.Channel.IN_APP, subject__contains="查看个人信息")


# --- Roles ---------------------------------------------------------------------------------


def test_only_the_security_administrator_may_reveal():
    holders = {role for role, caps in ROLE_CAPABILITIES.items() if Capability.REVEAL_PERSONAL_DATA in caps}
    assert holders == {Role.SECURITY_ADMIN}


@pytest.mark.parametrize("role", [Role.SUBDISTRICT_STAFF, Role.VILLAGE_STAFF, Role.GRID_WORKER, Role.SYSTEM_ADMIN])
def test_other_roles_are_refused_and_audited(tree, make_user, role):
    user = make_user(role, tree.subdistrict)
    with pytest.raises(PermissionDenied):
        resident_reveal(actor=user, resident=tree.resident_a1, reason="核实")
    assert AuditEntry.objects.filter(action="data.reveal", actor_id=user.pk, result="denied").count() == 1


def test_subdistrict_staff_see_no_reveal_form_and_the_post_is_refused(client, tree, make_user):
    client.force_login(make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict))
    page = client.get(f"/regions/residents/{tree.resident_a1.pk}/").content.decode()
    assert 'data-testid="reveal"' not in page
    response = client.post(f"/regions/residents/{tree.resident_a1.pk}/reveal/", {"reason": "核实"})
    assert response.status_code == 403
    assert tree.resident_a1.id_number not in response.content.decode()


# --- Rates ----------------------------------------------------------------------------------


def test_parse_rates():
    assert parse_rates("5/m, 30/h,100/d") == [
        Rate(5, 60, "每分钟"),
        Rate(30, 3600, "每小时"),
        Rate(100, 86400, "每天"),
    ]
    assert parse_rates("10/10m") == [Rate(10, 600, "每 10 分钟")]
    assert parse_rates("3/30s") == [Rate(3, 30, "每 30 秒")]
    for bad in ("", "5", "x/m", "5/y", "0/m", "5/0m"):
        with pytest.raises(ValueError, match="reveal rate"):
            parse_rates(bad)


# --- Throttle -------------------------------------------------------------------------------


@override_settings(REVEAL_RATES="3/m,5/h", REVEAL_BURST="50/h")
def test_reveals_past_the_limit_are_refused_audited_and_resume_later(tree, make_user, clock):
    admin = make_user(Role.SECURITY_ADMIN, tree.subdistrict)
    for _ in range(3):
        assert resident_reveal(actor=admin, resident=tree.resident_a1, reason="核实")["id_number"]
        clock.tick(5)
    with pytest.raises(TooManyRequests) as refused:
        resident_reveal(actor=admin, resident=tree.resident_a1, reason="核实")
    assert refused.value.status == 429
    assert "每分钟最多 3 次" in refused.value.message and "已记入审计日志" in refused.value.message
    entry = AuditEntry.objects.filter(action="data.reveal", result="denied").get()
    assert entry.actor_id == admin.pk and entry.detail["throttled"] == "3/m" and entry.detail["reason"] == "核实"
    assert AuditEntry.objects.filter(action="data.reveal", result="success").count() == 3

    clock.tick(60)  # a new minute: two more fit in the hour
    for _ in range(2):
        resident_reveal(actor=admin, resident=tree.resident_a1, reason="核实")
    with pytest.raises(TooManyRequests) as refused:
        resident_reveal(actor=admin, resident=tree.resident_a1, reason="核实")
    assert "每小时最多 5 次" in refused.value.message


@override_settings(REVEAL_RATES="2/m", REVEAL_BURST="50/h")
def test_the_limit_is_per_user(tree, make_user, clock):
    first = make_user(Role.SECURITY_ADMIN, tree.subdistrict)
    second = make_user(Role.SECURITY_ADMIN, tree.subdistrict)
    for _ in range(2):
        resident_reveal(actor=first, resident=tree.resident_a1, reason="核实")
    with pytest.raises(TooManyRequests):
        resident_reveal(actor=first, resident=tree.resident_a1, reason="核实")
    assert resident_reveal(actor=second, resident=tree.resident_a1, reason="核实")["id_number"]


@override_settings(REVEAL_RATES="2/m", REVEAL_BURST="50/h")
def test_the_page_answers_429_with_a_chinese_message(client, tree, make_user, clock):
    client.force_login(make_user(Role.SECURITY_ADMIN, tree.subdistrict))
    url = f"/regions/residents/{tree.resident_a1.pk}/reveal/"
    assert client.post(url, {"reason": "核实"}).status_code == 200
    assert client.post(url, {"reason": "核实"}).status_code == 200
    response = client.post(url, {"reason": "核实"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "过于频繁" in body and "每分钟最多 2 次" in body
    assert tree.resident_a1.id_number not in body


@override_settings(REVEAL_RATES="2/m", REVEAL_BURST="50/h")
def test_the_api_answers_a_429_problem(tree, make_user, clock):
    api = APIClient()
    api.force_authenticate(make_user(Role.SECURITY_ADMIN, tree.subdistrict))
    url = f"/api/v1/residents/{tree.resident_a1.pk}/reveal"
    for _ in range(2):
        assert api.post(url, {"reason": "核实"}, format="json").status_code == 200
    response = api.post(url, {"reason": "核实"}, format="json")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "reveal_throttled" and "每分钟最多 2 次" in body["detail"]
    assert "id_number" not in body


@override_settings(REVEAL_RATES="2/m", REVEAL_BURST="50/h")
def test_mediation_party_reveals_count_against_the_same_limit(tree, make_user, clock):
    from grassroots.mediation.personal_data import party_reveal
    from grassroots.mediation.states import State
    from grassroots.mediation.tests.conftest import build_centre

    centre = build_centre(tree)
    party = centre.case(State.MEDIATING).parties.get(name="王五")
    resident_reveal(actor=make_user(Role.SECURITY_ADMIN, tree.subdistrict), resident=tree.resident_a1, reason="x")
    for _ in range(2):
        party_reveal(actor=centre.mediator, party=party, reason="制作调解协议")
    with pytest.raises(TooManyRequests):
        party_reveal(actor=centre.mediator, party=party, reason="制作调解协议")


# --- Burst alert ------------------------------------------------------------------------------


@override_settings(REVEAL_RATES="100/m", REVEAL_BURST="5/10m")
def test_a_burst_alerts_every_security_administrator_once_per_window(tree, make_user, clock):
    admin = make_user(Role.SECURITY_ADMIN, tree.subdistrict, display_name="吴安全")
    other_admin = make_user(Role.SECURITY_ADMIN, None)
    elsewhere = make_user(Role.SECURITY_ADMIN, tree.village_b)  # does not cover the actor
    retired = make_user(Role.SECURITY_ADMIN, tree.subdistrict, is_active=False)
    street = make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict)
    auditor = make_user(Role.AUDIT_ADMIN, tree.subdistrict)
    mediator = make_user(Role.MEDIATOR, tree.village_a, display_name="赵调解")

    from grassroots.mediation.personal_data import party_reveal
    from grassroots.mediation.states import State
    from grassroots.mediation.tests.conftest import build_centre

    party = build_centre(tree).case(State.MEDIATING).parties.get(name="王五")
    for _ in range(4):
        with pytest.raises(PermissionDenied):  # refused attempts count as well
            party_reveal(actor=mediator, party=party, reason="看看")
    assert not alerts().exists()
    with pytest.raises(PermissionDenied):
        party_reveal(actor=mediator, party=party, reason="看看")
    recipients = set(alerts().values_list("recipient_id", flat=True))
    assert recipients == {admin.pk, other_admin.pk}
    assert {elsewhere.pk, retired.pk, street.pk, auditor.pk}.isdisjoint(recipients)
    note = alerts().filter(recipient=admin).get()
    assert "赵调解" in note.body and "5 次" in note.body and "10 分钟" in note.body

    for _ in range(10):  # the same window: no second alert
        with pytest.raises(PermissionDenied):
            party_reveal(actor=mediator, party=party, reason="看看")
    assert alerts().count() == 2

    clock.tick(600)  # the next window: a new burst alerts again
    for _ in range(5):
        with pytest.raises(PermissionDenied):
            party_reveal(actor=mediator, party=party, reason="看看")
    assert alerts().count() == 4


@override_settings(REVEAL_RATES="100/m", REVEAL_BURST="3/10m")
def test_a_burst_by_a_security_administrator_alerts_the_others_and_the_audit_administrator(tree, make_user, clock):
    actor = make_user(Role.SECURITY_ADMIN, tree.subdistrict)
    colleague = make_user(Role.SECURITY_ADMIN, tree.subdistrict)
    auditor = make_user(Role.AUDIT_ADMIN, tree.subdistrict)
    for _ in range(3):
        resident_reveal(actor=actor, resident=tree.resident_a1, reason="核实")
    assert set(alerts().values_list("recipient_id", flat=True)) == {actor.pk, colleague.pk, auditor.pk}


@override_settings(REVEAL_RATES="5/m", REVEAL_BURST="10/10m")
def test_the_incident_sixty_reveals_in_seconds(client, tree, make_user, clock):
    """The issue: subdistrict staff revealed 60 ID numbers and phones in 6.6 s.
    Now they cannot reveal at all, and a security administrator doing the
    same gets 5 and is stopped; the burst is reported."""
    street = make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict)
    admin = make_user(Role.SECURITY_ADMIN, tree.subdistrict)
    url = f"/regions/residents/{tree.resident_a1.pk}/reveal/"
    client.force_login(street)
    assert {client.post(url, {"reason": "批量"}).status_code for _ in range(30)} == {403}
    client.force_login(admin)
    statuses = []
    for _ in range(30):
        statuses.append(client.post(url, {"reason": "批量"}).status_code)
        clock.tick(0.1)
    assert statuses.count(200) == 5 and statuses.count(429) == 25
    assert AuditEntry.objects.filter(action="data.reveal", result="success").count() == 5
    assert AuditEntry.objects.filter(action="data.reveal", result="denied").count() == 55
    assert alerts().filter(body__contains=street.display_name).exists()
    assert alerts().filter(body__contains=admin.display_name).exists()
