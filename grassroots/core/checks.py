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
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, register
from django.core.checks import Error as CheckError
from django.core.checks import Warning as CheckWarning
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from . import workdays
from .audit_heads import head_key

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
    current = today().year
    try:
        coverage = {year: workdays.calendar_coverage(year) for year in (current, current + 1)}
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


# --- Public address ------------------------------------------------------------------

PUBLIC_URL_TAG = "grassroots_public_url"
_LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}  # noqa: S104 - names to warn about, not a bind


@register(PUBLIC_URL_TAG)
def public_base_url_check(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """GRASSROOTS_PUBLIC_BASE_URL is printed on every QR code and notice
    (core.links). Outside DEBUG it must be set (E010) to an http(s) address
    with a host (E011); a loopback host is only right for the demo (W012,
    with `check --deploy`)."""
    if app_configs is not None and not any(config.label == "core" for config in app_configs):
        return []
    base = str(getattr(settings, "PUBLIC_BASE_URL", "") or "").strip()
    hint = "在环境变量 GRASSROOTS_PUBLIC_BASE_URL 中填写居民访问本平台的地址,例如 https://grassroots.example.gov.cn/。"
    if not base:
        if settings.DEBUG:
            return []
        return [
            CheckError(
                "未设置平台公开访问地址:打印的告知单、选票和证书上的二维码无法指向本平台。",
                hint=hint,
                id="grassroots.E010",
            )
        ]
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return [CheckError(f"平台公开访问地址无效:{base}。", hint=hint, id="grassroots.E011")]
    return []


@register(PUBLIC_URL_TAG, deploy=True)
def public_base_url_deploy_check(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """With `check --deploy`: a loopback address is the demo's, not an installation's."""
    if app_configs is not None and not any(config.label == "core" for config in app_configs):
        return []
    host = urlsplit(str(getattr(settings, "PUBLIC_BASE_URL", "") or "").strip()).hostname or ""
    if host in _LOOPBACK_HOSTS:
        return [
            CheckWarning(
                f"平台公开访问地址指向本机({host}):居民扫码无法打开。",
                hint="生产环境请把 GRASSROOTS_PUBLIC_BASE_URL 设为居民可以访问的域名。",
                id="grassroots.W012",
            )
        ]
    return []


# --- Audit head key ------------------------------------------------------------------

AUDIT_HEAD_TAG = "grassroots_audit_heads"


@register(AUDIT_HEAD_TAG)
def audit_head_key_check(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """GRASSROOTS_AUDIT_HEAD_KEY signs the audit heads (ADR 0027). Outside
    DEBUG it must be set (E020) to a usable key that is neither of the
    personal-data keys (E021): one leaked key must not expose two things."""
    if app_configs is not None and not any(config.label == "core" for config in app_configs):
        return []
    hint = (
        "在环境变量 GRASSROOTS_AUDIT_HEAD_KEY 中填写 64 位十六进制密钥,"
        '例如 python -c "import secrets; print(secrets.token_hex(32))" 的输出;密钥不得存放在数据库中。'
    )
    value = str(getattr(settings, "AUDIT_HEAD_KEY", "") or "").strip()
    if not value:
        if settings.DEBUG:
            return []
        return [
            CheckError(
                "未设置审计日志链头签名密钥:无法发现审计日志末尾被删除。",
                hint=hint,
                id="grassroots.E020",
            )
        ]
    try:
        key = head_key(value)
    except ImproperlyConfigured:
        return [CheckError("审计日志链头签名密钥无效:须为至少 32 位的十六进制字符。", hint=hint, id="grassroots.E021")]
    others = {str(getattr(settings, name, "") or "").lower() for name in ("FIELD_ENCRYPTION_KEY", "BLIND_INDEX_KEY")}
    if key.hex() in others:
        return [CheckError("审计日志链头签名密钥不得与个人信息密钥相同。", hint=hint, id="grassroots.E021")]
    return []
