"""After login, an account whose password expired or was set by an
administrator reaches only the password-change page (and logging out) until
it chooses a new password (ADR 0059)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .passwords import password_change_required


class PasswordPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reason = password_change_required(getattr(request, "user", None))
        if reason is None or self._allowed(request.path_info):
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {
                    "type": "about:blank",
                    "title": "须先修改密码",
                    "status": 403,
                    "detail": reason,
                    "code": "password_change_required",
                },
                status=403,
                content_type="application/problem+json",
            )
        # The change page itself shows the reason (no message: it would repeat it).
        if request.headers.get("HX-Request"):
            # htmx would swap the whole page into a fragment: send the browser there instead.
            return HttpResponse(status=204, headers={"HX-Redirect": reverse("accounts:password-change")})
        return redirect("accounts:password-change")

    @staticmethod
    def _allowed(path: str) -> bool:
        open_paths = (reverse("accounts:password-change"), reverse("accounts:logout"))
        return path in open_paths or path.startswith(("/static/", "/healthz", "/readyz", "/favicon.ico"))
