"""A session that has not passed its second factor reaches only the pages
that let it pass (verify, enrol, recovery codes on enrolment) and logout
(ADR 0058). Token-authenticated API calls carry no session user here and are
left to the token's own scope (`tokens.authentication`)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse

from .services import has_second_factor, two_factor_required

# URL names a session without its second factor may still use.
OPEN_NAMES = frozenset(
    {"accounts:two-factor-verify", "accounts:two-factor-enrol", "accounts:two-factor-enrolled", "accounts:logout"}
)


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.TWO_FACTOR_ENFORCED:
            refusal = self.refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        match = getattr(request, "resolver_match", None)
        if match is None:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
        if match is not None and match.view_name in OPEN_NAMES:
            # The page shows no navigation: every link would send the user back here.
            request.two_factor_pending = True  # type: ignore[attr-defined]
            return None
        if has_second_factor(user):
            target, message = "accounts:two-factor-verify", "请输入身份验证器上的 6 位验证码完成登录。"
        elif two_factor_required(user):
            target, message = "accounts:two-factor-enrol", "您的角色必须启用双因素认证:请先绑定身份验证器。"
        else:
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {
                    "type": "about:blank",
                    "title": "需要双因素认证",
                    "status": 403,
                    "detail": message + "请在网页上完成后再调用,或改用 API 令牌。",
                    "code": "two_factor_required",
                },
                status=403,
                content_type="application/problem+json",
            )
        url = reverse(target)
        if request.method == "GET" and match is not None:
            url += "?" + urlencode({"next": request.get_full_path()})
        response = HttpResponseRedirect(url)
        if request.headers.get("HX-Request"):
            response["HX-Redirect"] = url
        return response
