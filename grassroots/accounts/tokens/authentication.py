"""DRF authentication by `Authorization: Token <key>` against `ApiToken`
(ADR 0058). A read token may only read: any other method is a 403."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from grassroots.core.errors import PermissionDenied as ReadOnlyToken

from .models import ApiToken
from .services import api_token_authenticate

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        result = super().authenticate(request)
        if result is not None and result[1].scope == ApiToken.Scope.READ and request.method not in SAFE_METHODS:
            # A domain error, so that the problem document keeps this message.
            raise ReadOnlyToken("此令牌为只读令牌,不能修改数据。")
        return result

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = api_token_authenticate(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed("令牌无效、已过期或已吊销。")
        return token.user, token
