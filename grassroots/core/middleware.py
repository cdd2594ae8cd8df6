"""HEAD is GET without a body (RFC 9110, 9.3.2). Django's class-based views
answer HEAD with their `get`, but function views decorated with
`require_GET` or `require_http_methods(["GET", "POST"])` answer 405, and
monitors, link checkers and proxies that probe with HEAD read that as
"down". This middleware runs every HEAD request as a GET, once for the whole
site, and sends the headers of the GET answer without its body."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse


class HeadAsGetMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        if isinstance(response, StreamingHttpResponse):
            response.close()
            response.streaming_content = []
        elif not getattr(response, "streaming", False):
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response


class NulQueryMiddleware:
    """A query string carrying NUL (`%00`) is refused with 400 before any view
    runs. PostgreSQL refuses NUL in a text parameter with a DataError, so a
    filter that passes a query parameter straight to the database would
    answer 500; forms and serializers already refuse NUL in a body (ADR 0029),
    and this is the same rule for every query string, once for the site."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
            bad = [key for key, values in request.GET.lists() if "\x00" in key or any("\x00" in v for v in values)]
            if bad or "\x00" in request.path_info:
                return _nul_refused(request, bad)
        return self.get_response(request)


def _nul_refused(request: HttpRequest, names: list[str]) -> HttpResponse:
    from django.http import JsonResponse
    from django.shortcuts import render

    from grassroots.core.api.problems import INVALID_DETAIL, PROBLEM_CONTENT_TYPE, TITLES
    from grassroots.core.text import NUL_MESSAGE

    if request.path.startswith("/api/"):
        safe = [name.replace("\x00", "\\0") for name in names] or ["path"]
        body = {
            "type": "https://grassroots.example/problems/invalid",
            "title": TITLES[400],
            "status": 400,
            "detail": INVALID_DETAIL,
            "code": "invalid",
            "errors": {name: [NUL_MESSAGE] for name in safe},
        }
        return JsonResponse(
            body, status=400, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "400.html", {"message": f"查询条件{NUL_MESSAGE}"}, status=400)
