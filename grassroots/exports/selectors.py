from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from grassroots.accounts.permissions import actor_can
from grassroots.accounts.roles import Capability
from grassroots.core.errors import NotFound

from .models import ExportRequest
from .states import ExportState


def export_requests_of(*, user: Any) -> QuerySet[ExportRequest]:
    """The user's own requests, newest first."""
    return ExportRequest.objects.filter(requester=user).select_related("decided_by")


def export_requests_pending(*, user: Any) -> QuerySet[ExportRequest]:
    """What a security administrator has to decide (nothing for anyone else)."""
    if not actor_can(user, Capability.APPROVE_EXPORTS):
        return ExportRequest.objects.none()
    return (
        ExportRequest.objects.filter(state=ExportState.REQUESTED)
        .select_related("requester", "requester__jurisdiction")
        .order_by("created_at", "pk")
    )


def export_requests_decided(*, user: Any, limit: int = 50) -> list[ExportRequest]:
    if not actor_can(user, Capability.APPROVE_EXPORTS):
        return []
    return list(
        ExportRequest.objects.exclude(state=ExportState.REQUESTED)
        .select_related("requester", "decided_by")
        .order_by("-decided_at", "-pk")[:limit]
    )


def export_request_for_decision(*, user: Any, pk: int) -> ExportRequest:
    """A request a security administrator may decide; 404 otherwise."""
    try:
        return export_requests_pending(user=user).get(pk=pk)
    except ExportRequest.DoesNotExist:
        raise NotFound() from None


def export_request_of(*, user: Any, pk: int) -> ExportRequest:
    try:
        return export_requests_of(user=user).get(pk=pk)
    except ExportRequest.DoesNotExist:
        raise NotFound() from None
