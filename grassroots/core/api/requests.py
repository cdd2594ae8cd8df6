"""What every API view does with a request before it calls a service: the
validated body or query string, equality filters from the query string, and
the audited refusal of a permission (ADR 0035)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from rest_framework import serializers
from rest_framework.request import Request

from grassroots.core.audit import Action, audit_record

M = TypeVar("M", bound=Model)


def body_data(serializer_class: type[serializers.Serializer], request: Request, **kwargs: Any) -> dict[str, Any]:
    """The request body validated by `serializer_class` (a 400 problem otherwise)."""
    body = serializer_class(data=request.data, **kwargs)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def query_data(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The query string validated by `serializer_class` (a 400 problem otherwise)."""
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return dict(params.validated_data)


def filter_equal(rows: QuerySet[M], data: dict[str, Any], *fields: str) -> QuerySet[M]:
    """`rows` narrowed to each of `fields` the validated query names a value for."""
    for field in fields:
        if data.get(field):
            rows = rows.filter(**{field: data[field]})
    return rows


def refuse(request: Any, capability: str) -> bool:
    """A DRF permission's "no": a logged-in caller's refusal is audited (an
    anonymous one is a 401, not a denial)."""
    if request.user and request.user.is_authenticated:
        audit_record(
            action=Action.DENIED,
            request=request,
            result="denied",
            detail={"capability": capability, "path": request.path},
        )
    return False
