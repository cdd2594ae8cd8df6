"""HEAD answers like GET (without a body) on every page: monitors, link
checkers and some proxies probe with HEAD, and a 405 there reads as "down"."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import URLPattern, URLResolver, get_resolver

from grassroots.accounts.roles import Role
from grassroots.core.middleware import HeadAsGetMiddleware

pytestmark = pytest.mark.django_db


def _parameterless_routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    routes: list[str] = []
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if "<" in route or "(?P" in route or route.startswith("^"):
            continue
        if isinstance(pattern, URLResolver):
            routes.extend(_parameterless_routes(pattern, prefix + route))
        elif isinstance(pattern, URLPattern):
            routes.append("/" + prefix + route)
    return sorted(set(routes))


def test_head_on_the_public_home_and_health_endpoints(client):
    for url in ("/", "/healthz", "/readyz", "/socialorg/", "/report/", "/notices/"):
        response = client.head(url)
        assert response.status_code == 200, url
        assert response.content == b""


@pytest.mark.parametrize("role", [None, Role.WINDOW_STAFF, Role.SUBDISTRICT_STAFF])
def test_every_get_page_answers_head_the_same(client, tree, make_user, role):
    if role is not None:
        client.force_login(make_user(role, tree.subdistrict if role != Role.WINDOW_STAFF else None))
    checked = 0
    for url in _parameterless_routes():
        if url.startswith(("/admin/", "/api/docs/", "/api/v1/schema/")):
            continue  # Django's admin and the schema views are not ours
        got = client.get(url)
        if got.status_code == 405:
            continue  # a POST-only endpoint
        head = client.head(url)
        assert head.status_code == got.status_code, f"HEAD {url}: {head.status_code}, GET: {got.status_code}"
        checked += 1
    assert checked > 10


def test_middleware_sends_the_get_headers_without_the_body(rf):
    seen = []

    def view(request):
        seen.append(request.method)
        return HttpResponse("页面内容", content_type="text/plain; charset=utf-8")

    response = HeadAsGetMiddleware(view)(rf.head("/"))
    assert seen == ["GET"]
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Length"] == str(len("页面内容".encode()))

    def stream(request: HttpRequest) -> Any:
        return StreamingHttpResponse(iter([b"a", b"b"]))

    streamed: Any = HeadAsGetMiddleware(stream)(rf.head("/"))
    assert b"".join(streamed.streaming_content) == b""
    # Other methods pass through untouched.
    assert HeadAsGetMiddleware(view)(rf.get("/")).content == "页面内容".encode()
