"""What the staff queue, the export and the detail panel show of a matter
beyond its fields: how it stands against its due date, the reporter's label,
the channel details (masked) and the notes on a provisional deadline."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from grassroots.core.masking import mask_name, mask_phone
from grassroots.core.workdays import CalendarNotCovered, WorkCalendar, deadline_after

from ..models import Matter
from ..states import OPEN_STATES


@dataclass(frozen=True)
class DueStatus:
    """How a matter stands against its due date, for badges and exports."""

    late: bool = False
    today: bool = False
    # Working days past the due date; None when the calendar cannot say.
    days: int | None = None

    @property
    def label(self) -> str:
        if self.late:
            return f"逾期 {self.days} 个工作日" if self.days else "已逾期"
        return "今日到期" if self.today else ""


def due_status(matter: Matter, *, calendar: WorkCalendar, today: datetime.date) -> DueStatus:
    if matter.due_date is None or matter.state not in OPEN_STATES:
        return DueStatus()
    if matter.due_date == today:
        return DueStatus(today=True)
    if matter.due_date > today:
        return DueStatus()
    try:
        days: int | None = calendar.working_days_between(matter.due_date, today)
    except CalendarNotCovered:
        days = None
    return DueStatus(late=True, days=days)


def _mask_email(value: str) -> str:
    name, at, domain = value.partition("@")
    return f"{name[:1]}***{at}{domain}" if at else mask_phone(value)


def mask_channel_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    """Channel details as staff may see them: e-mail addresses and phone
    numbers a client sent (Open311 `email`, a caller's number) masked like
    every other phone number; everything else verbatim."""
    masked: dict[str, Any] = {}
    for key, value in (detail or {}).items():
        if isinstance(value, str) and "email" in key:
            masked[key] = _mask_email(value)
        elif isinstance(value, str) and ("phone" in key or "mobile" in key):
            masked[key] = mask_phone(value)
        else:
            masked[key] = value
    return masked


def reporter_label(matter: Matter) -> str:
    if matter.anonymous:
        return "匿名"
    return mask_name(matter.reporter_name) or "—"


CHANNEL_DETAIL_LABELS = {
    "group": "微信群",
    "sender": "发送人昵称",
    "sent_at": "发送时间",
    "caller": "来电人",
    "household": "走访户编号",
    "visit": "走访记录编号",
    "service_code": "Open311 服务代码",
    "address_string": "地址",
    "address_id": "地址编号",
    "media_url": "图片链接",
    "device_id": "设备编号",
    "account_id": "账号",
    "email": "电子邮箱",
    "attributes": "附加属性",
}
ORIGINAL_TEXT_KEYS = ("original_text", "original", "text")


def channel_items(matter: Matter) -> tuple[list[tuple[str, str]], str]:
    """Channel details as (label, value) rows, and the original message text
    (shown verbatim). Unknown keys are shown under their own name."""
    detail = mask_channel_detail(matter.channel_detail)
    original = next((str(detail.pop(k)) for k in ORIGINAL_TEXT_KEYS if detail.get(k)), "")
    rows = [
        (CHANNEL_DETAIL_LABELS.get(key, key), _detail_value(value))
        for key, value in detail.items()
        # An objection's publication is shown as a link (views_actions.detail_context).
        if value not in ("", None, {}, []) and key != "publication"
    ]
    return rows, original


def _detail_value(value: Any) -> str:
    if isinstance(value, dict):
        return ";".join(f"{k}:{v}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def deadline_notes(matter: Matter) -> list[str]:
    if not (matter.due_provisional and matter.accepted_at and matter.deadline_days):
        return []
    try:
        info = deadline_after(timezone.localdate(matter.accepted_at), matter.deadline_days)
    except CalendarNotCovered as exc:
        return [exc.message]
    return info.notes
