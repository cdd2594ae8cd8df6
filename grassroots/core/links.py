"""Absolute links to the public site, for everything that leaves the screen:
QR codes and addresses on printed notices, ballot slips and certificates,
SMS texts, feeds, WeChat texts. They use the public address set at install
(GRASSROOTS_PUBLIC_BASE_URL), never the address of the request that made
them: staff print from the intranet, residents scan from the internet.
`core.checks.public_base_url_check` refuses to start in production without it."""

from __future__ import annotations

import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def public_base_url() -> str:
    """The configured public address without a trailing slash ("" if unset)."""
    return str(getattr(settings, "PUBLIC_BASE_URL", "") or "").strip().rstrip("/")


def public_url(path: str) -> str:
    """`path` (e.g. "/notices/7/", from `reverse`) on the public site. Unset
    base: the path alone (relative), logged, rather than a wrong host."""
    if not path.startswith("/"):
        path = "/" + path
    base = public_base_url()
    if not base:
        logger.error("GRASSROOTS_PUBLIC_BASE_URL is not set: printing a relative link %s", path)
        return path
    return base + path
