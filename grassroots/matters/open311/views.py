"""Open311 GeoReport v2 under /open311/v2/ (http://wiki.open311.org/GeoReport_v2).

Reads need no login. Creating a request needs an `api_key`: the REST API
token (a read-write `accounts.tokens.ApiToken`, ADR 0058) of an active staff account that may record
matters (RECORD_MATTERS). Matters are created synchronously, so the answer
carries the `service_request_id` at once; its `token` is the matter's
tracking code and resolves through tokens/{token} as well.

Where a request happens: our tree has no coordinates, so lat/long and
address_string are kept as details and the place is the `attribute[node]`
value (a village's 12-digit statistical code, listed in every service
definition) or, without it, the api_key account's own node when that is a
village, grid, building or unit. A subdistrict-level key must name the node.

`jurisdiction_id` is a subdistrict's statistical code (e.g. 370303003000);
without it the only subdistrict is meant. Errors use the Open311 format
(``[{"code": 404, "description": "…"}]``) with the same HTTP status."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.decorators import ratelimit

from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.scoping import path_in_scope
from grassroots.regions.models import Level, Node

from ..errors import MatterError
from ..models import Category, Channel
from ..services.intake import MatterInput, format_tracking_code, matter_create, parse_tracking_code
from . import selectors, serializers
from .render import FORMATS, Open311Error, error_response, respond

MAX_REQUESTS = 1000
DEFAULT_SPAN = datetime.timedelta(days=90)
MAX_SPAN = datetime.timedelta(days=90)
TITLE_LENGTH = 30
DEFAULT_POST_RATE = "30/m"

View = Callable[..., HttpResponse]


def open311_view(*methods: str) -> Callable[[View], View]:
    """Public, CSRF-free (the api_key authenticates, never a cookie), one of
    `methods`, a known format, and Open311 errors for every failure."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            if fmt not in FORMATS:
                return error_response("json", 400, f"不支持的格式“{fmt[:10]}”,请使用 .json 或 .xml。")
            if request.method not in methods:
                response = error_response(fmt, 405, f"不支持 {request.method} 请求。")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as exc:
                return error_response(fmt, exc.status, exc.description)

        return login_not_required(csrf_exempt(wrapped))

    return decorator


def _params(request: HttpRequest) -> QueryDict:
    return request.POST if request.method == "POST" else request.GET


def jurisdiction_get(params: QueryDict) -> Node:
    """The subdistrict named by `jurisdiction_id`, or the only one."""
    code = (params.get("jurisdiction_id") or "").strip()
    if code:
        node = selectors.subdistrict_by_code(code)
        if node is None:
            raise Open311Error(404, f"未找到 jurisdiction_id 为“{code[:20]}”的辖区。")
        return node
    found = selectors.first_subdistricts()
    if len(found) == 1:
        return found[0]
    if not found:
        raise Open311Error(404, "尚未配置街道辖区。")
    raise Open311Error(400, "请提供 jurisdiction_id(街道的 12 位统计用区划代码)。")


def _category(code: str) -> Category:
    category = selectors.service_by_code(code)
    if category is None:
        raise Open311Error(404, f"未找到 service_code 为“{code[:40]}”的服务类型。")
    return category


# --- Services -------------------------------------------------------------------


@open311_view("GET", "HEAD")
def services(request: HttpRequest, *, fmt: str) -> HttpResponse:
    jurisdiction_get(request.GET)
    records = [serializers.service_record(c) for c in selectors.services_queryset()]
    return respond(fmt, records, xml_root="services")


@open311_view("GET", "HEAD")
def service_definition(request: HttpRequest, *, service_code: str, fmt: str) -> HttpResponse:
    jurisdiction = jurisdiction_get(request.GET)
    category = _category(service_code)
    record = serializers.service_definition_record(category, selectors.villages_of(jurisdiction))
    return respond(fmt, record, xml_root="service_definition")


# --- Requests: reading -----------------------------------------------------------------


def _parse_moment(name: str, value: str) -> datetime.datetime:
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is not None:
                moment = datetime.datetime.combine(day, datetime.time.min)
    except ValueError:  # well formed but impossible, e.g. month 13
        moment = None
    if moment is None:
        raise Open311Error(400, f"{name} 的格式应为 W3C 日期时间,如 2026-01-05T08:00:00+08:00。")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _period(params: QueryDict) -> tuple[datetime.datetime, datetime.datetime]:
    """The requested_datetime range: the spec's default is the last 90 days,
    and a range may not span more than 90 days."""
    start_text = (params.get("start_date") or "").strip()
    end_text = (params.get("end_date") or "").strip()
    start = _parse_moment("start_date", start_text) if start_text else None
    end = _parse_moment("end_date", end_text) if end_text else None
    if start is None and end is None:
        end = timezone.now()
        start = end - DEFAULT_SPAN
    elif start is None:
        assert end is not None
        start = end - DEFAULT_SPAN
    elif end is None:
        end = start + DEFAULT_SPAN
    if start > end:
        raise Open311Error(400, "start_date 不能晚于 end_date。")
    if end - start > MAX_SPAN:
        raise Open311Error(400, "start_date 与 end_date 相隔不能超过 90 天。")
    return start, end


def _csv(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def _matter_rows(request: HttpRequest, jurisdiction: Node) -> list[serializers.Row]:
    params = request.GET
    ids = _csv(params.get("service_request_id"))
    if ids:
        # The spec: a list of ids overrides every other argument.
        return selectors.request_rows_by_number(jurisdiction=jurisdiction, numbers=ids[:MAX_REQUESTS])
    codes = _csv(params.get("service_code"))
    statuses = set(_csv(params.get("status")))
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status 只能是 open 或 closed(可用逗号分隔)。")
    start, end = _period(params)
    return selectors.request_rows(
        jurisdiction=jurisdiction,
        codes=codes,
        open_only=statuses == {"open"},
        closed_only=statuses == {"closed"},
        start=start,
        end=end,
        limit=MAX_REQUESTS,
    )


@open311_view("GET", "HEAD", "POST")
def requests(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return request_create(request, fmt=fmt)
    jurisdiction = jurisdiction_get(request.GET)
    records = serializers.request_records(_matter_rows(request, jurisdiction))
    return respond(fmt, records, xml_root="service_requests")


@open311_view("GET", "HEAD")
def request_detail(request: HttpRequest, *, request_id: str, fmt: str) -> HttpResponse:
    jurisdiction = jurisdiction_get(request.GET)
    row = selectors.request_row(jurisdiction=jurisdiction, number=request_id)
    if row is None:
        raise Open311Error(404, f"未找到 service_request_id 为“{request_id[:30]}”的事项。")
    return respond(fmt, serializers.request_records([row]), xml_root="service_requests")


@open311_view("GET", "HEAD")
def token_detail(request: HttpRequest, *, token: str, fmt: str) -> HttpResponse:
    jurisdiction = jurisdiction_get(request.GET)
    code = parse_tracking_code(token)
    matter = selectors.matter_for_token(jurisdiction=jurisdiction, tracking_code=code) if code else None
    if matter is None:
        raise Open311Error(404, "未找到该 token 对应的事项。")
    return respond(fmt, [{"service_request_id": matter.number, "token": code}], xml_root="service_requests")


# --- Requests: creating ---------------------------------------------------------------


def post_rate(group: str, request: HttpRequest) -> str:
    """Per-IP limit on creating requests; OPEN311_POST_RATE overrides it."""
    return str(getattr(settings, "OPEN311_POST_RATE", DEFAULT_POST_RATE))


def api_user(request: HttpRequest, params: QueryDict) -> Any:
    """The staff account whose API token is `api_key`; 403 otherwise (audited)."""
    key = (params.get("api_key") or request.GET.get("api_key") or "").strip()
    user = selectors.token_user(key)
    if user is None or not user_can(user, Capability.RECORD_MATTERS):
        audit_record(
            action=AuditAction.DENIED,
            request=request,
            actor=user,
            result="denied",
            detail={"path": request.path, "reason": "open311_api_key" if user is None else "capability"},
        )
        if not key:
            raise Open311Error(403, "缺少 api_key。")
        raise Open311Error(403, "api_key 无效,或该账号无权登记事项。")
    return user


def _node_for(params: QueryDict, user: Any, jurisdiction: Node) -> Node:
    code = (params.get(f"attribute[{serializers.NODE_ATTRIBUTE}]") or "").strip()
    if code:
        node = selectors.village_by_code(jurisdiction=jurisdiction, code=code)
        if node is None:
            raise Open311Error(400, f"attribute[node] 应为本街道村/社区的统计用区划代码(“{code[:20]}”无效)。")
    else:
        own = user.jurisdiction
        if own is None or own.level < Level.VILLAGE:
            raise Open311Error(400, "请用 attribute[node] 指明事项发生的村/社区。")
        node = own
    if not node.path.startswith(jurisdiction.path):
        raise Open311Error(403, "该账号的辖区不在此 jurisdiction_id 内。")
    if not path_in_scope(node.path, user):
        raise Open311Error(403, "该账号无权在此村/社区登记事项。")
    return node


def _coordinate(params: QueryDict, name: str, limit: int) -> decimal.Decimal | None:
    text = (params.get(name) or "").strip()
    if not text:
        return None
    try:
        value = decimal.Decimal(text)
    except decimal.InvalidOperation as exc:
        raise Open311Error(400, f"{name} 应为 WGS84 经纬度数值。") from exc
    if not value.is_finite() or abs(value) > limit:
        raise Open311Error(400, f"{name} 超出范围(±{limit})。")
    return value.quantize(decimal.Decimal("0.000001"))


def _title(description: str) -> str:
    first_line = description.strip().splitlines()[0] if description.strip() else ""
    return first_line if len(first_line) <= TITLE_LENGTH else first_line[: TITLE_LENGTH - 1] + "…"


def _details(params: QueryDict, category: Category) -> dict[str, Any]:
    """What the client sent that has no column of its own; nothing is dropped."""
    email = (params.get("email") or "").strip()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError as exc:
            raise Open311Error(400, "email 格式不正确。") from exc
    detail: dict[str, Any] = {"service_code": category.code}
    for name in ("address_string", "address_id", "media_url", "device_id", "account_id"):
        value = (params.get(name) or "").strip()
        if value:
            detail[name] = value[:500]
    if email:
        detail["email"] = email[:254]
    own = {f"attribute[{serializers.NODE_ATTRIBUTE}]", f"attribute[{serializers.PUBLIC_ATTRIBUTE}]"}
    attributes = {
        key[len("attribute[") : -1]: value[:200]
        for key, value in params.items()
        if key.startswith("attribute[") and key.endswith("]") and key not in own
    }
    if attributes:
        detail["attributes"] = attributes
    return detail


def _public_consent(params: QueryDict) -> bool:
    """`attribute[public]`: the reporter's consent to a public listing (ADR 0018); absent means no."""
    raw = (params.get(f"attribute[{serializers.PUBLIC_ATTRIBUTE}]") or "").strip().lower()
    if raw in ("", "false", "0", "no"):
        return False
    if raw in ("true", "1", "yes"):
        return True
    raise Open311Error(400, "attribute[public] 只能是 true(同意公开)或 false(不公开)。")


@ratelimit(key="ip", rate=post_rate, method="POST", block=False)
def request_create(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if getattr(request, "limited", False):
        raise Open311Error(429, "提交过于频繁,请稍后再试。")
    params = request.POST
    jurisdiction = jurisdiction_get(params if "jurisdiction_id" in params else request.GET)
    user = api_user(request, params)
    service_code = (params.get("service_code") or "").strip()
    if not service_code:
        raise Open311Error(400, "缺少 service_code。")
    category = _category(service_code)
    node = _node_for(params, user, jurisdiction)
    description = (params.get("description") or "").strip()
    if not description:
        raise Open311Error(400, "缺少 description,请说明是什么事。")
    public_consent = _public_consent(params)
    name = f"{(params.get('last_name') or '').strip()}{(params.get('first_name') or '').strip()}"
    data = MatterInput(
        node=node,
        title=_title(description),
        description=description,
        channel=Channel.OPEN311,
        location=(params.get("address_string") or "").strip()[:200],
        reporter_name=name,
        reporter_phone=(params.get("phone") or "").strip(),
        public_consent=public_consent,
        category=category,
        channel_detail=_details(params, category),
        latitude=_coordinate(params, "lat", 90),
        longitude=_coordinate(params, "long", 180),
    )
    key = (request.headers.get("Idempotency-Key") or "").strip()
    try:
        matter, _created = matter_create(data=data, actor=user, idempotency_key=f"open311:{key}" if key else None)
    except MatterError as exc:
        raise Open311Error(400, exc.message) from exc
    if not _created and matter.created_by_id != user.pk:
        raise Open311Error(409, "该 Idempotency-Key 已被其他账号使用。")
    notice = (
        f"已登记,编号 {matter.number},查询码 {format_tracking_code(matter.tracking_code)}。"
        f"受理后 {category.deadline_days} 个工作日内办理。"
    )
    record = {
        "service_request_id": matter.number,
        "token": matter.tracking_code,
        "service_notice": notice,
        "account_id": None,
    }
    return respond(fmt, [record], xml_root="service_requests")
