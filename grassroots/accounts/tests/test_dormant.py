"""Dormant accounts (ADR 0059): the daily job, the command, the security
administrator's page and re-enabling with a reason."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts import demo, services
from grassroots.accounts.errors import AccountInvalid, AccountRuleDenied
from grassroots.accounts.models import User
from grassroots.accounts.policy.dormant import (
    dormant_account_list,
    dormant_account_reactivate,
    dormant_accounts_disable,
)
from grassroots.accounts.roles import Role
from grassroots.accounts.tasks import disable_dormant_accounts
from grassroots.core.models import AuditEntry
from grassroots.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:dormant")


def _ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def accounts(tree):
    make = UserFactory
    people = {
        "sec": make(username="sec", role=Role.SECURITY_ADMIN, jurisdiction=tree.subdistrict),
        "sys": make(username="sys", role=Role.SYSTEM_ADMIN, jurisdiction=tree.subdistrict, is_staff=True),
        "old": make(username="old", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1),
        "recent": make(username="recent", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1),
        "never": make(username="never", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a),
        "fresh": make(username="fresh", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a),
        "root": make(username="root", role="", is_superuser=True),
    }
    User.objects.filter(pk=people["old"].pk).update(last_login=_ago(91), date_joined=_ago(400))
    User.objects.filter(pk=people["recent"].pk).update(last_login=_ago(89), date_joined=_ago(400))
    User.objects.filter(pk=people["never"].pk).update(last_login=None, date_joined=_ago(120))
    User.objects.filter(pk=people["fresh"].pk).update(last_login=None, date_joined=_ago(3))
    User.objects.filter(pk=people["root"].pk).update(last_login=_ago(500), date_joined=_ago(500))
    for key in ("sec", "sys"):
        User.objects.filter(pk=people[key].pk).update(last_login=_ago(1))
    return people


def _active(user: User) -> bool:
    user.refresh_from_db()
    return user.is_active


def test_task_disables_only_dormant_accounts(accounts, settings):
    assert settings.ACCOUNT_DORMANT_DAYS == 90
    assert disable_dormant_accounts() == 2
    assert not _active(accounts["old"]) and not _active(accounts["never"])
    assert _active(accounts["recent"]) and _active(accounts["fresh"]) and _active(accounts["sec"])
    assert _active(accounts["root"])  # the operators' command-line accounts are not touched
    assert accounts["old"].dormant_disabled_at is not None
    rows = AuditEntry.objects.filter(action="accounts.dormant_disable")
    assert {row.object_id for row in rows} == {str(accounts["old"].pk), str(accounts["never"].pk)}
    assert all(row.actor_id is None for row in rows)
    # Idempotent: the next run finds nothing.
    assert dormant_accounts_disable() == []


def test_a_fresh_demo_is_not_disabled(tree, monkeypatch):
    # The demo's accounts never logged in (last_login None): counted from their creation.
    monkeypatch.setattr(demo, "_node_for", lambda where, subdistrict: subdistrict)
    users = demo.ensure_demo_users()
    assert len(users) == len(demo.DEMO_ACCOUNTS) and all(u.last_login is None for u in users)
    assert dormant_accounts_disable() == []
    assert User.objects.filter(username__in=[u.username for u in users], is_active=True).count() == len(users)


def test_command_dry_run_changes_nothing_then_disables(accounts):
    out = StringIO()
    call_command("disable_dormant_accounts", "--dry-run", stdout=out)
    assert "old" in out.getvalue() and "never" in out.getvalue() and "2 个" in out.getvalue()
    assert _active(accounts["old"])
    out = StringIO()
    call_command("disable_dormant_accounts", stdout=out)
    assert "已停用" in out.getvalue() and not _active(accounts["old"])


def test_task_is_on_the_daily_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["accounts-disable-dormant"]
    assert entry["task"] == "grassroots.accounts.tasks.disable_dormant_accounts"


def test_security_admin_sees_the_list_with_last_login_and_date(client, accounts):
    dormant_accounts_disable()
    client.force_login(accounts["sec"])
    response = client.get(PAGE)
    body = response.content.decode()
    assert response.status_code == 200
    assert f'data-testid="dormant-{accounts["old"].pk}"' in body
    assert f'data-testid="dormant-{accounts["recent"].pk}"' not in body
    assert "从未登录" in body  # `never`
    accounts["old"].refresh_from_db()
    assert accounts["old"].last_login.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d") in body


def test_reactivate_with_reason_is_audited_and_survives_the_next_run(client, accounts):
    dormant_accounts_disable()
    client.force_login(accounts["sec"])
    url = reverse("accounts:dormant-reactivate", args=[accounts["old"].pk])
    response = client.post(url, {"reason": "本人休假返岗,科室负责人确认"})
    assert response.status_code == 302
    assert _active(accounts["old"]) and accounts["old"].dormant_disabled_at is None
    entry = AuditEntry.objects.get(action="accounts.dormant_reactivate")
    assert entry.actor_id == accounts["sec"].pk and entry.detail["reason"] == "本人休假返岗,科室负责人确认"
    assert accounts["old"].pk not in dormant_accounts_disable()
    assert len(re.findall(r'data-testid="dormant-\d+"', client.get(PAGE).content.decode())) == 1  # `never` only


@pytest.mark.parametrize("reason", ["", "  ", "返岗"])
def test_reactivate_without_a_reason_is_refused(client, accounts, reason):
    dormant_accounts_disable()
    client.force_login(accounts["sec"])
    response = client.post(reverse("accounts:dormant-reactivate", args=[accounts["old"].pk]), {"reason": reason})
    assert response.status_code == 400
    assert "理由" in response.content.decode()
    assert not _active(accounts["old"])
    assert not AuditEntry.objects.filter(action="accounts.dormant_reactivate").exists()


def test_reactivating_an_active_account_is_404(client, accounts):
    client.force_login(accounts["sec"])
    response = client.post(
        reverse("accounts:dormant-reactivate", args=[accounts["recent"].pk]), {"reason": "无故启用测试"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["sys", "recent"])
def test_other_roles_cannot_list_or_reactivate(client, accounts, who):
    dormant_accounts_disable()
    client.force_login(accounts[who])
    assert client.get(PAGE).status_code == 403
    url = reverse("accounts:dormant-reactivate", args=[accounts["old"].pk])
    assert client.post(url, {"reason": "越权启用测试"}).status_code == 403
    assert not _active(accounts["old"])


def test_service_refuses_other_roles_with_an_audited_denial(accounts):
    dormant_accounts_disable()
    with pytest.raises(AccountRuleDenied):
        dormant_account_list(actor=accounts["sys"])
    with pytest.raises(AccountRuleDenied):
        dormant_account_reactivate(actor=accounts["sys"], account=accounts["old"], reason="越权启用测试")
    assert AuditEntry.objects.filter(action="access.denied", actor_id=accounts["sys"].pk).count() == 2
    with pytest.raises(AccountInvalid):
        dormant_account_reactivate(actor=accounts["sec"], account=accounts["old"], reason="短")


def test_system_admin_activation_also_resets_the_dormant_clock(accounts):
    dormant_accounts_disable()
    services.account_set_active(actor=accounts["sys"], account=accounts["old"], active=True)
    assert _active(accounts["old"]) and accounts["old"].dormant_disabled_at is None
    assert accounts["old"].pk not in dormant_accounts_disable()
    assert AuditEntry.objects.filter(action="accounts.activate", object_id=str(accounts["old"].pk)).exists()


def test_list_query_count_is_bounded(client, accounts, django_assert_max_num_queries):
    dormant_accounts_disable()
    client.force_login(accounts["sec"])
    with django_assert_max_num_queries(8):
        assert client.get(PAGE).status_code == 200
