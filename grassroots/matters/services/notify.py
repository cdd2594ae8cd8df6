"""Who hears about a matter, and how. Reporters get text messages through the
outbox (`notify_sms`); staff get in-app notifications (`notify_user`). Rows
are written in the caller's transaction, delivery is queued after commit by
the outbox itself, so a rolled-back transition notifies nobody.

Every row carries a dedupe key built from the timeline event that caused it:
running the notification step again for the same event (a retried task, a
re-sent batch) finds the existing row and sends nothing twice."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.urls import NoReverseMatch, reverse

from grassroots.accounts.models import User
from grassroots.accounts.roles import ROLE_CAPABILITIES
from grassroots.core.notifications.services import notify_sms, notify_user
from grassroots.regions.models import Node

from ..models import Matter, MatterEvent
from .intake import format_tracking_code

SMS_TITLE_CHARS = 20


def short_title(title: str) -> str:
    return title if len(title) <= SMS_TITLE_CHARS else title[: SMS_TITLE_CHARS - 1] + "…"


def tracking_link(tracking_code: str) -> str:
    """The public tracking page of a matter (relative; the outbox makes it absolute)."""
    try:
        return reverse("matters-public:status", args=[tracking_code])
    except NoReverseMatch:  # pragma: no cover - the public pages are always installed
        return f"/report/track/{tracking_code}/"


def staff_link(matter_pk: int) -> str:
    try:
        return reverse("matters:detail", args=[matter_pk])
    except NoReverseMatch:  # pragma: no cover - the staff pages are always installed
        return f"/matters/{matter_pk}/"


def code_label(matter: Matter) -> str:
    return format_tracking_code(matter.tracking_code)


def reporter_followers(matter: Matter) -> list[Matter]:
    """The matter and every matter merged into it, directly or through a
    chain of merges: their reporters follow this matter."""
    found = [matter]
    seen = {matter.pk}
    frontier = [matter.pk]
    while frontier:
        merged = list(Matter.objects.filter(merged_into_id__in=frontier).exclude(pk__in=seen).order_by("pk"))
        frontier = [m.pk for m in merged]
        seen.update(frontier)
        found.extend(merged)
    return found


def notify_reporters(
    *,
    matter: Matter,
    event: MatterEvent,
    compose: Callable[[Matter], str],
    subject: str,
    link: str = "",
    followers: Iterable[Matter] | None = None,
) -> int:
    """Text each reporter who left a phone: the matter's own and those of the
    matters merged into it. One message per phone number (the same person may
    have reported twice). `compose(reporter_matter)` writes the body, so that
    a follower hears about their own report. Returns how many were queued."""
    sent = 0
    phones: set[str] = set()
    for target in followers if followers is not None else reporter_followers(matter):
        if not target.reporter_phone or target.reporter_phone_index in phones:
            continue
        phones.add(target.reporter_phone_index)
        notify_sms(
            target.reporter_phone,
            compose(target),
            subject=subject,
            link=link,
            dedupe_key=f"matter:{matter.pk}:event:{event.pk}:sms:{target.reporter_phone_index[:32]}",
        )
        sent += 1
    return sent


def handlers_at(node: Node, capability: str) -> list[User]:
    """Active staff whose jurisdiction is exactly `node` and whose role has `capability`."""
    roles = [role for role, capabilities in ROLE_CAPABILITIES.items() if capability in capabilities]
    return list(User.objects.filter(jurisdiction=node, role__in=roles, is_active=True).order_by("pk"))


def notify_staff(
    *, users: Iterable[Any], event: MatterEvent, subject: str, body: str, link: str, tag: str = "staff"
) -> int:
    count = 0
    for user in users:
        notify_user(user, subject, body, link, dedupe_key=f"matter:{event.matter_id}:event:{event.pk}:{tag}:{user.pk}")
        count += 1
    return count
