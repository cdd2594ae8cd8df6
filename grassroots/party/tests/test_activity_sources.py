"""The 红黄榜's activities term reads livelihood's attendance (ADR 0043):
party registers the provider; a resident member's attended activities count,
a registration without attendance, another period and a staff member do not."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.core.actors import SYSTEM
from grassroots.livelihood.services import activities as livelihood

from ..activities import ActivityQuery, Person, activity_counts
from ..activity_sources import livelihood_attendance
from .support import member_of

pytestmark = pytest.mark.django_db


def _attended(tree, resident, *, attend=True):
    activity = livelihood.activity_create(
        actor=SYSTEM,
        data=livelihood.ActivityInput(
            title="红歌会", kind="red_song", node=tree.village_a, starts_on=timezone.localdate(), place="村广场"
        ),
    )
    row = livelihood.registration_add(actor=SYSTEM, activity=activity, resident=resident)
    if attend:
        livelihood.registration_attend(actor=SYSTEM, registration=row)


def test_a_resident_members_attendance_counts_through_the_registered_provider(tree, people, branches):
    member = member_of(branches["a"], resident=tree.resident_a1)
    staff = member_of(branches["a"], user=people.village_a)
    _attended(tree, tree.resident_a1)
    _attended(tree, tree.resident_a1, attend=False)
    today = timezone.localdate()
    people_asked = (
        Person(member_id=member.pk, resident_id=tree.resident_a1.pk, user_id=None),
        Person(member_id=staff.pk, resident_id=None, user_id=people.village_a.pk),
    )
    this_month = ActivityQuery(people=people_asked, start=today.replace(day=1), end=today + datetime.timedelta(days=1))
    assert livelihood_attendance(this_month) == {member.pk: 1}
    # Registered by party's AppConfig.ready(): the board's sum sees it.
    assert activity_counts(this_month) == {member.pk: 1}
    earlier = ActivityQuery(people=people_asked, start=datetime.date(2020, 1, 1), end=datetime.date(2020, 2, 1))
    assert livelihood_attendance(earlier) == {}
