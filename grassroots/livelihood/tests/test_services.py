"""The care lists derived from the register, flags, visits, matters from
visits, health rounds, coverage and the monthly reminder."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from grassroots.core.actors import SYSTEM
from grassroots.core.errors import DomainError, NotFound, PermissionDenied
from grassroots.core.models import AuditEntry, Notification
from grassroots.matters.models import Channel, Matter

from .. import selectors
from ..models import CareFlag, CareVisit, FlagKind, HealthRound, ListKind, VisitKind
from ..services import flags, visits
from ..services.reminders import birthday_lists_remind
from ..states import FlagState
from .support import child, elder, flagged, health_round_at, resident_at, visited

pytestmark = pytest.mark.django_db


def _month() -> datetime.date:
    return timezone.localdate().replace(day=1)


def test_birthday_list_is_the_months_seventy_and_over_of_the_grid(tree, people):
    today = timezone.localdate()
    due = elder(tree.unit_a1, "王奶奶", age=80)
    turning = elder(tree.unit_a1, "刚满七十", age=70)
    elder(tree.unit_a1, "下月生日", age=80, month=today.month % 12 + 1)
    elder(tree.unit_a1, "六十五岁", age=65)
    elder(tree.unit_b1, "别的网格", age=80)
    rows = selectors.care_list(user=people.grid_a, grid=tree.grid_a1, kind=ListKind.BIRTHDAY, month=_month())
    assert [r.pk for r in rows] == [due.pk, turning.pk]
    row = rows[0]
    assert row.resident.age in (79, 80) and "今年80岁" in row.detail
    assert "*" in row.resident.id_number and str(due.birth_date.year) not in row.resident.id_number[-12:-4]


def test_another_grid_is_404(tree, people):
    with pytest.raises(Http404):
        selectors.care_list(user=people.grid_b, grid=tree.grid_a1, kind=ListKind.BIRTHDAY, month=_month())


def test_children_by_school_and_flag_lists(tree, people):
    kid = child(tree.unit_a1, school="湖田幼儿园", grade="中班")
    alone = elder(tree.unit_a1, "独居老人", age=75, month=1)
    flagged(alone)
    head = resident_at(tree.unit_a1, "户主", datetime.date(1970, 2, 2))
    flags.flag_set(
        actor=SYSTEM, kind=FlagKind.LOW_INCOME, resident=head, source="低保台账", since=datetime.date(2024, 1, 1)
    )
    month = _month()
    kids = selectors.care_list(user=people.grid_a, grid=tree.grid_a1, kind=ListKind.CHILDREN, month=month)
    assert [(r.pk, r.detail) for r in kids] == [(kid.pk, "湖田幼儿园 中班")]
    lonely = selectors.care_list(user=people.grid_a, grid=tree.grid_a1, kind=ListKind.LIVING_ALONE, month=month)
    assert [r.pk for r in lonely] == [alone.pk] and "民政台账" in lonely[0].detail
    poor = selectors.care_list(user=people.grid_a, grid=tree.grid_a1, kind=ListKind.LOW_INCOME, month=month)
    assert [r.pk for r in poor] == [head.pk] and "低保台账" in poor[0].detail


def test_flag_rules(tree, people):
    resident = elder(tree.unit_a1, age=75)
    flag = flagged(resident, actor=people.village_a)
    assert flag.state == FlagState.ACTIVE and flag.household == resident.household
    before = (CareFlag.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as duplicate:
        flagged(resident, actor=people.village_a)
    assert duplicate.value.status == 409
    with pytest.raises(PermissionDenied):
        flagged(resident, FlagKind.DISABLED, actor=people.grid_a)
    with pytest.raises(NotFound):
        flagged(resident, FlagKind.DISABLED, actor=people.village_b)
    with pytest.raises(DomainError, match="认定来源"):
        flags.flag_set(
            actor=SYSTEM, kind=FlagKind.DISABLED, resident=resident, source=" ", since=datetime.date(2025, 1, 1)
        )
    with pytest.raises(DomainError, match="晚于今天"):
        flags.flag_set(
            actor=SYSTEM,
            kind=FlagKind.DISABLED,
            resident=resident,
            source="残联",
            since=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert (CareFlag.objects.count(), AuditEntry.objects.count()) == before
    with pytest.raises(DomainError, match="撤销原因"):
        flags.flag_end(actor=people.village_a, flag=flag, reason="")
    flags.flag_end(actor=people.village_a, flag=flag, reason="已搬离")
    flag.refresh_from_db()
    assert flag.state == FlagState.ENDED and flag.ended_reason == "已搬离"
    assert not selectors.on_list(resident=resident, kind=ListKind.LIVING_ALONE, month=_month())
    flags.flag_restore(actor=people.village_a, flag=flag)
    flag.refresh_from_db()
    assert flag.state == FlagState.ACTIVE and [e.action for e in flag.events.all()] == ["set", "end", "restore"]


def test_visit_rules(tree, people):
    resident = elder(tree.unit_a1, age=80)
    visit = visits.visit_record(
        actor=people.grid_a, resident=resident, list_kind=ListKind.BIRTHDAY, kind=VisitKind.BIRTHDAY, note="送蛋糕"
    )
    assert visit.visitor == people.grid_a and visit.visited_on == timezone.localdate()
    before = (CareVisit.objects.count(), AuditEntry.objects.count())
    bad: list[tuple[dict[str, Any], str]] = [
        ({"list_kind": ListKind.LIVING_ALONE}, "不在"),
        ({"visited_on": timezone.localdate() + datetime.timedelta(days=1)}, "晚于今天"),
        ({"visited_on": timezone.localdate() - datetime.timedelta(days=90)}, "早于"),
        ({"kind": "party"}, "走访类型"),
        ({"note": "长" * 501}, "500"),
    ]
    for change, message in bad:
        values: dict[str, Any] = {"list_kind": ListKind.BIRTHDAY, "kind": VisitKind.BIRTHDAY, **change}
        with pytest.raises(DomainError, match=message):
            visits.visit_record(actor=people.grid_a, resident=resident, **values)
    with pytest.raises(NotFound):
        visited(resident, ListKind.BIRTHDAY, actor=people.grid_b)
    with pytest.raises(PermissionDenied):
        visited(resident, ListKind.BIRTHDAY, actor=people.window)
    assert (CareVisit.objects.count(), AuditEntry.objects.count()) == before


def test_an_opinion_becomes_a_matter_once(tree, people):
    resident = elder(tree.unit_a1, age=82, phone="13912345678")
    visit = visited(resident, ListKind.BIRTHDAY, actor=people.grid_a, opinion="楼道灯坏了很久,晚上出门不方便")
    matter = visits.visit_to_matter(actor=people.grid_a, visit=visit)
    visit.refresh_from_db()
    assert visit.matter == matter
    assert matter.channel == Channel.VISIT and matter.node == tree.grid_a1
    assert matter.title == "楼道灯坏了很久,晚上出门不方便" and matter.reporter_resident == resident
    assert matter.channel_detail["care_visit"] == visit.pk
    with pytest.raises(DomainError) as again:
        visits.visit_to_matter(actor=people.grid_a, visit=visit)
    assert again.value.status == 409
    plain = visited(resident, ListKind.BIRTHDAY, actor=people.grid_a)
    with pytest.raises(DomainError, match="没有记录意见"):
        visits.visit_to_matter(actor=people.grid_a, visit=plain)
    with pytest.raises(NotFound):
        visits.visit_to_matter(actor=people.grid_b, visit=visit)
    assert Matter.objects.filter(channel=Channel.VISIT).count() == 1


def test_coverage_counts_each_person_once_per_list(tree, people):
    first, second = elder(tree.unit_a1, "甲", age=80), elder(tree.unit_a1, "乙", age=90)
    elder(tree.unit_b1, "丙", age=71)
    visited(first, ListKind.BIRTHDAY)
    visited(first, ListKind.BIRTHDAY)
    rows = {r.grid.pk: r for r in selectors.coverage(user=people.street, month=_month())}
    cell = rows[tree.grid_a1.pk].cells[ListKind.BIRTHDAY]
    assert (cell.visited, cell.due, cell.percent) == (1, 2, 50)
    assert rows[tree.grid_b1.pk].cells[ListKind.BIRTHDAY].percent == 0
    assert rows[tree.grid_a2.pk].cells[ListKind.BIRTHDAY].percent is None
    assert [r.grid for r in selectors.coverage(user=people.grid_a, month=_month())] == [tree.grid_a1]
    totals = selectors.coverage_totals(list(rows.values()))
    assert (totals[ListKind.BIRTHDAY].visited, totals[ListKind.BIRTHDAY].due) == (1, 3)
    assert second.pk


def test_health_round_rules(tree, people):
    seen = elder(tree.unit_a1, age=80)
    health_round = visits.health_round_record(
        actor=people.grid_a,
        node=tree.grid_a1,
        place="西张村卫生室",
        held_on=timezone.localdate(),
        served=35,
        residents=[seen],
    )
    assert list(health_round.residents.all()) == [seen]
    before = HealthRound.objects.count()
    for change, message in [
        ({"served": 0}, "服务人数"),
        ({"node": tree.unit_a1}, "村/社区或网格"),
        ({"place": ""}, "巡诊地点"),
        ({"residents": [elder(tree.unit_b1, age=80)]}, "不在巡诊"),
    ]:
        values = {"node": tree.grid_a1, "place": "卫生室", "held_on": timezone.localdate(), "served": 3, **change}
        with pytest.raises(DomainError, match=message):
            visits.health_round_record(actor=SYSTEM, **values)
    with pytest.raises(NotFound):
        health_round_at(tree.grid_a1, actor=people.grid_b)
    assert HealthRound.objects.count() == before
    assert selectors.health_round_totals(user=people.street, since=_month()) == {"sessions": 1, "served": 35}


def test_monthly_reminder_once_per_worker(tree, people):
    elder(tree.unit_a1, age=80)
    assert birthday_lists_remind() == 1
    birthday_lists_remind()
    notes = Notification.objects.filter(recipient=people.grid_a)
    assert notes.count() == 1 and "1 位70岁以上老人" in notes.get().body
