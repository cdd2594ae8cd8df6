"""The text rules of a publication: dates as staff write them, title and
content limits, no personal numbers (ADR 0018), channels, the default period,
and the numbering of drafts made from a source."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from grassroots.core.scrubbing import has_personal_numbers
from grassroots.core.workdays import CalendarNotCovered, add_working_days

from ..errors import PublicityError
from ..models import Channel

DEFAULT_PERIOD_DAYS = 5  # working days after the start (start not counted)
MAX_PERIOD_DAYS = 366
CHANNEL_ORDER = list(Channel.values)
NUMERALS = "零一二三四五六七八九十"
TITLE_MAX = 100


def date_label(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五 (1–99)."""
    if n < 1 or n > 99:
        return str(n)
    tens, ones = divmod(n, 10)
    text = "" if tens == 0 else ("十" if tens == 1 else NUMERALS[tens] + "十")
    return text + (NUMERALS[ones] if ones else "")


def draft_title(text: str) -> str:
    """A draft's title cut to the length a publication allows."""
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1] + "…"


def default_end(start: datetime.date) -> datetime.date | None:
    """Five working days after the start; None when the calendar does not
    cover them (the user then picks the end date: never a weekday guess)."""
    try:
        return add_working_days(start, DEFAULT_PERIOD_DAYS)
    except CalendarNotCovered:
        return None


def clean_channels(channels: Iterable[str] | None) -> list[str]:
    chosen = {str(c) for c in (channels or [])}
    unknown = chosen - set(CHANNEL_ORDER)
    if unknown:
        raise PublicityError("channel_invalid", "公示渠道无效:" + "、".join(sorted(unknown)) + "。", field="channels")
    if not chosen:
        raise PublicityError("channels_required", "请至少选择一个公示渠道。", field="channels")
    return [c for c in CHANNEL_ORDER if c in chosen]


def clean_text(title: str, content: str) -> tuple[str, str]:
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
    refuse_personal_numbers(title, content)
    return title, content


def refuse_personal_numbers(title: str, content: str) -> None:
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
