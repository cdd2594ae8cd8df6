from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.core import checks as django_checks
from django.db import OperationalError, ProgrammingError

from grassroots.core import checks, workdays
from grassroots.core.models import HolidayYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def today_2026(monkeypatch):
    monkeypatch.setattr(checks, "today", lambda: datetime.date(2026, 11, 29))


def _ids(messages):
    return sorted(m.id for m in messages)


@pytest.mark.usefixtures("today_2026")
def test_w001_when_next_year_is_not_covered():
    messages = checks.holiday_calendar_check()
    assert _ids(messages) == ["grassroots.W001"]
    assert messages[0].level == django_checks.WARNING
    assert "2027 年的节假日安排尚未录入" in messages[0].msg
    assert "load_provisional_holidays 2027" in (messages[0].hint or "")


@pytest.mark.usefixtures("today_2026")
def test_w002_when_next_year_is_only_provisional():
    workdays.holiday_year_load_provisional(year=2027)
    messages = checks.holiday_calendar_check()
    assert _ids(messages) == ["grassroots.W002"]
    assert "2027 年的节假日安排为暂定" in messages[0].msg


@pytest.mark.usefixtures("today_2026")
def test_no_warning_when_next_year_is_confirmed():
    HolidayYear.objects.create(year=2027, confirmed=True, source="国务院通知")
    assert checks.holiday_calendar_check() == []


def test_w002_for_current_provisional_year_and_w001_for_next(monkeypatch):
    monkeypatch.setattr(checks, "today", lambda: datetime.date(2027, 1, 1))
    HolidayYear.objects.create(year=2027, confirmed=False)
    messages = checks.holiday_calendar_check()
    assert _ids(messages) == ["grassroots.W001", "grassroots.W002"]
    assert any("2028" in m.msg for m in messages if m.id == "grassroots.W001")


def test_no_warning_while_both_years_are_in_the_package(monkeypatch):
    monkeypatch.setattr(checks, "today", lambda: datetime.date(2025, 6, 1))
    assert checks.holiday_calendar_check() == []


@pytest.mark.parametrize("error", [OperationalError, ProgrammingError])
@pytest.mark.usefixtures("today_2026")
def test_check_is_silent_when_the_database_is_not_ready(monkeypatch, error):
    def broken(year):
        raise error("no such table: core_holidayyear")

    monkeypatch.setattr(workdays, "calendar_coverage", broken)
    assert checks.holiday_calendar_check() == []


@pytest.mark.usefixtures("today_2026")
def test_check_is_registered_and_runs_without_database_flag():
    assert checks.holiday_calendar_check in django_checks.registry.registry.get_checks(include_deployment_checks=False)
    messages = django_checks.run_checks(tags=[checks.CALENDAR_TAG])
    assert "grassroots.W001" in _ids(messages)


@pytest.mark.usefixtures("today_2026")
def test_check_skips_other_apps():
    assert checks.holiday_calendar_check(app_configs=[apps.get_app_config("auth")]) == []
    assert _ids(checks.holiday_calendar_check(app_configs=[apps.get_app_config("core")])) == ["grassroots.W001"]


def test_check_deploy_passes_with_production_settings(tmp_path):
    """Issue 20: `manage.py check --deploy` reports nothing with the
    production environment of docs/operations.md (behind nginx, HTTPS)."""
    import os
    import secrets
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GRASSROOTS_", "DATABASE_URL", "PYTEST"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="grassroots.example.gov.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        GRASSROOTS_FIELD_KEY=secrets.token_hex(16),
        GRASSROOTS_INDEX_KEY=secrets.token_hex(16),
        GRASSROOTS_BACKUP_KEY=secrets.token_hex(16),
        GRASSROOTS_AUDIT_HEAD_KEY=secrets.token_hex(32),
        GRASSROOTS_PUBLIC_BASE_URL="https://grassroots.example.gov.cn/",
        GRASSROOTS_BEHIND_PROXY="1",
        GRASSROOTS_TRUSTED_PROXIES="127.0.0.1",
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
