"""API tokens (ADR 0058): created on the page (key shown once, digest kept),
scoped read or write, expiring, revocable by the owner and the security
administrator, and usable without the session's second factor."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.accounts.tokens import services
from grassroots.accounts.tokens.models import ApiToken
from grassroots.core.models import AuditEntry

pytestmark = pytest.mark.django_db
PAGE = reverse("accounts:api-tokens")


def _api(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_page_creates_a_token_shown_once_and_stored_as_a_digest(client, tree, make_user):
    user = make_user(Role.VILLAGE_STAFF, tree.village_a)
    client.force_login(user)
    response = client.post(PAGE, {"name": "数据对接", "scope": "read", "days": "90"})
    assert response.status_code == 200
    key = response.context["issued"].key
    assert key in response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert token.key_digest != key and key not in token.key_digest and token.prefix == key[:8]
    assert key not in client.get(PAGE).content.decode()
    assert token.expires_at - timezone.now() > datetime.timedelta(days=89)
    assert AuditEntry.objects.filter(action=services.Act.CREATE, actor=user).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "scope": "read", "days": "90"}, "请填写名称"),
        ({"name": "x", "scope": "admin", "days": "90"}, "范围无效"),
        ({"name": "x", "scope": "read", "days": "9999"}, "有效期无效"),
    ],
)
def test_bad_input_is_400_in_chinese_and_creates_nothing(client, tree, make_user, data, message):
    client.force_login(make_user(Role.VILLAGE_STAFF, tree.village_a))
    response = client.post(PAGE, data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_service_refuses_a_lifetime_over_the_maximum(tree, make_user, settings):
    settings.API_TOKEN_MAX_DAYS = 30
    with pytest.raises(services.DomainError):
        services.api_token_create(actor=make_user(Role.VILLAGE_STAFF, tree.village_a), name="x", scope="read", days=90)


def test_read_token_reads_but_cannot_write(tree, make_user):
    user = make_user(Role.VILLAGE_STAFF, tree.village_a)
    key = services.api_token_create(actor=user, name="只读", scope="read", days=30).key
    api = _api(key)
    assert api.get("/api/v1/me").json()["username"] == user.username
    refused = api.post("/api/v1/notifications/1/read")
    assert refused.status_code == 403 and "只读" in refused.json()["detail"]
    assert ApiToken.objects.get().last_used_at is not None


def test_write_token_writes(tree, make_user):
    user = make_user(Role.VILLAGE_STAFF, tree.village_a)
    key = services.api_token_issue_for_tests(user=user)
    assert _api(key).post("/api/v1/notifications/999999/read").status_code == 404  # reached the view


@pytest.mark.parametrize("change", ["revoked", "expired", "inactive", "wrong"])
def test_dead_tokens_are_401(tree, make_user, change):
    user = make_user(Role.VILLAGE_STAFF, tree.village_a)
    issued = services.api_token_create(actor=user, name="x", scope="write", days=30)
    key = issued.key
    if change == "revoked":
        services.api_token_revoke(actor=user, pk=issued.token.pk)
    elif change == "expired":
        ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif change == "inactive":
        user.is_active = False
        user.save()
    else:
        key = key[:-1] + ("0" if key[-1] != "0" else "1")
    response = _api(key).get("/api/v1/me")
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Token"


def test_owner_revokes_on_the_page_others_get_404(client, tree, make_user):
    owner = make_user(Role.VILLAGE_STAFF, tree.village_a)
    other = make_user(Role.VILLAGE_STAFF, tree.village_b)
    token = services.api_token_create(actor=owner, name="x", scope="read", days=30).token
    url = reverse("accounts:api-token-revoke", args=[token.pk])
    client.force_login(other)
    assert client.post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    client.force_login(owner)
    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by_id == owner.pk
    assert AuditEntry.objects.filter(action=services.Act.REVOKE, actor=owner).count() == 1


def test_security_admin_lists_and_revokes_every_token(client, tree, make_user):
    owner = make_user(Role.VILLAGE_STAFF, tree.village_a)
    token = services.api_token_create(actor=owner, name="对接系统", scope="write", days=30).token
    admin = make_user(Role.SECURITY_ADMIN, tree.subdistrict)
    client.force_login(admin)
    listing = client.get(reverse("accounts:api-tokens-all")).content.decode()
    assert "对接系统" in listing and owner.username in listing
    response = client.post(reverse("accounts:api-token-revoke", args=[token.pk]), {"from": "all"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:api-tokens-all")
    token.refresh_from_db()
    assert token.revoked_by_id == admin.pk


def test_token_call_needs_no_session_second_factor(tree, make_user, settings):
    settings.TWO_FACTOR_ENFORCED = True
    user = make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict)
    key = services.api_token_create(actor=user, name="x", scope="read", days=30).key
    assert _api(key).get("/api/v1/me").status_code == 200
    assert _api(key).post("/api/v1/notifications/1/read").status_code == 403


def test_token_page_needs_the_second_factor_first(client, tree, make_user, settings):
    settings.TWO_FACTOR_ENFORCED = True
    client.force_login(make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict))
    response = client.post(PAGE, {"name": "x", "scope": "write", "days": "30"})
    assert response.status_code == 302 and not ApiToken.objects.exists()
