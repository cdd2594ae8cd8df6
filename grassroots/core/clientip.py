"""The client's address, for everything that needs one (ADR 0026).

Audit rows, django-axes, the django-ratelimit keys and DRF throttles all call
`client_ip`, so a request has one address everywhere. It is the socket peer
(``REMOTE_ADDR``) unless that peer is one of ``GRASSROOTS_TRUSTED_PROXIES``;
only then is ``X-Forwarded-For`` read, from the right: each trusted proxy
appended the address it was connected from, so the first address from the
right that is not a trusted proxy is the client. Everything to its left was
written by the client and is never believed. A header from an untrusted peer
is ignored whole: anyone can send one.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = ["client_ip", "from_trusted_proxy", "parse_trusted_proxies", "ratelimit_ip"]

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# A key for rate limits when the peer is not an IP address at all (a Unix
# socket without a trusted proxy): such requests share one bucket, which is
# the safe side for a limit.
UNKNOWN_CLIENT = "0.0.0.0"  # noqa: S104 - a bucket name, not a bind address
_MAX_HOPS = 20  # a longer header is hostile; the hops beyond are never needed


def parse_trusted_proxies(values: list[str] | tuple[str, ...]) -> tuple[Network, ...]:
    """Parse ``GRASSROOTS_TRUSTED_PROXIES`` entries (addresses or CIDRs)."""
    networks: list[Network] = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"GRASSROOTS_TRUSTED_PROXIES: {value!r} is not an IP address or network (e.g. 127.0.0.1, 10.0.0.0/8)."
            ) from exc
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_trusted_proxies(values)


def _parse(value: str) -> Address | None:
    """An address as a proxy writes it: bare, ``1.2.3.4:port`` or
    ``[v6]:port``. Anything else (``unknown``, garbage) is None."""
    value = value.strip()
    if value.startswith("["):
        end = value.find("]")
        if end == -1:
            return None
        value = value[1:end]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]  # IPv4 with a port
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            return None
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped  # ::ffff:10.0.0.1 from a dual-stack socket is 10.0.0.1
    return address


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def _networks() -> tuple[Network, ...]:
    return _trusted(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))


def from_trusted_proxy(request: HttpRequest) -> bool:
    """Whether the socket peer is a trusted proxy (its headers may be believed)."""
    peer = _parse(str(request.META.get("REMOTE_ADDR") or ""))
    networks = _networks()
    return peer is not None and bool(networks) and _is_trusted(peer, networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as a canonical string, or None when the socket
    peer is not an IP address. Never raises on a malformed header."""
    peer = _parse(str(request.META.get("REMOTE_ADDR") or ""))
    if peer is None:
        return None
    networks = _networks()
    if not networks or not _is_trusted(peer, networks):
        return str(peer)
    client = peer
    header = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    for hop in reversed(header.split(",")[-_MAX_HOPS:]):
        address = _parse(hop)
        if address is None:
            # Only a client writes garbage: the last good hop received it.
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)


def ratelimit_ip(request: HttpRequest) -> str:
    """`client_ip` for django-ratelimit (``RATELIMIT_IP_META_KEY``), which needs a string."""
    return client_ip(request) or UNKNOWN_CLIENT
