"""晒事 services for publications: draft, publish, withdraw and end them.
Every change is audited; a publication's source (a matter, a meeting, an
appraisal session) is reached through the publication-source protocol
(ADR 0033), which also tells a matter's timeline of its publications."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.models import User
from grassroots.core.actors import SYSTEM, user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.search import search_index
from grassroots.core.workflow import Workflow
from grassroots.regions.models import Level, Node

from ..errors import PublicityConflict, PublicityError
from ..models import Channel, Kind, Publication, PublicationEvent
from ..permissions import require_publisher, require_scope, require_transition
from ..registry import source_for, source_object
from ..states import TABLE, Action, State
from .text import MAX_PERIOD_DAYS, clean_channels, clean_text, date_label, default_end, refuse_personal_numbers

SEARCH_TYPE = "publicity.Publication"


def publication_index(publication: Publication) -> None:
    """(Re)index a publication's text for search (ADR 0007), in the same
    transaction as the change (publications are written rarely)."""
    source = source_for(publication.kind)
    obj = source_object(publication, source)
    number = source.number(obj) if source is not None and obj is not None else ""
    search_index(
        obj_type=SEARCH_TYPE,
        obj_id=publication.pk,
        path=publication.path,
        text=" ".join(filter(None, [number, publication.title, publication.content])),
    )


_NOT_ALLOWED = {Action.PUBLISH: ("not_draft", "发布"), Action.WITHDRAW: ("not_published", "撤回")}


def _not_allowed(action: str, state: str) -> PublicityConflict:
    code, verb = _NOT_ALLOWED.get(Action(action), ("transition_not_allowed", str(Action(action).label)))
    return PublicityConflict(code, f"公示当前为“{State(state).label}”,不能{verb}。")


WORKFLOW: Workflow[Publication] = Workflow(
    model=Publication,
    table=TABLE,
    not_allowed=_not_allowed,
    stale=lambda: PublicityConflict("stale_state", "公示状态已被他人改变,请刷新后重试。"),
    timestamp_field=None,
)


def _transition(
    *,
    actor: Actor,
    publication: Publication,
    action: str,
    updates: dict[str, Any],
    text: str = "",
    source_text: str = "",
    audit_extra: dict[str, Any] | None = None,
) -> Publication:
    """A publication changes state only here, through the workflow engine;
    its source is told (a matter's timeline shows its publications)."""
    return WORKFLOW.transition(
        publication,
        action=action,
        actor=actor,
        permission=partial(require_transition, actor, publication),
        updates=updates,
        event=lambda fresh, source, target: PublicationEvent.objects.create(
            publication=fresh, action=action, from_state=source, to_state=target, actor=user_or_none(actor), text=text
        ),
        within=(lambda fresh, _event: _tell_source(fresh, actor, source_text)) if source_text else None,
        audit_extra=audit_extra,
    )


def _basis_date(publication: Publication) -> tuple[datetime.date | None, str]:
    """The earliest day a period may start, from the source: a plan not
    before the matter was accepted, a result not before it was resolved, a
    meeting's resolutions not before it closed, appraisal results not before
    the session closed."""
    source = source_for(publication.kind)
    obj = source_object(publication, source)
    if source is None or obj is None:
        return None, ""
    return source.basis(publication.kind, obj)


def _clean_period(
    publication: Publication, starts_on: datetime.date | None, ends_on: datetime.date | None, *, required: bool
) -> tuple[datetime.date | None, datetime.date | None]:
    if starts_on is None and ends_on is None and not required:
        return None, None
    if starts_on is None:
        raise PublicityError("period_required", "请填写公示开始日期。", field="starts_on")
    if ends_on is None:
        ends_on = default_end(starts_on)
        if ends_on is None:
            raise PublicityError(
                "period_required", "节假日安排尚未覆盖默认的 5 个工作日,请填写公示结束日期。", field="ends_on"
            )
    if ends_on < starts_on:
        raise PublicityError("period_order", "公示结束日期不能早于开始日期。", field="ends_on")
    if (ends_on - starts_on).days > MAX_PERIOD_DAYS:
        raise PublicityError("period_too_long", "公示期不能超过一年。", field="ends_on")
    basis, what = _basis_date(publication)
    if basis is not None and starts_on < basis:
        raise PublicityError(
            "period_before_basis", f"公示开始日期不能早于{what}的日期({date_label(basis)})。", field="starts_on"
        )
    return starts_on, ends_on


def _check_source(actor: Actor, publication: Publication) -> None:
    """The source exists, is in the actor's subtree and has something to publish."""
    kind = publication.kind
    if kind not in Kind.values:
        raise PublicityError("kind_invalid", "请选择公示内容。", field="kind")
    if kind == Kind.RANKING:
        # node is a required foreign key: reading it unset raises, so look at the id first.
        node = publication.node if publication.node_id else None
        if node is None or node.level != Level.SUBDISTRICT:
            raise PublicityError("ranking_node", "评事考评排行按街道公示。", field="node")
        require_scope(actor, node)
        return
    source = source_for(kind)
    if source is None:
        raise LookupError(f"no publication source registered for {kind!r} (see grassroots.core.publishing)")
    obj = source_object(publication, source)
    if obj is None:
        code, message = source.missing
        raise PublicityError(code, message, field=source.field)
    require_scope(actor, obj)
    refusal = source.refusal(kind, obj)
    if refusal is not None:
        raise PublicityError(refusal.code, refusal.message, field=refusal.field)
    publication.node = source.node(obj)


def _tell_source(publication: Publication, actor: Actor, text: str) -> None:
    source = source_for(publication.kind)
    obj = source_object(publication, source)
    if source is None or source.after is None or obj is None:
        return
    source.after(
        obj, actor, text, {"publication": publication.pk, "kind": publication.kind, "state": publication.state}
    )


def _published_text(publication: Publication) -> str:
    labels = "、".join(str(Channel(c).label) for c in publication.channels)
    assert publication.starts_on is not None and publication.ends_on is not None
    return (
        f"{Kind(publication.kind).label}已公示:{publication.title}"
        f"({date_label(publication.starts_on)}至{date_label(publication.ends_on)},{labels})。"
    )


def publication_create(
    *,
    actor: User,
    kind: str,
    title: str,
    content: str,
    channels: Iterable[str],
    matter: Any = None,
    meeting: Any = None,
    appraisal: Any = None,
    node: Node | None = None,
    data: dict[str, Any] | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    publish: bool = False,
) -> Publication:
    """A new publication, as a draft or (publish=True) published at once.
    A draft may leave the period empty; publishing then starts it today."""
    require_publisher(actor)
    given = {"matter": matter, "meeting": meeting, "appraisal": appraisal}
    source = source_for(kind)
    linked = {source.field: given.get(source.field)} if source is not None else {}
    publication = Publication(kind=kind, node=node, data=data or {}, created_by=actor, **linked)
    _check_source(actor, publication)
    publication.title, publication.content = clean_text(title, content)
    publication.channels = clean_channels(channels)
    if publish and starts_on is None:
        starts_on = timezone.localdate()
    publication.starts_on, publication.ends_on = _clean_period(publication, starts_on, ends_on, required=publish)
    with transaction.atomic():
        publication.save()
        publication_index(publication)
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            obj=publication,
            detail={"kind": kind, "title": publication.title},
        )
        if publish:
            publication = _publish(actor, publication)
    return publication


def publication_update(
    *,
    actor: Actor,
    publication: Publication,
    title: str,
    content: str,
    channels: Iterable[str],
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Publication:
    """Edit a draft. A published notice is never edited: withdraw it and publish a corrected one."""
    require_publisher(actor)
    require_scope(actor, publication)
    if publication.state != State.DRAFT:
        raise PublicityError("not_draft", "只有草稿可以修改;已发布的公示请撤回后重新发布。")
    publication.title, publication.content = clean_text(title, content)
    publication.channels = clean_channels(channels)
    publication.starts_on, publication.ends_on = _clean_period(publication, starts_on, ends_on, required=False)
    with transaction.atomic():
        publication.save()
        publication_index(publication)
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=publication, detail={})
    return publication


def _publish(actor: Actor, publication: Publication) -> Publication:
    return _transition(
        actor=actor,
        publication=publication,
        action=Action.PUBLISH,
        updates={
            "starts_on": publication.starts_on,
            "ends_on": publication.ends_on,
            "published_by": actor,
            "published_at": timezone.now(),
        },
        source_text=_published_text(publication),
        audit_extra={
            "starts_on": publication.starts_on.isoformat() if publication.starts_on else "",
            "ends_on": publication.ends_on.isoformat() if publication.ends_on else "",
        },
    )


def publication_publish(
    *,
    actor: Actor,
    publication: Publication,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Publication:
    """draft → published for the given period (default: from today, or the
    draft's planned dates, for five working days)."""
    require_publisher(actor)
    require_scope(actor, publication)
    WORKFLOW.check(Action.PUBLISH, publication)
    _check_source(actor, publication)
    refuse_personal_numbers(publication.title, publication.content)  # drafts saved before the rule
    start = starts_on or publication.starts_on or timezone.localdate()
    end = ends_on or (publication.ends_on if starts_on is None else None)
    publication.starts_on, publication.ends_on = _clean_period(publication, start, end, required=True)
    if publication.ends_on and publication.ends_on < timezone.localdate():
        raise PublicityError("period_past", "公示结束日期已过,请重新填写公示期。", field="ends_on")
    with transaction.atomic():
        return _publish(actor, publication)


def publication_withdraw(*, actor: Actor, publication: Publication, reason: str) -> Publication:
    """published → withdrawn, with a reason; audited and shown on the matter's timeline."""
    require_publisher(actor)
    require_scope(actor, publication)
    reason = (reason or "").strip()
    if not reason:
        raise PublicityError("reason_required", "撤回公示须说明原因。", field="reason")
    if len(reason) > 200:
        raise PublicityError("reason_too_long", "撤回原因不能超过 200 个字。", field="reason")
    WORKFLOW.check(Action.WITHDRAW, publication)
    return _transition(
        actor=actor,
        publication=publication,
        action=Action.WITHDRAW,
        updates={"withdrawn_by": actor, "withdrawn_at": timezone.now(), "withdraw_reason": reason},
        text=reason,
        source_text=f"{Kind(publication.kind).label}公示已撤回:{publication.title}。原因:{reason}",
        audit_extra={"reason": reason},
    )


def publications_end_due(*, today: datetime.date | None = None) -> int:
    """published → ended for every publication whose period is over (daily, celery beat)."""
    today = today or timezone.localdate()
    ended = 0
    for publication in Publication.objects.filter(state=State.PUBLISHED, ends_on__lt=today).order_by("id"):
        try:
            _transition(
                actor=SYSTEM,
                publication=publication,
                action=Action.END,
                updates={"ended_at": timezone.now()},
                audit_extra={"ends_on": str(publication.ends_on)},
            )
        except PublicityError:  # withdrawn meanwhile: nothing to end
            continue
        ended += 1
    return ended
