"""RFC 7807 problem details for every API error, with Chinese messages.
Domain errors keep their stable `code`; validation errors list each field."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from grassroots.core.errors import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "请求有误",
    401: "需要登录",
    403: "没有权限",
    404: "未找到",
    405: "不支持该请求方法",
    406: "无法提供所请求的格式",
    409: "状态冲突",
    415: "不支持的媒体类型",
    429: "请求过于频繁",
    500: "服务器内部错误",
}

DEFAULT_DETAILS = {
    401: "请先登录,或提供有效的令牌。",
    403: "您没有执行此操作的权限。",
    404: "未找到该对象,或您无权查看。",
    405: "不支持该请求方法。",
    415: "不支持的媒体类型。",
    429: "请求过于频繁,请稍后再试。",
}


def problem(status_code: int, detail: str, *, code: str, instance: str = "", **extra: Any) -> Response:
    body: dict[str, Any] = {
        "type": f"https://grassroots.example/problems/{code}",
        "title": TITLES.get(status_code, "错误"),
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def _flatten(errors: Any) -> Any:
    if isinstance(errors, dict):
        return {key: _flatten(value) for key, value in errors.items()}
    if isinstance(errors, list):
        return [str(item) if not isinstance(item, dict | list) else _flatten(item) for item in errors]
    return str(errors)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    request = context.get("request")
    instance = request.get_full_path() if request is not None else ""
    if isinstance(exc, DomainError):
        extra = {**exc.extra, **({"field": exc.field} if exc.field else {})}
        return problem(exc.status, exc.message, code=exc.code, instance=instance, **extra)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            status.HTTP_400_BAD_REQUEST,
            "提交的数据未通过校验,请按各字段的提示修改。",
            code="invalid",
            instance=instance,
            errors=_flatten(exc.detail),
        )
    assert isinstance(exc, exceptions.APIException)
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
    detail = DEFAULT_DETAILS.get(response.status_code) or str(exc.detail)
    if response.status_code == 429 and getattr(exc, "wait", None):
        detail = f"请求过于频繁,请 {int(exc.wait or 0)} 秒后再试。"
    problem_response = problem(response.status_code, detail, code=str(code), instance=instance)
    for header in ("WWW-Authenticate", "Allow", "Retry-After"):
        if header in response:
            problem_response[header] = response[header]
    return problem_response
