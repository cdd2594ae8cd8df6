"""The client address behind (and not behind) a trusted reverse proxy (ADR 0026)."""

from __future__ import annotations

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django_ratelimit.core import _get_ip

from grassroots.core.clientip import client_ip, parse_trusted_proxies
from grassroots.core.models import AuditEntry

PROXY = "10.0.0.5"
LOCAL = ["127.0.0.1", "::1", "10.0.0.0/24"]


def _request(remote: str, forwarded: str | None = None):
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


# --- The function -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # Peer trusted: the first untrusted address from the right.
        (PROXY, "203.0.113.7", "203.0.113.7"),
        (PROXY, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the left part is the client's own claim
        (PROXY, "203.0.113.7, 10.0.0.9", "203.0.113.7"),  # a second trusted hop is skipped
        ("::1", "2001:db8::1", "2001:db8::1"),
        ("::ffff:10.0.0.5", "203.0.113.7", "203.0.113.7"),  # dual-stack socket notation of a trusted peer
        (PROXY, "203.0.113.7:51234", "203.0.113.7"),  # a proxy that keeps the port
        (PROXY, "[2001:db8::2]:443", "2001:db8::2"),
        (PROXY, None, PROXY),  # no header: the proxy itself made the request
        (PROXY, "", PROXY),
        # Malformed values are ignored, never a 500: the last good hop stands.
        (PROXY, "garbage", PROXY),
        (PROXY, "unknown, 203.0.113.7", "203.0.113.7"),
        (PROXY, "203.0.113.7, not-an-ip", PROXY),
        (PROXY, "10.0.0.8, \x00\u202e", PROXY),
        (PROXY, "1.2.3.4," * 100 + "203.0.113.7", "203.0.113.7"),
        (PROXY, "10.0.0.7, 10.0.0.8", "10.0.0.7"),  # everyone trusted: the leftmost address is all we know
        # Peer not trusted: the header is the client's claim and is ignored.
        ("203.0.113.7", "1.1.1.1", "203.0.113.7"),
        ("203.0.113.7", "10.0.0.5", "203.0.113.7"),
        ("2001:db8::9", "1.1.1.1", "2001:db8::9"),
    ],
)
def test_client_ip_walks_the_header_only_from_a_trusted_peer(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = LOCAL
    assert client_ip(_request(remote, forwarded)) == expected


def test_no_trusted_proxies_means_the_header_is_never_read(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("127.0.0.1", "203.0.113.7")) == "127.0.0.1"


def test_a_peer_that_is_not_an_address_gives_none(settings):
    settings.TRUSTED_PROXIES = LOCAL
    assert client_ip(_request("", "203.0.113.7")) is None
    assert client_ip(_request("unix:/run/gunicorn.sock")) is None


def test_trusted_proxies_setting_is_validated():
    assert [str(n) for n in parse_trusted_proxies(["127.0.0.1", " 10.1.0.0/16 ", "::1"])] == [
        "127.0.0.1/32",
        "10.1.0.0/16",
        "::1/128",
    ]
    with pytest.raises(ImproperlyConfigured, match="GRASSROOTS_TRUSTED_PROXIES"):
        parse_trusted_proxies(["10.0.0.300"])


def test_axes_ratelimit_and_throttles_use_the_same_address(settings):
    settings.TRUSTED_PROXIES = LOCAL
    behind = _request(PROXY, "203.0.113.7")
    forged = _request("198.51.100.1", "203.0.113.7")
    assert get_client_ip_address(behind) == _get_ip(behind) == "203.0.113.7"
    assert get_client_ip_address(forged) == _get_ip(forged) == "198.51.100.1"


# --- Through the whole stack: the login limit, axes and the audit log ----------------


def _login_attempt(client: Client, username: str, forwarded: str):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": "x"}, HTTP_X_FORWARDED_FOR=forwarded
    )


@override_settings(RATELIMIT_ENABLE=True, TRUSTED_PROXIES=["127.0.0.1"])
@pytest.mark.django_db
def test_behind_a_trusted_proxy_two_clients_are_limited_separately():
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for i in range(30):
        assert _login_attempt(proxy, f"nobody{i}", "203.0.113.7").status_code == 200
    assert _login_attempt(proxy, "nobody-else", "203.0.113.7").status_code == 429
    # Another resident behind the same proxy is not limited by the first one.
    assert _login_attempt(proxy, "someone", "203.0.113.8").status_code == 200

    failed = AuditEntry.objects.filter(action="auth.login_failed").order_by("id")
    assert {entry.ip for entry in failed} == {"203.0.113.7", "203.0.113.8"}
    newest = failed.last()
    assert newest is not None and newest.detail["request_id"]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7", "203.0.113.8"}


@override_settings(RATELIMIT_ENABLE=True, TRUSTED_PROXIES=["127.0.0.1"])
@pytest.mark.django_db
def test_a_forged_header_from_an_untrusted_peer_neither_dodges_the_limit_nor_forges_the_audit_ip():
    direct = Client(REMOTE_ADDR="198.51.100.20")
    for i in range(30):
        assert _login_attempt(direct, f"nobody{i}", f"203.0.113.{i}").status_code == 200
    assert _login_attempt(direct, "nobody-else", "203.0.113.250").status_code == 429

    ips = set(AuditEntry.objects.filter(action="auth.login_failed").values_list("ip", flat=True))
    assert ips == {"198.51.100.20"}
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.20"}


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
@pytest.mark.django_db
def test_request_id_comes_from_a_trusted_proxy_only():
    proxied = Client(REMOTE_ADDR="127.0.0.1").get("/healthz", HTTP_X_REQUEST_ID="abcdef0123456789")
    assert proxied["X-Request-ID"] == "abcdef0123456789"
    direct = Client(REMOTE_ADDR="198.51.100.20").get("/healthz", HTTP_X_REQUEST_ID="abcdef0123456789")
    assert direct["X-Request-ID"] != "abcdef0123456789" and len(direct["X-Request-ID"]) == 32
    odd = Client(REMOTE_ADDR="127.0.0.1").get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert odd["X-Request-ID"] != "<script>"
