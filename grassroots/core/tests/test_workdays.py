from __future__ import annotations

import datetime
from io import StringIO

import chinese_calendar
import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.core import workdays
from grassroots.core.errors import DomainError
from grassroots.core.models import HolidayOverride, HolidayYear
from grassroots.core.workdays import (
    PROVISIONAL_SOURCE,
    CalendarNotCovered,
    WorkCalendar,
    add_working_days,
    calendar_coverage,
    deadline_after,
    is_workday,
    provisional_days_in,
    statutory_holidays,
    working_days_between,
)

D = datetime.date
PROPERTY = settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

pytestmark = pytest.mark.django_db


# --- Known 2026 facts (chinese_calendar, State Council notice) ----------------


def test_national_day_2026_is_a_holiday():
    assert is_workday(D(2026, 10, 1)) is False
    assert is_workday(D(2026, 10, 7)) is False


def test_2026_make_up_workdays_on_weekends():
    # 2026-09-20 (Sunday) and 2026-10-10 (Saturday) are make-up workdays for National Day.
    assert D(2026, 9, 20).weekday() == 6
    assert D(2026, 10, 10).weekday() == 5
    assert is_workday(D(2026, 9, 20)) is True
    assert is_workday(D(2026, 10, 10)) is True
    assert is_workday(D(2026, 10, 11)) is False  # an ordinary Sunday


def test_add_working_days_across_national_day_week():
    # Wed 30 Sep 2026: 1–7 Oct are holidays, Thu 8, Fri 9 and Sat 10 (调休) are workdays.
    start = D(2026, 9, 30)
    assert add_working_days(start, 1) == D(2026, 10, 8)
    assert add_working_days(start, 3) == D(2026, 10, 10)
    assert add_working_days(start, 4) == D(2026, 10, 12)
    assert working_days_between(start, D(2026, 10, 12)) == 4


def test_start_day_does_not_count_and_zero_days_is_start():
    # Monday 2026-03-02 is a working day; one working day later is Tuesday.
    assert add_working_days(D(2026, 3, 2), 1) == D(2026, 3, 3)
    assert add_working_days(D(2026, 3, 2), 0) == D(2026, 3, 2)
    # From a Saturday, the first working day is Monday.
    assert add_working_days(D(2026, 3, 7), 1) == D(2026, 3, 9)


def test_negative_days_are_rejected():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(D(2026, 3, 2), -1)


def test_working_days_between_is_antisymmetric_and_zero_on_same_day():
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 2)) == 0
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 9)) == 5
    assert working_days_between(D(2026, 3, 9), D(2026, 3, 2)) == -5


def test_package_deadline_is_not_provisional():
    info = deadline_after(D(2026, 9, 30), 20)
    assert info.due == add_working_days(D(2026, 9, 30), 20)
    assert info.provisional is False
    assert info.notes == []


# --- Overrides ------------------------------------------------------------------


def test_override_flips_a_package_day_and_marks_it_provisional():
    assert is_workday(D(2026, 3, 4)) is True
    HolidayOverride.objects.create(date=D(2026, 3, 4), is_workday=False, name="临时调整", confirmed=False)
    assert is_workday(D(2026, 3, 4)) is False
    assert add_working_days(D(2026, 3, 3), 1) == D(2026, 3, 5)
    info = deadline_after(D(2026, 3, 3), 1)
    assert info.provisional is True
    assert [d.day for d in provisional_days_in(D(2026, 3, 3), D(2026, 3, 5))] == [D(2026, 3, 4)]
    assert "临时调整" in info.notes[0]


def test_confirmed_override_can_make_a_sunday_a_workday():
    HolidayOverride.objects.create(date=D(2026, 3, 8), is_workday=True, name="补班", confirmed=True)
    assert is_workday(D(2026, 3, 8)) is True
    info = deadline_after(D(2026, 3, 6), 1)
    assert info.due == D(2026, 3, 8)
    assert info.provisional is False


# --- Coverage -------------------------------------------------------------------


def test_uncovered_year_raises_with_chinese_message():
    with pytest.raises(CalendarNotCovered) as excinfo:
        is_workday(D(2028, 3, 1))
    assert isinstance(excinfo.value, DomainError)
    assert excinfo.value.code == "calendar_not_covered"
    assert "2028 年的节假日安排尚未录入" in excinfo.value.message
    assert calendar_coverage(2028) == "none"


def test_deadline_running_into_uncovered_year_raises_instead_of_guessing():
    with pytest.raises(CalendarNotCovered) as excinfo:
        add_working_days(D(2026, 12, 20), 30)
    assert excinfo.value.year == 2027


def test_overrides_alone_do_not_cover_a_year():
    HolidayOverride.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦", confirmed=True)
    with pytest.raises(CalendarNotCovered):
        is_workday(D(2027, 3, 1))


def test_confirmed_override_only_year_is_not_provisional():
    HolidayYear.objects.create(year=2027, confirmed=True, source="国务院通知")
    HolidayOverride.objects.create(date=D(2027, 3, 1), is_workday=False, name="假日", confirmed=True)
    assert calendar_coverage(2027) == "confirmed"
    assert is_workday(D(2027, 3, 1)) is False
    assert is_workday(D(2027, 3, 2)) is True  # Tuesday, no override
    assert is_workday(D(2027, 3, 6)) is False  # Saturday, no override
    assert deadline_after(D(2027, 3, 1), 5).provisional is False


def test_queries_are_per_year_not_per_day(django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        # Qingming (4–6 Apr) and Labour Day (1–5 May, make-up Sat 9 May) lie in between.
        assert add_working_days(D(2026, 3, 2), 60) == D(2026, 5, 28)
    HolidayYear.objects.create(year=2027, confirmed=False)
    calendar = WorkCalendar()
    with django_assert_max_num_queries(3):  # 2026 overrides; 2027 year row and overrides
        calendar.add_working_days(D(2026, 11, 2), 60)
    with django_assert_max_num_queries(0):  # a reused calendar has everything loaded
        calendar.working_days_between(D(2026, 11, 2), D(2027, 1, 20))


# --- Provisional years ----------------------------------------------------------


@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_days_agree_with_chinese_calendar(year):
    days = statutory_holidays(year)
    # 1 + 4 + 1 + 2 + 1 + 1 + 3 statutory days, none coinciding in these years.
    assert len(days) == 13
    for day, name in days.items():
        assert chinese_calendar.is_holiday(day), (day, name)
        _, package_name = chinese_calendar.get_holiday_detail(day)
        package_chinese = chinese_calendar.Holiday(package_name).chinese
        assert package_chinese[:2] in name, (day, name, package_chinese)


def test_statutory_days_2027_match_the_2024_rules():
    days = statutory_holidays(2027)
    assert [d for d, n in days.items() if n == "春节"] == [D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8)]
    assert days[D(2027, 1, 1)] == "元旦"
    assert days[D(2027, 4, 5)] == "清明节"
    assert [d for d, n in days.items() if n == "劳动节"] == [D(2027, 5, 1), D(2027, 5, 2)]
    assert days[D(2027, 6, 9)] == "端午节"
    assert days[D(2027, 9, 15)] == "中秋节"
    assert [d for d, n in days.items() if n == "国庆节"] == [D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3)]


def test_coinciding_festivals_share_one_row():
    # In 2028 Mid-Autumn falls on 3 October.
    assert statutory_holidays(2028)[D(2028, 10, 3)] == "中秋节、国庆节"


def _load(year: int) -> str:
    out = StringIO()
    call_command("load_provisional_holidays", str(year), stdout=out)
    return out.getvalue()


def test_load_provisional_holidays_creates_provisional_year():
    output = _load(2027)
    year = HolidayYear.objects.get(year=2027)
    assert year.confirmed is False
    assert year.source == PROVISIONAL_SOURCE
    rows = HolidayOverride.objects.filter(date__year=2027)
    assert rows.count() == 13
    assert not rows.filter(confirmed=True).exists()
    assert not rows.filter(is_workday=True).exists()  # no make-up workdays invented
    assert "新增暂定节假日 13 天" in output
    assert calendar_coverage(2027) == "provisional"


def test_override_only_year_works_and_reports_provisional():
    _load(2027)
    # Thu 30 Sep 2027: 1–3 Oct holidays (Fri–Sun), then Mon 4 Oct.
    assert is_workday(D(2027, 10, 1)) is False
    assert is_workday(D(2027, 10, 4)) is True
    info = deadline_after(D(2027, 9, 30), 1)
    assert info.due == D(2027, 10, 4)
    assert info.provisional is True
    assert len(info.notes) == 1
    assert "2027 年的节假日安排为暂定" in info.notes[0]
    assert len(provisional_days_in(D(2027, 9, 30), D(2027, 10, 4))) == 4


def test_load_is_idempotent():
    _load(2027)
    before = list(HolidayOverride.objects.order_by("date").values_list("date", "is_workday", "name", "confirmed"))
    output = _load(2027)
    after = list(HolidayOverride.objects.order_by("date").values_list("date", "is_workday", "name", "confirmed"))
    assert after == before
    assert HolidayYear.objects.filter(year=2027).count() == 1
    assert "新增暂定节假日 0 天" in output
    assert "未变 13 天" in output


def test_load_keeps_confirmed_rows_and_repairs_unconfirmed_ones():
    HolidayYear.objects.create(year=2027, confirmed=False, source="")
    HolidayOverride.objects.create(date=D(2027, 10, 1), is_workday=True, name="管理员确认", confirmed=True)
    HolidayOverride.objects.create(date=D(2027, 10, 2), is_workday=True, name="误录", confirmed=False)
    output = _load(2027)
    confirmed = HolidayOverride.objects.get(date=D(2027, 10, 1))
    assert (confirmed.is_workday, confirmed.name, confirmed.confirmed) == (True, "管理员确认", True)
    repaired = HolidayOverride.objects.get(date=D(2027, 10, 2))
    assert (repaired.is_workday, repaired.name) == (False, "国庆节")
    assert "已确认的 1 天保持不变" in output


def test_load_refuses_confirmed_year_and_changes_nothing():
    HolidayYear.objects.create(year=2027, confirmed=True, source="国务院通知")
    with pytest.raises(CommandError, match="已按国务院通知确认"):
        _load(2027)
    assert not HolidayOverride.objects.exists()
    assert HolidayYear.objects.get(year=2027).source == "国务院通知"


def test_load_refuses_year_covered_by_package():
    with pytest.raises(CommandError, match="chinese_calendar"):
        _load(2026)
    assert not HolidayYear.objects.exists()
    assert not HolidayOverride.objects.exists()


def test_invalidate_calendar_cache_keeps_answers_correct():
    assert workdays.package_covers(2026) is True
    workdays.invalidate_calendar_cache()
    assert workdays.package_covers(2026) is True
    assert workdays.package_covers(2031) is False


# --- Properties -----------------------------------------------------------------

package_days = st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 9, 30))


@PROPERTY
@given(start=package_days, n=st.integers(min_value=0, max_value=60))
def test_property_between_inverts_add(start, n):
    calendar = WorkCalendar()
    due = calendar.add_working_days(start, n)
    assert calendar.working_days_between(start, due) == n
    if n > 0:
        assert calendar.is_workday(due)
        # No earlier day reaches n: the deadline is the first such day.
        assert calendar.working_days_between(start, due - datetime.timedelta(days=1)) == n - 1


@PROPERTY
@given(start=st.dates(min_value=D(2004, 1, 1), max_value=D(2025, 12, 1)), span=st.integers(min_value=0, max_value=400))
def test_property_between_agrees_with_package(start, span):
    end = start + datetime.timedelta(days=span)
    expected = len(chinese_calendar.get_workdays(start + datetime.timedelta(days=1), end)) if end > start else 0
    assert working_days_between(start, end) == expected
    assert working_days_between(end, start) == -expected


@PROPERTY
@given(start=package_days, n=st.integers(min_value=0, max_value=40), extra=st.integers(min_value=0, max_value=40))
def test_property_add_is_monotonic(start, n, extra):
    calendar = WorkCalendar()
    assert calendar.add_working_days(start, n) <= calendar.add_working_days(start, n + extra)
    later = start + datetime.timedelta(days=extra)
    assert calendar.add_working_days(start, n) <= calendar.add_working_days(later, n)


@pytest.fixture
def provisional_2027(db):
    workdays.holiday_year_load_provisional(year=2027)


@PROPERTY
@given(start=st.dates(min_value=D(2027, 1, 1), max_value=D(2027, 10, 31)), n=st.integers(min_value=1, max_value=40))
def test_property_provisional_year(provisional_2027, start, n):
    calendar = WorkCalendar()
    info = calendar.deadline_after(start, n)
    assert calendar.is_workday(info.due)
    assert not calendar.day(info.due).name  # never a statutory holiday
    assert calendar.working_days_between(start, info.due) == n
    assert info.provisional is True
