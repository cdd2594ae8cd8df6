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
