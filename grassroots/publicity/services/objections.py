"""晒事 services for objections (异议): a resident's objection during a
publication's period becomes a matter through the objection intake that
matters registers (ADR 0021, ADR 0033); the publisher is told."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from grassroots.core.errors import DomainError
from grassroots.core.notifications.services import normalise_mobile, notify_user
from grassroots.regions.models import Level, Node
from grassroots.regions.service_area import service_area

from ..errors import PublicityError
from ..models import Kind, Objection, Publication
from ..registry import objection_intake
from ..states import State


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
    intake = objection_intake()
    with transaction.atomic():
        matter, created = intake.create(
            node=node,
            title=title,
            description=text,
            reporter_name=(data.name or "").strip()[:50],
            reporter_phone=phone,
            touches_collective=publication.kind in (Kind.PLAN, Kind.RESULT, Kind.RESOLUTION),
            channel_detail={"publication": publication.pk},
            idempotency_key=idempotency_key,
        )
        if not created:
            existing = Objection.objects.filter(matter=matter).first()
            if existing is not None:
                return existing
        objection = Objection.objects.create(publication=publication, matter=matter)
        recipient = publication.published_by or publication.created_by
        # The outbox row is written in this transaction and sent after commit.
        notify_user(
            recipient,
            "公示收到异议",
            f"公示《{publication.title}》收到群众异议,已登记为事项 {intake.number(matter)},请及时受理答复。",
            intake.staff_url(matter),
            dedupe_key=f"publicity-objection-{objection.pk}",
        )
    return objection
