"""RFC 7807 problem details for every API error, with Chinese messages.
Domain errors keep their stable `code`; validation errors list each field."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found
from django.views.defaults import server_error as page_server_error
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
    413: "请求内容过大",
    415: "不支持的媒体类型",
    422: "无法处理的请求",
    429: "请求过于频繁",
    500: "服务器内部错误",
}

DEFAULT_DETAILS = {
    401: "请先登录,或提供有效的令牌。",
    403: "您没有执行此操作的权限。",
    404: "未找到该对象,或您无权查看。",
    405: "不支持该请求方法。",
    406: "无法按请求的 Accept 头提供内容,本接口返回 JSON。",
    415: "不支持的媒体类型,请以 application/json 提交。",
    429: "请求过于频繁,请稍后再试。",
}


CSRF_DETAIL = "CSRF 令牌缺失或无效:请刷新页面后重试;程序调用请改用令牌认证(Authorization: Token …)。"
INVALID_DETAIL = "提交的数据未通过校验,请按各字段的提示修改。"
_JSON_POSITION = re.compile(r"line (\d+) column (\d+)")


def _body(status_code: int, detail: str, *, code: str, instance: str = "", **extra: Any) -> dict[str, Any]:
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
    return body


def problem(status_code: int, detail: str, *, code: str, instance: str = "", **extra: Any) -> Response:
    body = _body(status_code, detail, code=code, instance=instance, **extra)
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def _parse_error_detail(exc: exceptions.ParseError) -> str:
    """DRF's parser messages are English ("JSON parse error - Expecting value…")."""
    text = str(exc.detail)
    if text.startswith("JSON parse error"):
        position = _JSON_POSITION.search(text)
        where = f"(第 {position.group(1)} 行第 {position.group(2)} 列附近)" if position else ""
        return f"请求内容不是有效的 JSON{where}。"
    if "multipart" in text.lower() or "form" in text.lower():
        return "表单数据格式有误,无法解析。"
    if text.isascii():
        return "请求内容格式有误,无法解析。"
    return text  # already Chinese (our own parsers)


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
        # A rule about one field is also a per-field error, the same shape as a validation error.
        extra = {**exc.extra, **({"field": exc.field, "errors": {exc.field: [exc.message]}} if exc.field else {})}
        return problem(exc.status, exc.message, code=exc.code, instance=instance, **extra)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        if not isinstance(errors, dict):  # a bare list: errors about the request as a whole
            errors = {"non_field_errors": errors if isinstance(errors, list) else [errors]}
        return problem(status.HTTP_400_BAD_REQUEST, INVALID_DETAIL, code="invalid", instance=instance, errors=errors)
    assert isinstance(exc, exceptions.APIException)
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
    if isinstance(exc, exceptions.ParseError):
        return problem(400, _parse_error_detail(exc), code="parse_error", instance=instance)
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        # SessionAuthentication's check; "没有权限" would send the user looking for a role.
        return problem(403, CSRF_DETAIL, code="csrf_failed", instance=instance)
    detail = DEFAULT_DETAILS.get(response.status_code) or str(exc.detail)
    if isinstance(exc, exceptions.NotFound) and str(exc.detail) != str(exceptions.NotFound.default_detail):
        detail = str(exc.detail)  # a specific Chinese message (e.g. the pagination's)
    if response.status_code == 429 and getattr(exc, "wait", None):
        detail = f"请求过于频繁,请 {int(exc.wait or 0)} 秒后再试。"
    problem_response = problem(response.status_code, detail, code=str(code), instance=instance)
    for header in ("WWW-Authenticate", "Allow", "Retry-After"):
        if header in response:
            problem_response[header] = response[header]
    return problem_response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's handler404: a path no URL matches (e.g. `/api/v1/matters/abc`,
    refused by the `id` converter) is a problem document under /api/."""
    if _is_api(request):
        body = _body(404, DEFAULT_DETAILS[404], code="not_found", instance=request.get_full_path())
        return JsonResponse(
            body, status=404, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
        )
    return page_not_found(request, exception or Http404())


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500: a problem document under /api/, the page elsewhere."""
    if _is_api(request):
        body = _body(
            500, "服务器内部错误,请稍后再试;问题已记录。", code="server_error", instance=request.get_full_path()
        )
        return JsonResponse(
            body, status=500, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
        )
    return page_server_error(request)
