"""Reads about matters that come to the centre: referrals (转介) waiting for
the centre or already decided, and the facts of a case's original matter.

Mediators and legal advisers cannot open the matters pages (they lack
`VIEW_MATTERS`), so the case page shows them what they need of the matter
here: title, text, place down to the grid, category, channel, when it was
reported, the reporter with a masked phone, the attachments, and the
referral's note. Everything is read through the case or referral the user
may already see, so jurisdiction scoping is that of the case."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from grassroots.core.masking import mask_phone
from grassroots.core.scoping import get_in_scope_or_404, scope_queryset
from grassroots.matters.models import Attachment, Matter
from grassroots.regions.models import Level, Node

from . import permissions
from .models import DisputeCase, DisputeReferral
from .states import ReferralState

NOT_FOUND = "未找到该转介,或您无权查看。"
MAX_ID = 2**63 - 1
# Deeper levels (building, unit) identify a household: the facts stop at the grid.
FACTS_DEPTH = Level.GRID


@dataclass
class MatterFacts:
    matter: Matter
    place: str
    category: str
    channel: str
    reported_at: datetime.datetime
    reporter: str
    reporter_phone: str  # masked
    attachments: list[Attachment] = field(default_factory=list)
    referral: DisputeReferral | None = None


def _place(node: Node) -> str:
    """``湖田街道 / 西张村 / 第1网格``: the matter's village and grid, not its building or unit."""
    depth = min(node.depth, FACTS_DEPTH)
    paths = [node.path[: d * Node.steplen] for d in range(1, depth + 1)]
    labels = {n.path: n.label for n in Node.objects.filter(path__in=paths).only("path", "name", "short_name", "level")}
    return " / ".join(labels[p] for p in paths if p in labels)


def matter_facts(*, matter: Matter, referral: DisputeReferral | None = None) -> MatterFacts:
    """The facts the centre needs of `matter` (four queries). Callers have
    checked that the user may see the case or referral it belongs to."""
    loaded = Matter.objects.select_related("node", "category", "category__parent").get(pk=matter.pk)
    category = loaded.category
    return MatterFacts(
        matter=loaded,
        place=_place(loaded.node),
        category=str(category) if category is not None else "未分类",
        channel=loaded.get_channel_display(),
        reported_at=loaded.created_at,
        reporter="匿名" if loaded.anonymous else (loaded.reporter_name or "未留姓名"),
        reporter_phone=mask_phone(loaded.reporter_phone),
        attachments=list(Attachment.objects.filter(matter=loaded).order_by("id")),
        referral=referral,
    )


def case_matter_facts(*, case: DisputeCase) -> MatterFacts | None:
    """The original matter's facts of a case transferred or referred from one."""
    if case.source_matter_id is None:
        return None
    referral = DisputeReferral.objects.filter(case=case).select_related("referred_by").first()
    return matter_facts(matter=case.source_matter, referral=referral)  # type: ignore[arg-type]


def case_attachment(*, case: DisputeCase, pk: Any) -> Attachment:
    """An attachment of the case's original matter (404 for any other)."""
    if case.source_matter_id is None:
        raise Http404("未找到该附件。")
    try:
        return Attachment.objects.get(pk=parse_pk(pk), matter_id=case.source_matter_id)
    except Attachment.DoesNotExist as exc:
        raise Http404("未找到该附件。") from exc


def parse_pk(value: Any) -> int:
    """A row id from a URL or body: digits within the database's range, or 404
    (a 20-digit id must not reach the database, which would answer with an error)."""
    try:
        pk = int(str(value))
    except (TypeError, ValueError):
        raise Http404("未找到该对象,或您无权查看。") from None
    if not 0 < pk <= MAX_ID:
        raise Http404("未找到该对象,或您无权查看。")
    return pk


# --- Referrals ------------------------------------------------------------------


def referrals_visible_to(*, user: Any, state: str = "") -> QuerySet[DisputeReferral]:
    """The centre's referrals in its subtree (nothing for anybody else)."""
    if not permissions.can_manage(user):
        return DisputeReferral.objects.none()
    qs = scope_queryset(DisputeReferral.objects.all(), user).select_related(
        "matter", "matter__node", "referred_by", "decided_by", "case"
    )
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-referred_at", "-id")


def pending_referrals(*, user: Any) -> QuerySet[DisputeReferral]:
    return referrals_visible_to(user=user, state=ReferralState.PENDING)


def referral_visible(*, user: Any, pk: Any) -> DisputeReferral | None:
    """The referral with its related rows loaded, or None once the user may no longer see it."""
    return referrals_visible_to(user=user).filter(pk=pk).first()


def referral_get_visible(*, user: Any, pk: Any) -> DisputeReferral:
    try:
        return referrals_visible_to(user=user).get(pk=parse_pk(pk))
    except DisputeReferral.DoesNotExist as exc:
        raise Http404(NOT_FOUND) from exc


def matter_in_scope(*, user: Any, pk: Any) -> Matter:
    """A matter in the user's subtree, to take over or refer (outside it: 404)."""
    matter: Matter = get_in_scope_or_404(Matter.objects.select_related("node"), user, pk=pk)
    return matter


def case_from_matter(*, matter: Matter) -> DisputeCase | None:
    """The case a matter was already taken over as, if any."""
    return DisputeCase.objects.filter(source_matter=matter).first()
