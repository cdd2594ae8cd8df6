"""Reads of matters. Every staff read goes through `matters_visible_to` or
`matter_get_visible`, which apply both layers of access: the VIEW_MATTERS
capability and the user's subtree (outside it a matter is 404)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import ROLE_CAPABILITIES, Capability
from grassroots.core.scoping import get_in_scope_or_404, scope_queryset, user_scope_path
from grassroots.core.search import search_matches
from grassroots.core.workdays import WorkCalendar
from grassroots.regions.models import Node

from .. import permissions
from ..lateness import DEADLINE_STATES as DEADLINE_STATES
from ..lateness import late3_cutoffs as late3_cutoffs
from ..models import Category, Channel, Matter, MatterEvent, ReopenRequest
from ..services.intake import SEARCH_TYPE, parse_tracking_code
from ..services.joint_topics import topic_sources
from ..states import OPEN_STATES, State
from .duplicates import DUPLICATE_THRESHOLD as DUPLICATE_THRESHOLD
from .duplicates import duplicate_score as duplicate_score
from .duplicates import duplicate_tokens as duplicate_tokens
from .duplicates import duplicates_for as duplicates_for
from .pages import ancestor_paths as ancestor_paths
from .pages import attachment_in_scope as attachment_in_scope
from .pages import feedback_given as feedback_given
from .pages import feedback_latest as feedback_latest
from .pages import matter_by_idempotency_key as matter_by_idempotency_key
from .pages import public_attachment as public_attachment
from .pages import public_attachments as public_attachments
from .pages import public_place_ancestors as public_place_ancestors
from .pages import reopen_request_in_scope as reopen_request_in_scope
from .pages import reopen_request_last_answered as reopen_request_last_answered
from .pages import reopen_request_open as reopen_request_open
from .pages import reopen_requests_in_scope as reopen_requests_in_scope
from .pages import unit_on_path as unit_on_path
from .pages import units_on_path as units_on_path
from .pages import visit_in_scope as visit_in_scope
from .pages import visits_of as visits_of
from .pages import with_related
from .training import categories_by_code as categories_by_code
from .training import matters_for_training as matters_for_training

# The reads behind single pages live in pages.py, likely duplicates in
# duplicates.py (both re-exported above).

LATE = "late"
LATE3 = "late3"


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def late3_condition(*, today: datetime.date, deadline_days: Iterable[int], calendar: WorkCalendar | None = None) -> Q:
    """ "3× late": an open matter whose due date lies at least 2 × deadline_days
    working days before today, so that the working time elapsed since it was
    accepted is at least three times the time it was allowed. Working days
    cannot be counted in SQL, so for each distinct deadline (a handful of
    values) we compute the latest due date that qualifies (`late3_cutoffs`)."""
    condition = Q(pk__in=[])
    for days, cutoff in late3_cutoffs(today=today, deadline_days=deadline_days, calendar=calendar).items():
        condition |= Q(deadline_days=days, due_date__lte=cutoff)
    return condition


def _category_filter(category: Any) -> Q:
    pk = _pk(category)
    return Q(category_id=pk) | Q(category__parent_id=pk)


def matters_visible_to(
    *,
    user: Any,
    state: str | Iterable[str] | None = None,
    category: Category | int | None = None,
    node: Node | int | None = None,
    channel: str | None = None,
    overdue: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    query: str = "",
) -> QuerySet[Matter]:
    """Matters in the user's subtree, newest first, filtered.

    - `category`: a first-level category includes its children.
    - `node`: the node's subtree (still within the user's).
    - `overdue`: "late" = open with a due date before today; "late3" = see
      `late3_condition`.
    - `date_from`/`date_to`: the day reported (Asia/Shanghai), inclusive.
    - `query`: bigram full-text search over number, title, description,
      location and result (2-character Chinese queries work, traditional
      characters find simplified ones and back), or an exact matter number or
      tracking code. The search is a subquery of this queryset, so it
      composes with every other filter and nothing is cut before them."""
    if not permissions.can_view(user):
        return Matter.objects.none()
    matters = with_related(scope_queryset(Matter.objects.all(), user))
    if state:
        matters = matters.filter(state=state) if isinstance(state, str) else matters.filter(state__in=list(state))
    if category:
        matters = matters.filter(_category_filter(category))
    if node:
        node_obj = node if isinstance(node, Node) else Node.objects.filter(pk=node).first()
        matters = matters.filter(path__startswith=node_obj.path) if node_obj else matters.none()
    if channel:
        matters = matters.filter(channel=channel)
    if overdue:
        today = timezone.localdate()
        late = matters.filter(state__in=DEADLINE_STATES, due_date__lt=today)
        if overdue == LATE:
            matters = late
        elif overdue == LATE3:
            days = late.order_by().values_list("deadline_days", flat=True).distinct()
            matters = late.filter(late3_condition(today=today, deadline_days=[d for d in days if d]))
    if date_from:
        matters = matters.filter(created_at__date__gte=date_from)
    if date_to:
        matters = matters.filter(created_at__date__lte=date_to)
    query = (query or "").strip()
    if query:
        prefix = user_scope_path(user) or None
        hits = search_matches(query=query, obj_type=SEARCH_TYPE, path_prefix=prefix)
        exact = Q(number=query.upper())
        code = parse_tracking_code(query)
        if len(code) == 10:
            exact |= Q(tracking_code=code)
        matters = matters.filter(Q(pk__in=hits) | exact)
    return matters


def visible_matter_ids(*, user: Any, ids: Iterable[Any]) -> set[int]:
    """Those of `ids` that are matters the user may see."""
    return set(matters_visible_to(user=user).filter(pk__in=list(ids)).values_list("pk", flat=True))


def queue_rows(*, user: Any, filters: dict[str, Any], ordering: Iterable[str]) -> QuerySet[Matter]:
    """The work queue: the visible matters under the form's filters, in its order."""
    return (
        matters_visible_to(user=user, **filters)
        .select_related("node", "category", "category__parent", "assignee", "responsible_unit")
        .order_by(*ordering)
    )


def matter_get_visible(*, user: Any, pk: Any) -> Matter:
    """One matter the user may see, or Http404 (outside the subtree, or
    without the capability to see matters)."""
    if not permissions.can_view(user):
        raise Http404("未找到该事项,或您无权查看。")
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404("未找到该事项,或您无权查看。") from exc
    return get_in_scope_or_404(with_related(Matter.objects.all()), user, pk=pk)


def matter_by_tracking_code(code: str) -> Matter | None:
    """The matter a (public) tracking code names; dashes and case are ignored."""
    normalized = parse_tracking_code(code or "")
    if len(normalized) != 10:
        return None
    return (
        Matter.objects.select_related("category", "category__parent", "node", "responsible_unit", "merged_into")
        .filter(tracking_code=normalized)
        .first()
    )


def public_timeline(*, matter: Matter) -> list[MatterEvent]:
    """The events a reporter sees on the tracking page, oldest first, with
    who acted and where (the page names the actor's unit)."""
    return list(
        matter.events.filter(public=True)
        .prefetch_related("attachments", "actor__jurisdiction")
        .order_by("created_at", "id")
    )


# --- Home page, lists ---------------------------------------------------------------


def queue_counts(*, user: Any) -> dict[str, int]:
    """Counts for the home page, in one query over the user's subtree (plus
    one for open reopen requests): matters per open state, late ones, those
    assigned to the user, and those on the joint meeting list."""
    keys = ["reported", "accepted", "handling", "deliberating", "resolved", "late", "mine", "joint_meeting"]
    if not permissions.can_view(user):
        return dict.fromkeys([*keys, "reopen_requests"], 0)
    today = timezone.localdate()
    counts = scope_queryset(Matter.objects.all(), user).aggregate(
        reported=Count("pk", filter=Q(state=State.REPORTED)),
        accepted=Count("pk", filter=Q(state=State.ACCEPTED)),
        handling=Count("pk", filter=Q(state=State.HANDLING)),
        deliberating=Count("pk", filter=Q(state=State.DELIBERATING)),
        resolved=Count("pk", filter=Q(state=State.RESOLVED)),
        late=Count("pk", filter=Q(state__in=DEADLINE_STATES, due_date__lt=today)),
        mine=Count("pk", filter=Q(state__in=OPEN_STATES, assignee_id=user.pk)),
        joint_meeting=Count("pk", filter=Q(state__in=OPEN_STATES, joint_meeting_requested_at__isnull=False)),
    )
    result = {key: int(counts[key] or 0) for key in keys}
    result["reopen_requests"] = scope_queryset(
        ReopenRequest.objects.filter(status=ReopenRequest.Status.OPEN), user
    ).count()
    return result


def joint_meeting_list(*, user: Any) -> QuerySet[Matter]:
    """Open matters put on the subdistrict's joint meeting list, oldest request first."""
    return (
        matters_visible_to(user=user)
        .filter(state__in=OPEN_STATES, joint_meeting_requested_at__isnull=False)
        .order_by("joint_meeting_requested_at", "pk")
    )


def joint_topics_visible_to(*, user: Any) -> list[tuple[Any, list[Any]]]:
    """The topics other apps offer the joint meeting in the user's subtree
    (joint_topics.py), by source: [(source, topics)], sources without topics left out."""
    found = []
    for source in topic_sources():
        rows = source.topics(user)
        if rows:
            found.append((source, rows))
    return found


def reopen_requests_visible_to(*, user: Any, status: str | None = ReopenRequest.Status.OPEN) -> QuerySet[ReopenRequest]:
    """Reopen requests in the user's subtree (open ones by default), oldest first."""
    if not permissions.can_view(user):
        return ReopenRequest.objects.none()
    requests = scope_queryset(ReopenRequest.objects.select_related("matter", "matter__node", "feedback"), user)
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("created_at", "pk")


def reopen_request_get_visible(*, user: Any, pk: Any) -> ReopenRequest:
    if not permissions.can_view(user):
        raise Http404("未找到该申请,或您无权查看。")
    return get_in_scope_or_404(ReopenRequest.objects.select_related("matter", "matter__node"), user, pk=pk)


def assignable_users(*, matter: Matter) -> list[Any]:
    """Staff who may be assigned the matter: active, able to see matters,
    working in a node on the matter's path (its grid, village or the subdistrict)."""
    roles = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.VIEW_MATTERS in caps]
    return list(
        User.objects.filter(is_active=True, role__in=roles, jurisdiction__path__in=ancestor_paths(matter.path))
        .select_related("jurisdiction")
        .order_by("jurisdiction__path", "username")
    )


def categories_active() -> list[Category]:
    """Active categories, first level then their children, in display order."""
    return list(Category.objects.filter(active=True).select_related("parent").order_by("sort_order", "code"))


# --- What the public may see (ADR 0018) ----------------------------------------------------


def public_category_q(prefix: str = "category") -> Q:
    """Rows whose category (at `prefix`) is set and neither it nor its
    first-level parent is sensitive. A matter not yet categorised is not
    public: nobody has judged yet whether its subject is private."""
    return (
        Q(**{f"{prefix}__isnull": False})
        & Q(**{f"{prefix}__sensitive": False})
        & (Q(**{f"{prefix}__parent__isnull": True}) | Q(**{f"{prefix}__parent__sensitive": False}))
    )


def public_matter_q(prefix: str = "") -> Q:
    """Matters the public may see: the reporter agreed, and the category is
    not sensitive. `prefix` reaches the matter from another model
    (``"matter__"``)."""
    return Q(**{f"{prefix}public_consent": True}) & public_category_q(f"{prefix}category")


def sensitive_matter_q(prefix: str = "") -> Q:
    """Matters in a sensitive category, for `.exclude()` where staff chose
    the matter (agenda items, appraisal items: consent is not asked, but a
    private subject stays off public pages). `prefix` reaches the matter
    from another model (``"item__matter__"``); rows without one are kept."""
    return Q(**{f"{prefix}category__sensitive": True}) | Q(**{f"{prefix}category__parent__sensitive": True})


def matters_public() -> QuerySet[Matter]:
    return Matter.objects.filter(public_matter_q())


# A matter's progress by state, as residents read it on publications (0–100).
MATTER_PROGRESS = {
    "reported": 10,
    "accepted": 25,
    "deliberating": 40,
    "handling": 60,
    "resolved": 90,
    "closed": 100,
}


def matter_progress(matter: Matter) -> int:
    return MATTER_PROGRESS.get(matter.state, 0)


# --- The staff detail page and the API ------------------------------------------------------


def matter_detail(*, pk: Any) -> Matter:
    """A matter (already found in the user's scope) with everything the staff
    detail page shows: its timeline, files, publications (newest first, the
    publication's own ordering), feedback, reopen requests and merged matters."""
    return (
        Matter.objects.select_related(
            "node",
            "category",
            "category__parent",
            "responsible_unit",
            "assignee",
            "created_by",
            "merged_into",
            "escalated_to",
            "address",
        )
        .prefetch_related(
            Prefetch("events", queryset=MatterEvent.objects.select_related("actor").prefetch_related("attachments")),
            "attachments",
            "publications",
            "feedback",
            Prefetch("reopen_requests", queryset=ReopenRequest.objects.select_related("answered_by")),
            "merged_matters",
        )
        .get(pk=pk)
    )


def matter_pending_referral(*, matter: Matter) -> Any:
    """The mediation centre's referral of this matter that still waits to be
    received (mediation's row, through its link to the matter), or None."""
    return matter.dispute_referrals.filter(state="pending").first()


def matter_objection_publication(*, matter: Matter) -> Any:
    """The publication an objection matter was raised against (publicity's
    Objection row, through its one-to-one link to the matter), or None."""
    if matter.channel != Channel.OBJECTION:
        return None
    objection = getattr(matter, "objection", None)
    return objection.publication if objection is not None else None


def matters_for_api(*, user: Any) -> QuerySet[Matter]:
    """The API's matters of the user's subtree, with what a matter's record shows."""
    return matters_visible_to(user=user).select_related(
        "node", "category", "category__parent", "assignee", "responsible_unit", "merged_into", "address"
    )


def matter_for_api(*, user: Any, pk: Any) -> Matter:
    """One matter of `matters_for_api` with its attachments (the detail record)."""
    return matters_for_api(user=user).prefetch_related("attachments").get(pk=pk)


def matter_publications(*, matter: Matter) -> QuerySet[Any]:
    """The matter's publications (publicity's rows, through their link), newest first."""
    return matter.publications.select_related("created_by")


def matter_events(*, matter: Matter) -> QuerySet[MatterEvent]:
    """The matter's whole timeline, internal notes included."""
    return matter.events.select_related("actor").prefetch_related("attachments")


def categories_for_api() -> QuerySet[Category]:
    """Active categories in the API's order: by parent, then display order."""
    return Category.objects.filter(active=True).order_by("parent_id", "sort_order", "code")
