"""The security administrators' grant page, the one-time set-password link and
one's own password change (ADR 0025)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grassroots.accounts.models import RoleGrantRequest
from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/role-grants/"


@pytest.fixture
def people(tree):
    return {
        "sec1": UserFactory(username="sec1", role=Role.SECURITY_ADMIN),
        "sec2": UserFactory(username="sec2", role=Role.SECURITY_ADMIN),
        "sys": UserFactory(username="sys", role=Role.SYSTEM_ADMIN),
        "grid": UserFactory(username="grid", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1),
    }


@pytest.mark.parametrize("who", ["sys", "grid"])
def test_page_only_for_security_admins(client, people, who):
    client.force_login(people[who])
    assert client.get(URL).status_code == 403
    client.post(URL, {"username": "grid", "role": Role.AUDIT_ADMIN, "reason": "x"})
    assert not RoleGrantRequest.objects.exists()


def test_request_then_approve_by_another_with_one_time_link(client, people):
    client.force_login(people["sec1"])
    response = client.post(URL, {"username": "grid", "role": Role.AUDIT_ADMIN, "reason": "审计岗"})
    assert response.status_code == 302
    grant = RoleGrantRequest.objects.get()
    # the requester sees no approve button and cannot approve by posting
    page = client.get(URL).content.decode()
    assert "等待另一名安全管理员审批" in page
    client.post(reverse("accounts:role-grant-approve", args=[grant.pk]))
    assert RoleGrantRequest.objects.get().state == "pending"

    client.force_login(people["sec2"])
    response = client.post(reverse("accounts:role-grant-approve", args=[grant.pk]), {"note": "同意"})
    assert response.status_code == 200
    link = response.context["link"]
    people["grid"].refresh_from_db()
    assert people["grid"].role == Role.AUDIT_ADMIN and not people["grid"].has_usable_password()

    client.logout()
    set_page = client.get(link, follow=True)
    assert set_page.context["validlink"]
    client.post(
        set_page.redirect_chain[-1][0], {"new_password1": "Own-choice-2026", "new_password2": "Own-choice-2026"}
    )
    people["grid"].refresh_from_db()
    assert people["grid"].check_password("Own-choice-2026")
    assert AuditEntry.objects.filter(action="accounts.password_set_by_link", actor_id=people["grid"].pk).exists()
    assert not client.get(link, follow=True).context["validlink"]  # used once


def test_only_one_security_admin_is_told(client, people):
    people["sec2"].is_active = False
    people["sec2"].save()
    client.force_login(people["sec1"])
    assert "create_administrator" in client.get(URL).content.decode()
    response = client.post(URL, {"username": "grid", "role": Role.AUDIT_ADMIN, "reason": "x"})
    assert response.status_code == 400
    assert "另一名安全管理员" in response.content.decode()
    assert not RoleGrantRequest.objects.exists()


def test_navigation_leads_security_admin_to_grants(client, people):
    client.force_login(people["sec1"])
    labels = [item["label"] for item in client.get(reverse("accounts:home")).context["nav_items"]]
    assert "管理员授权" in labels
    client.force_login(people["sys"])
    labels = [item["label"] for item in client.get(reverse("accounts:home")).context["nav_items"]]
    assert "管理员授权" not in labels


def test_own_password_change_needs_old_password_and_is_audited(client, people):
    client.force_login(people["sys"])
    url = reverse("accounts:password-change")
    bad = client.post(
        url, {"old_password": "wrong", "new_password1": "Own-choice-2026", "new_password2": "Own-choice-2026"}
    )
    assert bad.status_code == 200
    ok = client.post(
        url, {"old_password": DEFAULT_PASSWORD, "new_password1": "Own-choice-2026", "new_password2": "Own-choice-2026"}
    )
    assert ok.status_code == 302
    people["sys"].refresh_from_db()
    assert people["sys"].check_password("Own-choice-2026")
    assert AuditEntry.objects.filter(action="accounts.password_change_own", actor_id=people["sys"].pk).exists()
