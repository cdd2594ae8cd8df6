"""The reads of the Open311 endpoints: services (active categories), the
public service requests of a jurisdiction (plain rows, `serializers.REQUEST_FIELDS`)
and the lookups the views need (subdistrict, village, token, API key).
The views query nothing themselves."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from grassroots.accounts.tokens.models import ApiToken
from grassroots.accounts.tokens.services import api_token_authenticate
from grassroots.regions.models import Level, Node

from ..models import Category, Matter
from ..selectors import matters_public
from ..states import OPEN_STATES
from .serializers import REQUEST_FIELDS, Row


def services_queryset() -> QuerySet[Category]:
    """Active second-level categories under an active first-level one."""
    return (
        Category.objects.filter(active=True, parent__isnull=False, parent__active=True)
        .select_related("parent")
        .order_by("parent__sort_order", "parent__code", "sort_order", "code")
    )


def service_by_code(code: str) -> Category | None:
    return services_queryset().filter(code=code).first()


def villages_of(jurisdiction: Node) -> list[Node]:
    return list(
        Node.objects.filter(path__startswith=jurisdiction.path, level=Level.VILLAGE, code__isnull=False).order_by(
            "code"
        )
    )


def subdistrict_by_code(code: str) -> Node | None:
    return Node.objects.filter(level=Level.SUBDISTRICT, code=code).first()


def first_subdistricts(limit: int = 2) -> list[Node]:
    """Up to `limit` subdistricts in tree order (to tell "the only one" from several)."""
    return list(Node.objects.filter(level=Level.SUBDISTRICT).order_by("path")[:limit])


def village_by_code(*, jurisdiction: Node, code: str) -> Node | None:
    return Node.objects.filter(code=code, level=Level.VILLAGE, path__startswith=jurisdiction.path).first()


def requests_queryset(jurisdiction: Node) -> QuerySet[Any, Row]:
    """Rows of the public matters under the jurisdiction, newest first, in one query."""
    return (
        matters_public()
        .filter(path__startswith=jurisdiction.path)
        .order_by("-created_at", "-id")
        .values(*REQUEST_FIELDS)
    )


def request_rows_by_number(*, jurisdiction: Node, numbers: Iterable[str]) -> list[Row]:
    return list(requests_queryset(jurisdiction).filter(number__in=list(numbers)))


def request_rows(
    *,
    jurisdiction: Node,
    codes: Iterable[str],
    open_only: bool,
    closed_only: bool,
    start: datetime.datetime,
    end: datetime.datetime,
    limit: int,
) -> list[Row]:
    """The public requests of the jurisdiction in the period, of the service
    codes given (all without), open or closed only when asked, newest first."""
    rows = requests_queryset(jurisdiction)
    codes = list(codes)
    if codes:
        rows = rows.filter(category__code__in=codes)
    if open_only:
        rows = rows.filter(state__in=OPEN_STATES)
    elif closed_only:
        rows = rows.exclude(state__in=OPEN_STATES)
    rows = rows.filter(created_at__gte=start, created_at__lte=end)
    return list(rows[:limit])


def request_row(*, jurisdiction: Node, number: str) -> Row | None:
    return requests_queryset(jurisdiction).filter(number=number).first()


def matter_for_token(*, jurisdiction: Node, tracking_code: str) -> Matter | None:
    """The matter with this tracking code under the jurisdiction (its number only)."""
    return Matter.objects.filter(tracking_code=tracking_code, path__startswith=jurisdiction.path).only("number").first()


def token_user(key: str) -> Any:
    """The user whose live read-write API token is `key` (ADR 0058), or None:
    an Open311 api_key posts service requests."""
    token = api_token_authenticate(key=key)
    return token.user if token is not None and token.scope == ApiToken.Scope.WRITE else None
