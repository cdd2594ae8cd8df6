"""Statistics: processing time in working days (across the 2026 National Day
holiday, with its make-up workday), suspensions, same-day, return and
assisted rates."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from grassroots.registration.models import ApplicationEvent, ClockStop, ReturnNotice, Service
from grassroots.registration.selectors import stats as stats
from grassroots.registration.services.certificates import certificate_issue

from .certificate_support import approved_application, approved_renewal, catalogue, window_user

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=SHANGHAI)


@pytest.fixture
def staff(db):
    catalogue()
    return window_user()


def _issued(staff, name, submitted, issued, *, assisted=False, service_code="pne-establish", organisation=None):
    if organisation is not None:
        application = approved_renewal(organisation=organisation, submitted_at=_at(submitted))
    else:
        application = approved_application(
            org_name=name, service_code=service_code, submitted_at=_at(submitted), assisted=assisted
        )
    certificate_issue(actor=staff, application=application, issued_on=issued)
    application.refresh_from_db()
    return application


@pytest.fixture
def autumn(staff):
    d = datetime.date
    # 9/30 is a workday, 10/1–10/7 the National Day holiday, 10/10 (Saturday) a make-up workday.
    a = _issued(staff, "甲", d(2026, 9, 29), d(2026, 10, 12))  # 9/30, 10/8, 10/9, 10/10, 10/12 → 5
    b = _issued(staff, "乙", d(2026, 9, 30), d(2026, 9, 30))  # same day → 0
    c = _issued(staff, "丙", d(2026, 10, 8), d(2026, 10, 16))  # 7, less a 2-day hearing → 5
    ClockStop.objects.create(
        application=c, kind=ClockStop.Kind.HEARING, reason="听证", started_on=d(2026, 10, 12),
        ended_on=d(2026, 10, 13), created_by=staff,
    )  # fmt: skip
    ClockStop.objects.create(
        application=c,
        kind=ClockStop.Kind.EXTENSION,
        reason="延期",
        started_on=d(2026, 10, 14),
        extension_days=10,
        created_by=staff,
    )  # fmt: skip  (an extension does not stop the clock)
    dd = _issued(staff, "丁", d(2026, 10, 19), d(2026, 10, 19), assisted=True)  # assisted, same day
    renewal = _issued(staff, "", d(2026, 10, 20), d(2026, 10, 22), organisation=a.organisation)  # 2
    early = _issued(staff, "戊", d(2026, 8, 3), d(2026, 8, 4))  # outside the period
    ReturnNotice.objects.create(application=c, number="BZ1", items=[], issued_by=staff)
    ApplicationEvent.objects.create(application=b, action="return", from_state="submitted", to_state="returned")
    return {"a": a, "b": b, "c": c, "d": dd, "renewal": renewal, "early": early}


def _row(result, code):
    return next(row for row in result.rows if row.service and row.service.code == code)


def test_processing_times_in_working_days(autumn):
    result = stats.registration_stats(date_from=datetime.date(2026, 9, 1), date_to=datetime.date(2026, 10, 31))
    pne = _row(result, "pne-establish")
    assert sorted(pne.all.days) == [0, 0, 5, 5]
    assert pne.all.median == 2.5
    assert pne.all.maximum == 5
    assert pne.same_day == 2
    assert pne.same_day_rate == 0.5
    assert pne.assisted.days == [0]
    assert sorted(pne.unassisted.days) == [0, 5, 5]
    assert pne.unassisted.median == 5.0
    renewal = _row(result, "renewal")
    assert renewal.all.days == [2]
    assert result.total.all.count == 5
    assert result.total.all.maximum == 5


def test_return_rate_over_accepted(autumn):
    result = stats.registration_stats(date_from=datetime.date(2026, 9, 1), date_to=datetime.date(2026, 10, 31))
    pne = _row(result, "pne-establish")
    assert pne.accepted == 4
    assert pne.returned == 2
    assert pne.return_rate == 0.5
    assert _row(result, "social-group-establish").return_rate is None


def test_period_bounds(autumn):
    result = stats.registration_stats(date_from=datetime.date(2026, 8, 1), date_to=datetime.date(2026, 8, 31))
    pne = _row(result, "pne-establish")
    assert pne.all.days == [1]
    assert result.total.all.count == 1


def test_uncovered_calendar_year_is_counted_not_guessed(staff):
    _issued(staff, "跨年", datetime.date(2026, 12, 30), datetime.date(2027, 1, 6))
    result = stats.registration_stats(date_from=datetime.date(2026, 12, 1), date_to=datetime.date(2027, 1, 31))
    assert result.total.uncovered == 1
    assert result.total.all.count == 0


def test_table_and_chart(autumn, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        result = stats.registration_stats(date_from=datetime.date(2026, 9, 1), date_to=datetime.date(2026, 10, 31))
    headers, rows = stats.stats_table(result)
    assert headers[0] == "事项" and len(rows[0]) == len(headers)
    assert rows[-1][0] == "合计"
    name = Service.objects.get(code="pne-establish").name
    pne = next(row for row in rows if row[0] == name)
    assert pne[1:6] == [4, 2.5, 5, 2, "50.0%"]
    chart = stats.chart_data(result)
    services, medians = chart["services"], chart["median"]
    assert isinstance(services, list) and isinstance(medians, list)
    assert len(services) == len(medians) == 2  # services with activity only
    assert 2.5 in medians


def test_empty_period():
    result = stats.registration_stats(date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 1, 31))
    assert result.total.all.median is None
    assert result.total.same_day_rate is None and result.total.return_rate is None
    assert stats.chart_data(result)["services"] == []


def test_monthly_throughput_counts_as_the_stats_page_does(autumn):
    """Each month's issued and accepted equal `registration_stats` for that month (the dashboard's click-through)."""
    months = stats.monthly_throughput(last_month=datetime.date(2026, 11, 1), months=4)
    assert [m.month for m in months] == [datetime.date(2026, m, 1) for m in (8, 9, 10, 11)]
    for month in months:
        result = stats.registration_stats(date_from=month.month, date_to=month.last_day)
        assert month.issued == result.total.all.count + result.total.uncovered
        assert month.accepted == result.total.accepted
    assert [(m.issued, m.accepted) for m in months][0] == (1, months[0].accepted)
    assert sum(m.issued for m in months) == 6
    assert months[-1].issued == months[-1].accepted == 0
