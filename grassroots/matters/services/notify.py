"""Who hears about a matter, and how. Reporters get text messages through the
outbox (`notify_sms`); staff get in-app notifications (`notify_user`). Rows
are written in the caller's transaction, delivery is queued after commit by
the outbox itself, so a rolled-back transition notifies nobody.

Every row carries a dedupe key built from the timeline event that caused it:
running the notification step again for the same event (a retried task, a
re-sent batch) finds the existing row and sends nothing twice."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from django.urls import NoReverseMatch, reverse

from grassroots.accounts.models import User
from grassroots.accounts.roles import ROLE_CAPABILITIES
from grassroots.core.notifications.services import notify_sms, notify_user, sms_kind
from grassroots.regions.models import Node

from ..models import Matter, MatterEvent
from .intake import format_tracking_code
from .transitions import date_label

SMS_TITLE_CHARS = 20

# 您反映的“${title}”${progress}。查询码${code}。
SMS_PROGRESS = sms_kind("matters.progress", "事项办理进展(反映人)", ("title", "progress", "code"))


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
    progress: Callable[[Matter], str],
    code: str,
    subject: str,
    link: str = "",
    followers: Iterable[Matter] | None = None,
) -> int:
    """Text each reporter who left a phone: the matter's own and those of the
    matters merged into it. One message per phone number (the same person may
    have reported twice). `compose(reporter_matter)` writes the body, so that
    a follower hears about their own report; `progress(reporter_matter)` and
    `code` fill the gateways' approved template (`SMS_PROGRESS`). Returns how
    many were queued."""
    sent = 0
    phones: set[str] = set()
    for target in followers if followers is not None else reporter_followers(matter):
        for channel in _REPORTER_CHANNELS:
            # Channels above matters (the WeChat official account, ADR 0051)
            # reach reporters who wrote through them; each dedupes by event.
            sent += channel(matter=target, event=event, body=compose(target), subject=subject, link=link)
        if not target.reporter_phone or target.reporter_phone_index in phones:
            continue
        phones.add(target.reporter_phone_index)
        notify_sms(
            target.reporter_phone,
            compose(target),
            kind=SMS_PROGRESS,
            params={"title": short_title(target.title), "progress": progress(target), "code": code},
            subject=subject,
            link=link,
            dedupe_key=f"matter:{matter.pk}:event:{event.pk}:sms:{target.reporter_phone_index[:32]}",
        )
        sent += 1
    return sent


class ReporterChannel(Protocol):
    """Another way to reach a reporter than their phone: called for each
    reporting matter with the message composed for it; answers how many
    messages it queued (0 when the reporter did not come through it)."""

    def __call__(self, *, matter: Matter, event: MatterEvent, body: str, subject: str, link: str) -> int: ...


_REPORTER_CHANNELS: list[ReporterChannel] = []


def register_reporter_channel(channel: ReporterChannel) -> None:
    """Called from an upper app's AppConfig.ready(); registering the same
    callable again is a no-op (autoreload, tests)."""
    if channel not in _REPORTER_CHANNELS:
        _REPORTER_CHANNELS.append(channel)


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


def notify_assignee(fresh: Matter, event: MatterEvent, *, subject: str) -> None:
    """An in-app note to the matter's assignee (if any) about `event`."""
    if fresh.assignee is None:
        return
    due = f",办理期限 {date_label(fresh.due_date)}" if fresh.due_date else ""
    notify_staff(
        users=[fresh.assignee],
        event=event,
        subject=subject,
        body=f"{fresh.number}“{short_title(fresh.title)}”{due}。",
        link=staff_link(fresh.pk),
        tag="assignee",
    )


def arrangement_changes(*, before_unit_id: int | None, before_due: Any, fresh: Matter) -> list[str]:
    """What a reporter cares about that changed between a matter as read
    before a write and `fresh`: the responsible unit and the due date."""
    changes = []
    if fresh.responsible_unit_id != before_unit_id and fresh.responsible_unit is not None:
        changes.append(f"责任单位改为{fresh.responsible_unit.name}")
    if fresh.due_date != before_due and fresh.due_date is not None:
        changes.append(f"办理期限调整为 {date_label(fresh.due_date)}")
    return changes


def notify_arrangement_changed(
    *, fresh: Matter, event: MatterEvent, before_unit_id: int | None, before_due: Any, why: str
) -> int:
    """Text the reporters once when the unit or the due date changed (the
    dedupe key is the event's); nothing when neither did."""
    changes = arrangement_changes(before_unit_id=before_unit_id, before_due=before_due, fresh=fresh)
    if not changes:
        return 0
    return notify_reporters(
        matter=fresh,
        event=event,
        compose=lambda target: (
            f"您反映的“{short_title(target.title)}”{why},{';'.join(changes)}。查询码 {code_label(fresh)}。"
        ),
        progress=lambda target: f"{why},{';'.join(changes)}",
        code=code_label(fresh),
        subject="办理安排调整",
        link=tracking_link(fresh.tracking_code),
    )
