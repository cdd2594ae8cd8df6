"""Done-when of issue 20: an administrator without a second factor cannot
reach any administrator page. For every URL pattern that one of the roles
needing two factors may use (the access policy, ADR 0030), each such role's
session without a device is sent to enrolment (pages) or refused with 403
(API), and with a device but no code to the verify page; nothing is written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.accounts.twofactor.middleware import OPEN_NAMES
from grassroots.core.tests.access_policy import POLICY
from grassroots.testing.access import Access
from grassroots.testing.access_world import World, build_world

from .twofactor_helpers import enrol

REQUIRED = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.SUBDISTRICT_STAFF)
# Every page those roles may use, except the ones that let a session pass the second factor.
GUARDED = sorted(
    key for key, rule in POLICY.items() if not rule.public and set(rule.roles) & set(REQUIRED) and key not in OPEN_NAMES
)
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _url(key: str, rule: Access, world: World) -> str:
    kwargs = rule.kwargs(world, "a") if rule.kwargs else {}
    target = rule.path.format(**kwargs) if rule.path else reverse(key, kwargs=kwargs)
    return target + (f"?{rule.query}" if rule.query else "")


def test_the_list_covers_every_administrator_page() -> None:
    assert set(REQUIRED) <= set(settings.TWO_FACTOR_REQUIRED_ROLES)
    assert "audit-log" in GUARDED and "accounts:role-grants" in GUARDED and "admin:index" in GUARDED
    assert "accounts:two-factor-accounts" in GUARDED and len(GUARDED) > 100


@pytest.mark.django_db
@pytest.mark.parametrize("key", GUARDED)
def test_no_administrator_page_without_the_second_factor(key: str, world: World, settings: Any) -> None:
    settings.TWO_FACTOR_ENFORCED = True
    rule = POLICY[key]
    url = _url(key, rule, world)
    enrol_url, verify_url = reverse("accounts:two-factor-enrol"), reverse("accounts:two-factor-verify")
    for role in REQUIRED:
        if role not in rule.roles:
            continue
        user = world.users[role]["a" if rule.scoped else "top"]
        for with_device, target in ((False, enrol_url), (True, verify_url)):
            device = enrol(user) if with_device else None
            client = Client()
            client.force_login(user)
            for method in rule.methods:
                with CaptureQueriesContext(transaction.get_connection()) as queries:
                    response = client.generic(method, url)
                written = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
                where = f"{method} {url} as {role} ({'device' if with_device else 'no device'})"
                if url.startswith("/api/"):
                    assert response.status_code == 403, where
                    assert response.json()["code"] == "two_factor_required", where
                else:
                    assert response.status_code == 302, where
                    assert response["Location"].startswith(target), where
                assert not [sql for sql in written if "django_session" not in sql], where
            if device is not None:
                device.delete()
