"""晒事 services: draft, publish, withdraw and end publications, and turn a
resident's objection into a matter. Every change is audited; publications
of a matter also appear on the matter's timeline."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.models import User
from grassroots.core.actors import SYSTEM, user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import DomainError
from grassroots.core.notifications.services import normalise_mobile, notify_user
from grassroots.core.scrubbing import has_personal_numbers
from grassroots.core.search import search_index
from grassroots.core.workdays import CalendarNotCovered, add_working_days
from grassroots.core.workflow import Workflow
from grassroots.regions.models import Level, Node
from grassroots.regions.service_area import service_area

from .errors import PublicityConflict, PublicityError
from .models import Channel, Kind, Objection, Publication, PublicationEvent
from .permissions import require_publisher, require_scope, require_transition
from .states import TABLE, Action, State

SEARCH_TYPE = "publicity.Publication"
DEFAULT_PERIOD_DAYS = 5  # working days after the start (start not counted)
MAX_PERIOD_DAYS = 366
CHANNEL_ORDER = list(Channel.values)
MATTER_KINDS = frozenset({Kind.PLAN, Kind.RESULT})


def date_label(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def default_end(start: datetime.date) -> datetime.date | None:
    """Five working days after the start; None when the calendar does not
    cover them (the user then picks the end date: never a weekday guess)."""
    try:
        return add_working_days(start, DEFAULT_PERIOD_DAYS)
    except CalendarNotCovered:
        return None


def publication_index(publication: Publication) -> None:
    """(Re)index a publication's text for search (ADR 0007), in the same
    transaction as the change (publications are written rarely)."""
    number = publication.matter.number if publication.matter_id and publication.matter else ""
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
    matter_text: str = "",
    audit_extra: dict[str, Any] | None = None,
) -> Publication:
    """A publication changes state only here, through the workflow engine;
    a matter's publication is also told on the matter's timeline."""
    return WORKFLOW.transition(
        publication,
        action=action,
        actor=actor,
        permission=partial(require_transition, actor, publication),
        updates=updates,
        event=lambda fresh, source, target: PublicationEvent.objects.create(
            publication=fresh, action=action, from_state=source, to_state=target, actor=user_or_none(actor), text=text
        ),
        within=(lambda fresh, _event: _matter_event(fresh, actor, matter_text)) if matter_text else None,
        audit_extra=audit_extra,
    )


def _clean_channels(channels: Iterable[str] | None) -> list[str]:
    chosen = {str(c) for c in (channels or [])}
    unknown = chosen - set(CHANNEL_ORDER)
    if unknown:
        raise PublicityError("channel_invalid", "公示渠道无效:" + "、".join(sorted(unknown)) + "。", field="channels")
    if not chosen:
        raise PublicityError("channels_required", "请至少选择一个公示渠道。", field="channels")
    return [c for c in CHANNEL_ORDER if c in chosen]


def _clean_text(title: str, content: str) -> tuple[str, str]:
    title = (title or "").strip()
    if not title:
        raise PublicityError("title_required", "请填写公示标题。", field="title")
    if len(title) > 100:
        raise PublicityError("title_too_long", "公示标题不能超过 100 个字。", field="title")
    content = (content or "").strip()
    if not content:
        raise PublicityError("content_required", "请填写公示正文。", field="content")
    if len(content) > 5000:
        raise PublicityError("content_too_long", "公示正文不能超过 5000 个字。", field="content")
    _refuse_personal_numbers(title, content)
    return title, content


def _refuse_personal_numbers(title: str, content: str) -> None:
    """A notice is an official text that staff sign off and print: rather
    than rewriting it, refuse phone, ID and card numbers in any form (ADR 0018)."""
    for text, field in ((title, "title"), (content, "content")):
        if has_personal_numbers(text):
            raise PublicityError(
                "personal_numbers",
                "公示中不能出现电话号码、身份证号等个人号码,请删除后再保存;"
                "如需公布联系方式,请写明承办单位,由单位对外公开办公电话。",
                field=field,
            )


def _basis_date(publication: Publication) -> tuple[datetime.date | None, str]:
    """The earliest day a period may start: a plan not before the matter was
    accepted, a result not before it was resolved, a meeting's resolutions
    not before it closed, appraisal results not before the session closed."""
    if publication.kind == Kind.RESULT and publication.matter and publication.matter.resolved_at:
        return timezone.localdate(publication.matter.resolved_at), "事项办结"
    if publication.kind == Kind.PLAN and publication.matter:
        basis = publication.matter.accepted_at or publication.matter.created_at
        return timezone.localdate(basis), "事项受理"
    if publication.kind == Kind.RESOLUTION and publication.meeting and publication.meeting.closed_at:
        return timezone.localdate(publication.meeting.closed_at), "会议结束"
    if publication.kind == Kind.APPRAISAL and publication.appraisal and publication.appraisal.closed_at:
        return timezone.localdate(publication.appraisal.closed_at), "评议结束"
    return None, ""


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
    from grassroots.deliberation.states import State as MeetingState
    from grassroots.evaluation.states import State as SessionState
    from grassroots.matters.permissions import PUBLISHABLE_STATES
    from grassroots.matters.states import State as MatterState

    kind = publication.kind
    if kind not in Kind.values:
        raise PublicityError("kind_invalid", "请选择公示内容。", field="kind")
    if kind in MATTER_KINDS:
        matter = publication.matter
        if matter is None:
            raise PublicityError("matter_required", "请选择要公示的事项。", field="matter")
        require_scope(actor, matter)  # type: ignore[arg-type]
        if matter.state not in PUBLISHABLE_STATES:
            raise PublicityError(
                "publication_state",
                f"事项当前为“{MatterState(matter.state).label}”,还没有可以公示的方案或结果。",
                field="kind",
            )
        if kind == Kind.PLAN and not matter.handling_plan.strip():
            raise PublicityError(
                "plan_missing", "事项还没有办理方案,交办或议事形成方案后才能公示理事方案。", field="kind"
            )
        if kind == Kind.RESULT and matter.state not in (MatterState.RESOLVED, MatterState.CLOSED):
            raise PublicityError("result_missing", "事项办结后才能公示理事结果。", field="kind")
        publication.node = matter.node
    elif kind == Kind.RESOLUTION:
        meeting = publication.meeting
        if meeting is None:
            raise PublicityError("meeting_required", "请选择要公示决议的会议。", field="meeting")
        require_scope(actor, meeting)  # type: ignore[arg-type]
        if meeting.state != MeetingState.CLOSED:
            raise PublicityError("meeting_open", "会议结束后才能公示决议。", field="meeting")
        if not meeting.agenda.filter(resolution__isnull=False).exists():
            raise PublicityError("no_resolutions", "这次会议没有形成决议,无需公示。", field="meeting")
        publication.node = meeting.node
    elif kind == Kind.APPRAISAL:
        session = publication.appraisal
        if session is None:
            raise PublicityError("appraisal_required", "请选择要公示结果的月度评议。", field="appraisal")
        require_scope(actor, session)  # type: ignore[arg-type]
        if session.state != SessionState.CLOSED:
            raise PublicityError("appraisal_open", "评议投票结束后才能公示结果。", field="appraisal")
        publication.node = session.village
    else:  # ranking
        # node is a required foreign key: reading it unset raises, so look at the id first.
        node = publication.node if publication.node_id else None
        if node is None or node.level != Level.SUBDISTRICT:
            raise PublicityError("ranking_node", "红黄榜按街道公示。", field="node")
        require_scope(actor, node)


def _matter_event(publication: Publication, actor: Actor, text: str) -> None:
    if publication.matter_id is None:
        return
    from grassroots.matters.models import EventKind
    from grassroots.matters.services.events import event_append

    event_append(
        matter=publication.matter,  # type: ignore[arg-type]
        kind=EventKind.PUBLISHED,
        actor=actor,
        text=text,
        public=True,
        data={"publication": publication.pk, "kind": publication.kind, "state": publication.state},
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
    publication = Publication(
        kind=kind,
        matter=matter if kind in MATTER_KINDS else None,
        meeting=meeting if kind == Kind.RESOLUTION else None,
        appraisal=appraisal if kind == Kind.APPRAISAL else None,
        node=node,
        data=data or {},
        created_by=actor,
    )
    _check_source(actor, publication)
    publication.title, publication.content = _clean_text(title, content)
    publication.channels = _clean_channels(channels)
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
    publication.title, publication.content = _clean_text(title, content)
    publication.channels = _clean_channels(channels)
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
        matter_text=_published_text(publication),
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
    _refuse_personal_numbers(publication.title, publication.content)  # drafts saved before the rule
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
        matter_text=f"{Kind(publication.kind).label}公示已撤回:{publication.title}。原因:{reason}",
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


def shown_state(publication: Publication, *, today: datetime.date | None = None) -> str:
    """The state residents see: a published notice whose period is over is
    shown as ended even before the nightly task has marked it."""
    today = today or timezone.localdate()
    if publication.state == State.PUBLISHED and publication.ends_on and publication.ends_on < today:
        return State.ENDED
    return publication.state


def objection_open(publication: Publication, *, today: datetime.date | None = None) -> bool:
    """Objections are taken while the publication is in its period."""
    today = today or timezone.localdate()
    return (
        publication.state == State.PUBLISHED
        and publication.starts_on is not None
        and publication.ends_on is not None
        and publication.starts_on <= today <= publication.ends_on
    )


@dataclass
class ObjectionInput:
    text: str
    phone: str
    name: str = ""
    village: Node | None = None  # required when the publication is above village level


def objection_places(publication: Publication) -> list[Node]:
    """Where an objection to a subdistrict-wide publication can be filed: its
    villages that somebody handles (an objection becomes a matter, ADR 0021)."""
    if publication.node.level >= Level.VILLAGE:
        return []
    area = service_area()
    villages = Node.objects.filter(path__startswith=publication.path, level=Level.VILLAGE).order_by("path")
    return [village for village in villages if area.serves(village)]


def objection_file(*, publication: Publication, data: ObjectionInput, idempotency_key: str | None = None) -> Objection:
    """A resident's 异议 during the period becomes a matter (channel 公示异议)
    at the publication's place, linked back to it; the publisher is told."""
    from grassroots.matters.services.intake import MatterInput, matter_create

    if not objection_open(publication):
        raise PublicityError("objection_closed", "该公示不在公示期内,不能再提出异议。如有问题请通过“我要说事”反映。")
    text = (data.text or "").strip()
    if len(text) < 5:
        raise PublicityError("text_required", "请写明异议的内容和理由(至少 5 个字)。", field="text")
    if len(text) > 2000:
        raise PublicityError("text_too_long", "异议内容不能超过 2000 个字。", field="text")
    try:
        phone = normalise_mobile(data.phone or "")
    except DomainError as exc:
        raise PublicityError("phone_invalid", "请留下 11 位手机号,以便告知处理结果(不会公开)。", field="phone") from exc
    node = publication.node
    if node.level < Level.VILLAGE:
        if data.village is None or not data.village.path.startswith(publication.path):
            raise PublicityError("village_required", "请选择您所在的村/社区。", field="village")
        node = data.village
    title = f"对公示《{publication.title}》的异议"
    if len(title) > 100:
        title = title[:99] + "…"
    with transaction.atomic():
        matter, created = matter_create(
            data=MatterInput(
                node=node,
                title=title,
                description=text,
                channel="objection",
                reporter_name=(data.name or "").strip()[:50],
                reporter_phone=phone,
                touches_collective=publication.kind in (Kind.PLAN, Kind.RESULT, Kind.RESOLUTION),
                channel_detail={"publication": publication.pk},
            ),
            idempotency_key=idempotency_key,
        )
        if not created:
            existing = Objection.objects.filter(matter=matter).first()
            if existing is not None:
                return existing
        objection = Objection.objects.create(publication=publication, matter=matter)
        recipient = publication.published_by or publication.created_by
        link = reverse("matters:detail", args=[matter.pk])
        # The outbox row is written in this transaction and sent after commit.
        notify_user(
            recipient,
            "公示收到异议",
            f"公示《{publication.title}》收到群众异议,已登记为事项 {matter.number},请及时受理答复。",
            link,
            dedupe_key=f"publicity-objection-{objection.pk}",
        )
    return objection
