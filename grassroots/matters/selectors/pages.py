"""Reads behind single pages: the tree above a matter (ancestor paths,
responsible units on the path), place labels of staff pages, the public
tracking page (attachments, feedback, reopen requests, the public place
name), intake (an earlier submit, visits) and scoped single rows. Re-exported
by the package, so callers use `matters.selectors.<name>`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from grassroots.core.scoping import get_in_scope_or_404, scope_queryset
from grassroots.regions.models import Level, Node

from ..models import Attachment, Feedback, Matter, ReopenRequest, ResponsibleUnit, Visit


def with_related(queryset: QuerySet[Matter]) -> QuerySet[Matter]:
    """Everything a queue row shows, so that a page costs a constant number of queries."""
    return queryset.select_related("category", "category__parent", "node", "responsible_unit", "assignee")


# --- Reads of the public tracking page and of intake ---------------------------------------


def matter_by_idempotency_key(key: str) -> Matter | None:
    """The matter an earlier submit with this key created (a double submit or a retry)."""
    return Matter.objects.filter(idempotency_key=key).only("pk", "tracking_code").first()


def public_place_ancestors(*, node: Node) -> QuerySet[Node]:
    """The node's ancestors from the village down (names of the public tree only)."""
    prefixes = [node.path[:end] for end in range(Node.steplen, len(node.path), Node.steplen)]
    return Node.objects.filter(path__in=prefixes, level__gte=Level.VILLAGE).order_by("depth")


def public_attachments(*, matter: Matter) -> QuerySet[Attachment]:
    return matter.attachments.filter(public=True).order_by("id")


def public_attachment(*, tracking_code: str, pk: Any) -> Attachment | None:
    """A public attachment of the matter with this (normalised) code."""
    return Attachment.objects.filter(pk=pk, public=True, matter__tracking_code=tracking_code).first()


def feedback_given(*, matter: Matter) -> bool:
    """Whether the current resolution round of the matter has been rated."""
    return matter.feedback.filter(round=matter.resolution_round or 1).exists()


def feedback_latest(*, matter: Matter) -> Feedback | None:
    return matter.feedback.order_by("-created_at", "-pk").first()


def reopen_request_open(*, matter: Matter) -> ReopenRequest | None:
    return matter.reopen_requests.filter(status=ReopenRequest.Status.OPEN).first()


def reopen_request_last_answered(*, matter: Matter) -> ReopenRequest | None:
    return matter.reopen_requests.exclude(status=ReopenRequest.Status.OPEN).order_by("-answered_at", "-pk").first()


def visit_in_scope(*, user: Any, pk: Any) -> Visit:
    visit: Visit = get_in_scope_or_404(Visit.objects.select_related("household"), user, pk=pk)
    return visit


def visits_of(*, visitor: Any) -> QuerySet[Visit]:
    """A worker's own visits, newest first."""
    return (
        Visit.objects.filter(visitor=visitor)
        .select_related("household")
        .prefetch_related("matters")
        .order_by("-visited_at", "-pk")
    )


def attachment_in_scope(*, user: Any, pk: Any) -> Attachment:
    attachment: Attachment = get_in_scope_or_404(
        Attachment.objects.select_related("matter"), user, path_field="matter__path", pk=pk
    )
    return attachment


def reopen_requests_in_scope(*, user: Any) -> QuerySet[ReopenRequest]:
    """Reopen requests (of any status) in the user's subtree, with their matter."""
    return scope_queryset(ReopenRequest.objects.select_related("matter"), user)


def reopen_request_in_scope(*, user: Any, pk: Any) -> ReopenRequest:
    reopen: ReopenRequest = get_in_scope_or_404(ReopenRequest.objects.select_related("matter"), user, pk=pk)
    return reopen


def ancestor_paths(path: str) -> list[str]:
    """The path itself and every ancestor's path (the tree's steplen is 4)."""
    step = Node.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def units_on_path(*, matter: Matter | None) -> QuerySet[ResponsibleUnit]:
    """Active responsible units at the matter's node or above it, nearest first
    (none without a matter)."""
    if matter is None:
        return ResponsibleUnit.objects.none()
    return ResponsibleUnit.objects.filter(active=True, path__in=ancestor_paths(matter.path)).order_by("-path", "name")


def unit_on_path(*, matter: Matter | None, pk: Any) -> ResponsibleUnit | None:
    """The unit `pk` if it sits at the matter's node or above it (active or not), else None."""
    paths = ancestor_paths(matter.path) if matter is not None else []
    return ResponsibleUnit.objects.filter(pk=pk, path__in=paths).first()
