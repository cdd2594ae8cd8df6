"""Queue filters, deadline warnings, repeat-dispute flags and statistics."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.mediation import repeats, selectors
from grassroots.mediation.models import DisputeCase, Party, PartySide
from grassroots.mediation.services import cases
from grassroots.mediation.states import State
from grassroots.mediation.stats import dispute_stats, month_starts

from .conftest import RESPONDENT_ID, case_input

pytestmark = pytest.mark.django_db


def _due_in(case, days):
    DisputeCase.objects.filter(pk=case.pk).update(due_date=timezone.localdate() + datetime.timedelta(days=days))
    case.refresh_from_db()
    return case


def test_due_status_levels(centre):
    case = centre.case(State.MEDIATING)
    assert selectors.due_status(_due_in(case, 10)).level == "ok"
    assert selectors.due_status(_due_in(case, 5)).level == "soon"
    assert selectors.due_status(_due_in(case, 0)).label == "今日到期"
    overdue = selectors.due_status(_due_in(case, -3))
    assert overdue.level == "overdue" and overdue.label == "已超期 3 日"
    agreed = centre.case(State.AGREED, title="达成协议的不再计期限")
    assert selectors.due_status(_due_in(agreed, -3)).level == ""


def test_queue_filters(centre):
    soon = _due_in(centre.case(State.MEDIATING, title="即将到期"), 2)
    late = _due_in(centre.case(State.ACCEPTED, title="已超期", risk_level="high", escalation_risk=True), -1)
    closed = centre.case(State.CLOSED, title="已结案", source="court", node=centre.tree.grid_b1)
    registered = centre.case(title="新登记", dispute_type="family")

    def ids(**kwargs):
        return {c.pk for c in selectors.case_queue(user=centre.manager, filters=selectors.QueueFilters(**kwargs))}

    assert ids() == {soon.pk, late.pk, closed.pk, registered.pk}
    assert ids(state="active") == {soon.pk, late.pk, registered.pk}
    assert ids(state="closed") == {closed.pk}
    assert ids(source="court") == {closed.pk}
    assert ids(dispute_type="family") == {registered.pk}
    assert ids(village=centre.tree.village_b) == {closed.pk}
    assert ids(due="soon") == {soon.pk}
    assert ids(due="overdue") == {late.pk}
    assert ids(risk="high") == {late.pk} == ids(risk="escalation")
    assert ids(query="新登记") == {registered.pk}
    assert ids(query="王五") == {soon.pk, late.pk, closed.pk, registered.pk}
    assert ids(query=registered.number) == {registered.pk}
    mine = {c.pk for c in selectors.case_queue(user=centre.mediator2, filters=selectors.QueueFilters(mine=True))}
    assert mine == {soon.pk, late.pk, closed.pk}


def test_queue_is_scoped(centre, make_user):
    a = centre.case(title="西张村的纠纷")
    b = centre.case(title="店子社区的纠纷", node=centre.tree.grid_b1)
    assert [c.pk for c in selectors.case_queue(user=centre.other_mediator)] == [b.pk]
    assert selectors.case_queue(user=centre.outsider).count() == 0
    assert selectors.case_queue(user=centre.grid_worker).count() == 0
    assert {c.pk for c in selectors.case_queue(user=centre.manager)} == {a.pk, b.pk}


def test_repeat_flags_by_party_and_place(centre, django_assert_max_num_queries):
    first = centre.case(title="第一次")
    # Same respondent (ID number) in another village; same place (unit a1) again.
    other = cases.dispute_register(
        actor=centre.manager,
        data=case_input(
            centre,
            title="另一村同一人",
            node=centre.tree.grid_b1,
            parties=[
                cases.PartyInput(side=PartySide.APPLICANT, name="赵六"),
                cases.PartyInput(side=PartySide.RESPONDENT, name="王五", id_number=RESPONDENT_ID),
            ],
        ),
    )
    unrelated = cases.dispute_register(
        actor=centre.manager,
        data=case_input(
            centre,
            title="无关",
            node=centre.tree.grid_a2,
            parties=[
                cases.PartyInput(side=PartySide.APPLICANT, name="孙七"),
                cases.PartyInput(side=PartySide.RESPONDENT, name="周八"),
            ],
        ),
    )
    page = list(selectors.case_queue(user=centre.manager))
    with django_assert_max_num_queries(4):
        flags = repeats.repeat_flags(user=centre.manager, cases=page)
    assert flags[first.pk].party_cases == {other.number}
    assert flags[other.pk].party_cases == {first.number}
    assert not flags[unrelated.pk]
    assert not flags[first.pk].place_cases
    again = centre.case(title="同一单元又一件")
    flags = repeats.repeat_flags(user=centre.manager, cases=[again])
    assert first.number in flags[again.pk].place_cases
    assert "同一地点一年内另有" in flags[again.pk].label


def test_same_name_matches_only_within_a_village(centre):
    def register(title, node, name):
        return cases.dispute_register(
            actor=centre.manager,
            data=case_input(
                centre,
                title=title,
                node=node,
                parties=[
                    cases.PartyInput(side=PartySide.APPLICANT, name=name),
                    cases.PartyInput(side=PartySide.RESPONDENT, name=f"{title}对方"),
                ],
            ),
        )

    a1 = register("甲", centre.tree.grid_a1, "王 伟")
    a2 = register("乙", centre.tree.grid_a2, "王伟")
    b1 = register("丙", centre.tree.grid_b1, "王伟")
    flags = repeats.repeat_flags(user=centre.manager, cases=[a1, a2, b1])
    assert flags[a1.pk].party_cases == {a2.number}
    assert not flags[b1.pk].party_cases


def test_stats_by_source_type_area_and_month(centre, django_assert_max_num_queries):
    centre.case(State.CLOSED, title="结案")  # police, neighbour, village A, agreed
    centre.case(State.FAILED, title="不成", source="court", dispute_type="labour")
    centre.case(State.DECLINED, title="不受理", source="petition", node=centre.tree.grid_b1)
    centre.case(State.MEDIATING, title="办理中")
    today = timezone.localdate()
    with django_assert_max_num_queries(12):
        stats = dispute_stats(user=centre.manager, start=today - datetime.timedelta(days=30), end=today)
    assert stats.total.total == 4 and stats.total.agreed == 1 and stats.total.failed == 1
    assert stats.total.declined == 1 and stats.total.open == 1 and stats.total.agreement_rate == 50.0
    by_source = {r.key: r for r in stats.by_source}
    assert by_source["police"].total == 2 and by_source["police"].agreed == 1 and by_source["police"].open == 1
    assert by_source["court"].failed == 1 and by_source["petition"].declined == 1 and by_source["walk_in"].total == 0
    assert {r.key: r.total for r in stats.by_type}["labour"] == 1
    assert {r.label: r.total for r in stats.by_area} == {"西张村": 3, "店子社区": 1}
    assert stats.area_label == "村/社区"
    assert stats.months[-1] == today.replace(day=1)
    assert sum(stats.month_counts["police"]) == 2
    chart = stats.chart_data()
    assert len(chart["series"]) == 5 and chart["outcomes"]["categories"][0] == "访源(信访来访)"
    # The same two parties in all four cases (one group each, however matched), three cases at unit a1.
    assert sorted(g.label for g in stats.repeat_parties) == ["张*", "王*"]
    assert all(len(g.cases) == 4 for g in stats.repeat_parties)
    assert {"身份证号", "联系电话"} <= next(g for g in stats.repeat_parties if g.label == "王*").matched_by
    assert [len(p.cases) for p in stats.repeat_places] == [3]
    # Scoped: a village B mediator counts only village B, grouped by grid.
    village = dispute_stats(user=centre.other_mediator, start=today - datetime.timedelta(days=30), end=today)
    assert village.total.total == 1 and village.area_label == "网格"


def test_stats_period_excludes_older_cases(centre):
    case = centre.case(title="去年的")
    DisputeCase.objects.filter(pk=case.pk).update(registered_on=datetime.date(2020, 5, 1))
    today = timezone.localdate()
    stats = dispute_stats(user=centre.manager, start=today - datetime.timedelta(days=30), end=today)
    assert stats.total.total == 0 and stats.repeat_parties == []


def test_month_starts():
    assert month_starts(datetime.date(2025, 11, 15), datetime.date(2026, 2, 1)) == [
        datetime.date(2025, 11, 1),
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
    ]


def test_party_rows_of_a_case_copy_its_path(centre):
    case = centre.case()
    assert set(Party.objects.filter(case=case).values_list("path", flat=True)) == {case.path}
