"""Reads of matters. Every staff read goes through `matters_visible_to` or
`matter_get_visible`, which apply both layers of access: the VIEW_MATTERS
capability and the user's subtree (outside it a matter is 404)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import ROLE_CAPABILITIES, Capability
from grassroots.core.scoping import get_in_scope_or_404, scope_queryset, user_scope_path
from grassroots.core.search import bigrams, search_matches
from grassroots.core.workdays import WorkCalendar
from grassroots.regions.models import Level, Node

from .. import permissions
from ..models import Category, Matter, MatterEvent, ReopenRequest
from ..services.intake import SEARCH_TYPE, parse_tracking_code
from ..states import OPEN_STATES, State
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
from .pages import unit_on_path as unit_on_path
from .pages import units_on_path as units_on_path
from .pages import visit_in_scope as visit_in_scope
from .pages import visits_of as visits_of

# The reads behind single pages live in pages.py (re-exported above).

LATE = "late"
LATE3 = "late3"
# Open states in which a matter has a due date and can be late.
DEADLINE_STATES = (State.ACCEPTED, State.HANDLING, State.DELIBERATING)
DUPLICATE_DAYS = 30
DUPLICATE_POOL = 300


def _with_related(queryset: QuerySet[Matter]) -> QuerySet[Matter]:
    # Everything a queue row shows, so that a page costs a constant number of queries.
    return queryset.select_related("category", "category__parent", "node", "responsible_unit", "assignee")


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def late3_condition(*, today: datetime.date, deadline_days: Iterable[int], calendar: WorkCalendar | None = None) -> Q:
    """ "3× late": an open matter whose due date lies at least 2 × deadline_days
    working days before today, so that the working time elapsed since it was
    accepted is at least three times the time it was allowed. Working days
    cannot be counted in SQL, so for each distinct deadline (a handful of
    values) we compute the latest due date that qualifies: the day before
    the (2 × d)-th working day counted back from today."""
    calendar = calendar or WorkCalendar()
    condition = Q(pk__in=[])
    for days in sorted(set(deadline_days)):
        if not days:
            continue
        needed = 2 * days
        day = today
        counted = 0
        while True:
            if calendar.is_workday(day):
                counted += 1
                if counted == needed:
                    break
            day -= datetime.timedelta(days=1)
        cutoff = day - datetime.timedelta(days=1)
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
    matters = _with_related(scope_queryset(Matter.objects.all(), user))
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
    return get_in_scope_or_404(_with_related(Matter.objects.all()), user, pk=pk)


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
    """The events a reporter sees on the tracking page, oldest first."""
    return list(matter.events.filter(public=True).prefetch_related("attachments").order_by("created_at", "id"))


# --- Duplicates -------------------------------------------------------------------

# Filler bigrams of everyday reports that say nothing about *what* happened;
# they would make unrelated reports from the same estate look alike.
DUPLICATE_STOP = frozenset(
    {
        "号楼", "单元", "小区", "好几", "几天", "一直", "没人", "没有", "已经", "我们", "我家", "希望",
        "反映", "问题", "解决", "情况", "居民", "群众", "现在", "影响", "一个", "了好", "不了",
    }
)  # fmt: skip
# Score at or above which a matter is offered as a likely duplicate. Measured
# on hand-written pairs of typical reports (see tests/test_selectors.py): the
# same problem told twice scores 0.29–0.60 (e.g. “3号楼楼道灯坏了好几天” vs
# “3号楼楼道里的灯不亮了” 0.40), different problems in the same estate 0–0.27
# (“楼道堆放杂物” vs “楼道灯不亮” 0.22). Staff decide and nothing merges by
# itself, so the cut sits below the lowest true pair: a borderline candidate
# costs a glance, a hidden duplicate costs a second crew.
DUPLICATE_THRESHOLD = 0.25
# Different building/house numbers ("3号楼" vs "5号楼") usually mean different
# places: the score is multiplied by this when both texts have numbers and
# share none.
NUMBER_MISMATCH_FACTOR = 0.25


def duplicate_tokens(text: str) -> set[str]:
    """Bigrams of CJK text and whole letter/digit runs, without single CJK
    characters (search's trailing unigrams) and filler bigrams."""
    return {t for t in bigrams(text) if (len(t) >= 2 or t.isascii()) and t not in DUPLICATE_STOP}


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _numbers(tokens: set[str]) -> set[str]:
    return {t for t in tokens if t.isascii() and t.isdigit()}


def duplicate_score(title_a: str, text_a: str, title_b: str, text_b: str) -> float:
    """Dice coefficient of the token sets, the better of title-only and
    title + description (a long description dilutes a matching title)."""
    full_a = duplicate_tokens(f"{title_a} {text_a}")
    full_b = duplicate_tokens(f"{title_b} {text_b}")
    score = max(_dice(duplicate_tokens(title_a), duplicate_tokens(title_b)), _dice(full_a, full_b))
    numbers_a, numbers_b = _numbers(full_a), _numbers(full_b)
    if numbers_a and numbers_b and not numbers_a & numbers_b:
        score *= NUMBER_MISMATCH_FACTOR
    return score


def duplicates_for(*, matter: Matter, limit: int = 5) -> list[tuple[Matter, float]]:
    """Likely duplicates of `matter`: matters in the same village/community,
    reported in the last 30 days, not merged or rejected, scored by bigram
    overlap (`duplicate_score`), best first."""
    depth = matter.node.depth - (matter.node.level - Level.VILLAGE)
    village_path = matter.path[: Node.steplen * max(depth, 1)]
    since = timezone.now() - datetime.timedelta(days=DUPLICATE_DAYS)
    pool = (
        _with_related(Matter.objects.filter(path__startswith=village_path, created_at__gte=since))
        .exclude(pk=matter.pk)
        .exclude(state__in=[State.MERGED, State.REJECTED])
        .order_by("-created_at")[:DUPLICATE_POOL]
    )
    scored = []
    for other in pool:
        score = duplicate_score(matter.title, matter.description, other.title, other.description)
        if score >= DUPLICATE_THRESHOLD:
            scored.append((other, score))
    scored.sort(key=lambda pair: (-pair[1], -pair[0].pk))
    return scored[:limit]


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
