"""公示 records: what of a matter was published (its handling plan or its
result), from when to when, on which channels. For a matter touching
collective interests they are what allows it to close (lifecycle.matter_close);
the 晒事 module shows them on the portal, the LED board and printed notices."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record

from .. import permissions
from ..errors import MatterError
from ..models import EventKind, Matter, Publication, PublicationChannel, PublicationKind
from ..states import State
from .events import event_append
from .transitions import date_label

MAX_PERIOD_DAYS = 366
CHANNEL_ORDER = list(PublicationChannel.values)


def _clean_channels(channels: Iterable[str] | None) -> list[str]:
    chosen = {str(c) for c in (channels or [])}
    unknown = chosen - set(CHANNEL_ORDER)
    if unknown:
        raise MatterError("channel_invalid", "公示渠道无效:" + "、".join(sorted(unknown)) + "。", field="channels")
    if not chosen:
        raise MatterError("channels_required", "请至少选择一个公示渠道。", field="channels")
    return [c for c in CHANNEL_ORDER if c in chosen]


def publication_record(
    *,
    actor: Any,
    matter: Matter,
    kind: str,
    title: str,
    content: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    channels: Iterable[str],
    request: Any = None,
) -> Publication:
    """Record that the handling plan (理事方案) or the result (理事结果) of a
    matter is published. A plan needs a handling plan on the matter; a result
    needs the matter resolved or closed. The period may start in the past
    (recording a notice already posted) but not before the plan or result existed."""
    permissions.require_scope(actor, matter)
    permissions.require(permissions.can_publish(actor), "您的角色不能登记公示。")
    if kind not in PublicationKind.values:
        raise MatterError("publication_kind_invalid", "请选择公示内容:理事方案或理事结果。", field="kind")
    if matter.state not in permissions.PUBLISHABLE_STATES:
        raise MatterError(
            "publication_state", f"事项当前为“{State(matter.state).label}”,还没有可以公示的方案或结果。", field="kind"
        )
    if kind == PublicationKind.PLAN and not matter.handling_plan.strip():
        raise MatterError("plan_missing", "事项还没有办理方案,交办或议事形成方案后才能公示理事方案。", field="kind")
    if kind == PublicationKind.RESULT and matter.state not in (State.RESOLVED, State.CLOSED):
        raise MatterError("result_missing", "事项办结后才能公示理事结果。", field="kind")
    title = (title or "").strip()
    if not title:
        raise MatterError("title_required", "请填写公示标题。", field="title")
    if len(title) > 100:
        raise MatterError("title_too_long", "公示标题不能超过 100 个字。", field="title")
    content = (content or "").strip()
    if not content:
        raise MatterError("content_required", "请填写公示正文。", field="content")
    if len(content) > 5000:
        raise MatterError("content_too_long", "公示正文不能超过 5000 个字。", field="content")
    if starts_on is None or ends_on is None:
        raise MatterError("period_required", "请填写公示的起止日期。", field="starts_on")
    if ends_on < starts_on:
        raise MatterError("period_order", "公示结束日期不能早于开始日期。", field="ends_on")
    if (ends_on - starts_on).days > MAX_PERIOD_DAYS:
        raise MatterError("period_too_long", "公示期不能超过一年。", field="ends_on")
    basis = matter.resolved_at if kind == PublicationKind.RESULT else (matter.accepted_at or matter.created_at)
    if basis is not None and starts_on < timezone.localdate(basis):
        what = "办结" if kind == PublicationKind.RESULT else "受理"
        raise MatterError(
            "period_before_basis",
            f"公示开始日期不能早于事项{what}的日期({date_label(timezone.localdate(basis))})。",
            field="starts_on",
        )
    chosen = _clean_channels(channels)
    with transaction.atomic():
        publication = Publication.objects.create(
            matter=matter,
            kind=kind,
            title=title,
            content=content,
            starts_on=starts_on,
            ends_on=ends_on,
            channels=chosen,
            created_by=actor,
        )
        labels = "、".join(str(PublicationChannel(c).label) for c in chosen)
        event_append(
            matter=matter,
            kind=EventKind.PUBLISHED,
            actor=actor,
            text=(
                f"{PublicationKind(kind).label}已公示:{title}"
                f"({date_label(starts_on)}至{date_label(ends_on)},{labels})。"
            ),
            public=True,
            data={"publication": publication.pk, "kind": kind},
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=publication,
            detail={"number": matter.number, "kind": kind, "starts_on": starts_on.isoformat()},
        )
    return publication
