"""The API throttles count per client address as `core.clientip` sees it
(ADR 0026): DRF's own `get_ident` believes any client's X-Forwarded-For."""

from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

RENEWALS = "/api/v1/registration/renewals"


def _post(api: APIClient, forwarded: str) -> int:
    return api.post(RENEWALS, {}, format="json", HTTP_X_FORWARDED_FOR=forwarded).status_code


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_a_forged_header_does_not_dodge_the_renewal_throttle():
    api = APIClient(REMOTE_ADDR="198.51.100.20")
    assert all(_post(api, f"203.0.113.{i}") == 400 for i in range(10))
    assert _post(api, "203.0.113.99") == 429


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_a_trusted_proxy_each_client_has_its_own_budget():
    api = APIClient(REMOTE_ADDR="127.0.0.1")
    assert all(_post(api, "203.0.113.7") == 400 for _ in range(10))
    assert _post(api, "203.0.113.7") == 429
    assert _post(api, "203.0.113.8") == 400
