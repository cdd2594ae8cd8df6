"""System checks of the core app (imported by CoreConfig.ready).

Tag choice: the holiday check reads the database, but it is registered under
its own tag `grassroots_calendar` rather than `Tags.database`. Checks tagged
`database` run only with `manage.py check --database` (and in `migrate`), so an
administrator would never see the warning from a plain `manage.py check` or
`runserver`. A custom tag runs with every default check run, can be selected
with `check --tag grassroots_calendar` and silenced through
SILENCED_SYSTEM_CHECKS. It only ever returns warnings, so it cannot stop
`makemigrations` or `migrate`; database errors (not migrated yet, database
down) make it return nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import AppConfig
from django.core.checks import CheckMessage, register
from django.core.checks import Warning as CheckWarning
from django.db import DatabaseError

CALENDAR_TAG = "grassroots_calendar"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def today() -> datetime.date:
    """Today in Beijing time (patched in tests)."""
    return datetime.datetime.now(SHANGHAI).date()


@register(CALENDAR_TAG)
def holiday_calendar_check(
    app_configs: Sequence[AppConfig] | None = None, databases: Iterable[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    if app_configs is not None and not any(config.label == "core" for config in app_configs):
        return []
    from .workdays import calendar_coverage

    current = today().year
    try:
        coverage = {year: calendar_coverage(year) for year in (current, current + 1)}
    except DatabaseError:
        return []
    messages: list[CheckMessage] = []
    for year, status in coverage.items():
        if status == "none":
            messages.append(
                CheckWarning(
                    f"{year} 年的节假日安排尚未录入:chinese_calendar 不含该年数据,也没有该年度的节假日维护记录,"
                    "涉及该年的工作日期限将无法计算。",
                    hint=(
                        f"请在节假日维护中录入 {year} 年的安排;国务院通知发布前,可先运行 "
                        f"`manage.py load_provisional_holidays {year}` 载入暂定安排。"
                    ),
                    id="grassroots.W001",
                )
            )
        elif status == "provisional":
            messages.append(
                CheckWarning(
                    f"{year} 年的节假日安排为暂定(尚未按国务院通知确认),受其影响的期限会显示暂定提示。",
                    hint=f"国务院通知发布后,请在节假日维护中核对 {year} 年的节假日、录入调休上班日并确认该年度。",
                    id="grassroots.W002",
                )
            )
    return messages
