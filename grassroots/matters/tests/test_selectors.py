"""Reads: scoping, filters, search, late and 3× late, duplicates, counts,
and the constant query count of the queue."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404

from grassroots.core.models import SearchEntry
from grassroots.core.search import bigrams

from ..models import Category, Channel, Matter
from ..selectors import (
    DUPLICATE_THRESHOLD,
    duplicate_score,
    duplicates_for,
    joint_meeting_list,
    matter_by_tracking_code,
    matter_get_visible,
    matters_visible_to,
    public_timeline,
    queue_counts,
    reopen_requests_visible_to,
)
from ..services import lifecycle
from ..services.feedback import matter_reopen_request
from ..services.intake import SEARCH_TYPE, format_tracking_code
from ..states import State
from . import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def clock(monkeypatch):
    return f.freeze(monkeypatch)


@pytest.fixture
def staff(tree, clock):
    return f.make_staff(tree)


def _ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


# --- Scope -------------------------------------------------------------------------


def test_each_user_sees_their_subtree(tree, staff):
    a1 = f.report(node=tree.unit_a1)
    a2 = f.report(node=tree.grid_a2)
    b1 = f.report(node=tree.unit_b1)
    assert _ids(matters_visible_to(user=staff.grid_a1)) == {a1.pk}
    assert _ids(matters_visible_to(user=staff.village_a)) == {a1.pk, a2.pk}
    assert _ids(matters_visible_to(user=staff.village_b)) == {b1.pk}
    assert _ids(matters_visible_to(user=staff.street)) == {a1.pk, a2.pk, b1.pk}
    assert _ids(matters_visible_to(user=staff.mediator)) == set()
    with pytest.raises(Http404):
        matter_get_visible(user=staff.grid_a1, pk=a2.pk)
    with pytest.raises(Http404):
        matter_get_visible(user=staff.street, pk="not-a-number")
    assert matter_get_visible(user=staff.village_a, pk=a2.pk) == a2


# --- Filters -------------------------------------------------------------------------


def test_filters_by_state_category_node_channel_and_dates(tree, staff, clock):
    parent = Category.objects.get(code="roads")
    lights = Category.objects.get(code="streetlight")
    old = f.report(node=tree.unit_a1, channel=Channel.HOTLINE, actor=staff.village_a)
    clock.advance(days=3)
    accepted = f.matter_in_state(State.ACCEPTED, node=tree.grid_a2, handler=staff.village_a, cat=lights)
    rejected = f.matter_in_state(State.REJECTED, node=tree.unit_a1, handler=staff.village_a)
    user = staff.village_a
    assert _ids(matters_visible_to(user=user, state=State.ACCEPTED)) == {accepted.pk}
    assert _ids(matters_visible_to(user=user, state=[State.ACCEPTED, State.REJECTED])) == {accepted.pk, rejected.pk}
    assert _ids(matters_visible_to(user=user, category=lights)) == {accepted.pk}
    assert _ids(matters_visible_to(user=user, category=parent)) == {accepted.pk}  # children included
    assert _ids(matters_visible_to(user=user, category=parent.pk)) == {accepted.pk}
    assert _ids(matters_visible_to(user=user, node=tree.grid_a2)) == {accepted.pk}
    assert _ids(matters_visible_to(user=user, node=tree.grid_a1.pk)) == {old.pk, rejected.pk}
    assert _ids(matters_visible_to(user=user, channel=Channel.HOTLINE)) == {old.pk}
    assert _ids(matters_visible_to(user=user, date_to=D(2026, 11, 30))) == {old.pk}
    assert _ids(matters_visible_to(user=user, date_from=D(2026, 12, 3))) == {accepted.pk, rejected.pk}
    # Another village's node cannot widen the scope.
    assert _ids(matters_visible_to(user=user, node=tree.village_b)) == set()


def test_late_and_three_times_late(tree, staff, clock):
    """Today is Mon 30 Nov 2026. A 5-day matter is 3× late when it is at
    least 10 working days overdue. Counting back from today, the 10th working
    day is Tue 17 Nov, so the due date must be on or before Mon 16 Nov."""

    def handling(due: datetime.date, days: int = 5) -> Matter:
        matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
        Matter.objects.filter(pk=matter.pk).update(due_date=due, deadline_days=days)
        return matter

    on_time = handling(D(2026, 11, 30))
    late = handling(D(2026, 11, 27))
    almost = handling(D(2026, 11, 17))  # 9 working days overdue
    late3 = handling(D(2026, 11, 16))  # 10 working days overdue
    long_deadline = handling(D(2026, 11, 13), days=15)  # needs 30 working days
    closed_but_late = f.matter_in_state(State.CLOSED, node=tree.unit_a1, handler=staff.village_a)
    Matter.objects.filter(pk=closed_but_late.pk).update(due_date=D(2026, 10, 1))
    user = staff.village_a
    assert _ids(matters_visible_to(user=user, overdue="late")) == {late.pk, almost.pk, late3.pk, long_deadline.pk}
    assert _ids(matters_visible_to(user=user, overdue="late3")) == {late3.pk}
    assert on_time.pk not in _ids(matters_visible_to(user=user, overdue="late"))


def test_three_times_late_counts_working_days_across_national_day(tree, staff, clock):
    clock.at(D(2026, 10, 14))  # Wed; 1–7 Oct were holidays
    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    # 2 working days allowed → 3× late when 4 working days overdue:
    # working days back from 14 Oct: 14, 13, 12, 10 (调休) → due on or before 9 Oct.
    Matter.objects.filter(pk=matter.pk).update(due_date=D(2026, 10, 9), deadline_days=2)
    assert _ids(matters_visible_to(user=staff.village_a, overdue="late3")) == {matter.pk}
    Matter.objects.filter(pk=matter.pk).update(due_date=D(2026, 10, 10))
    assert _ids(matters_visible_to(user=staff.village_a, overdue="late3")) == set()


# --- Search --------------------------------------------------------------------------


def test_search_two_character_chinese_numbers_and_codes(tree, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lights = f.report(node=tree.unit_a1)
        water = f.report(node=tree.unit_a1, title="楼上漏水", description="卫生间天花板一直渗水。")
        other_village = f.report(node=tree.unit_b1, title="楼道灯坏了", description="楼道里的灯不亮了。")
    user = staff.village_a
    assert _ids(matters_visible_to(user=user, query="楼道")) == {lights.pk}
    assert _ids(matters_visible_to(user=user, query="漏水")) == {water.pk}
    assert _ids(matters_visible_to(user=user, query="灯 老人")) == {lights.pk}
    assert _ids(matters_visible_to(user=user, query=water.number)) == {water.pk}
    code = format_tracking_code(water.tracking_code).lower()
    assert _ids(matters_visible_to(user=user, query=code)) == {water.pk}
    assert _ids(matters_visible_to(user=user, query="停车")) == set()
    assert other_village.pk in _ids(matters_visible_to(user=staff.street, query="楼道"))


def _newer_hits(node, count: int, *, text: str = "楼道灯坏了") -> None:
    """`count` reported matters about `text`, newer than everything before them,
    written in bulk with their index entries (the services would take minutes)."""
    rows = [
        Matter(
            number=f"SX20261130-9{i:04d}",
            tracking_code=f"BULK{i:06d}",
            node=node,
            path=node.path,
            title=text,
            description=text,
            channel=Channel.WEB,
        )
        for i in range(count)
    ]
    Matter.objects.bulk_create(rows)
    created = Matter.objects.filter(tracking_code__startswith="BULK")
    SearchEntry.objects.bulk_create(
        SearchEntry(
            object_type=SEARCH_TYPE, object_id=str(m.pk), path=m.path, text=text, bigrams=" ".join(bigrams(text))
        )
        for m in created
    )


def test_search_with_a_filter_misses_nothing(tree, staff, django_capture_on_commit_callbacks):
    # An accepted matter about 楼道, then more than 500 newer reports about 楼道:
    # the accepted one must still be found by 楼道 + state=accepted.
    with django_capture_on_commit_callbacks(execute=True):
        old = f.matter_in_state(State.ACCEPTED, node=tree.unit_a1, handler=staff.village_a)
    _newer_hits(tree.unit_a1, 520)
    user = staff.village_a
    assert _ids(matters_visible_to(user=user, query="楼道", state=State.ACCEPTED)) == {old.pk}
    assert matters_visible_to(user=user, query="楼道").count() == 521
    assert _ids(matters_visible_to(user=user, query="楼道", date_to=D(2026, 11, 30), state=[State.ACCEPTED])) == {
        old.pk
    }


def test_search_folds_traditional_characters(tree, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        matter = f.report(node=tree.unit_a1, title="3號樓樓道燈壞了", description="晚上看不見。")
    assert _ids(matters_visible_to(user=staff.village_a, query="楼道")) == {matter.pk}
    assert _ids(matters_visible_to(user=staff.village_a, query="看不见")) == {matter.pk}


def test_search_with_filters_is_one_query(tree, staff, django_capture_on_commit_callbacks, django_assert_num_queries):
    with django_capture_on_commit_callbacks(execute=True):
        f.matter_in_state(State.ACCEPTED, node=tree.unit_a1, handler=staff.village_a)
    _newer_hits(tree.unit_a1, 30)
    with django_assert_num_queries(1):
        rows = list(matters_visible_to(user=staff.village_a, query="楼道", state=State.REPORTED)[:20])
    assert len(rows) == 20


def test_search_finds_the_result_after_resolution(tree, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        matter = f.matter_in_state(State.RESOLVED, node=tree.unit_a1, handler=staff.village_a)
    assert _ids(matters_visible_to(user=staff.village_a, query="感应灯")) == {matter.pk}
    assert _ids(matters_visible_to(user=staff.village_a, query="照明恢复")) == {matter.pk}


# --- Query counts ---------------------------------------------------------------------


def _queue_page(user) -> list[str]:
    rows = []
    for m in matters_visible_to(user=user, overdue=None)[:50]:
        rows.append(
            f"{m.number} {m.category} {m.node.name} {m.responsible_unit and m.responsible_unit.name} {m.assignee}"
        )
    return rows


@pytest.mark.parametrize("count", [2, 12])
def test_queue_costs_a_constant_number_of_queries(tree, staff, count, django_assert_max_num_queries):
    lights = Category.objects.get(code="streetlight")
    for i in range(count):
        f.matter_in_state(
            State.HANDLING,
            node=tree.unit_a1,
            handler=staff.village_a,
            assignee=staff.grid_a1,
            cat=lights,
            title=f"{i}号路灯不亮",
        )
    with django_assert_max_num_queries(1):
        rows = _queue_page(staff.village_a)
    assert len(rows) == count
    with django_assert_max_num_queries(2):
        list(matters_visible_to(user=staff.village_a, overdue="late3")[:50])
    with django_assert_max_num_queries(2):
        queue_counts(user=staff.village_a)


# --- Duplicates -----------------------------------------------------------------------


REALISTIC_PAIRS = [
    # (title, description) pairs that tell the same thing twice
    (
        ("3号楼楼道灯坏了好几天", "晚上回家黑漆漆的,老人上下楼很危险"),
        ("3号楼楼道里的灯不亮了", "2单元楼道感应灯坏了一个星期,物业一直没来修"),
    ),
    (("小区门口垃圾桶满了没人清理", "臭味很大,苍蝇很多"), ("门口的垃圾桶好几天没清运了", "满地垃圾,夏天味道太大")),
    (("楼上漏水", "卫生间天花板渗水,墙皮都泡掉了"), ("楼上卫生间漏水到我家", "天花板一直滴水,找楼上也不开门")),
    (("村口路灯不亮", "西张村村口的路灯坏了一个月了"), ("村口路灯坏了", "晚上看不见路,骑电动车差点摔倒")),
    (("广场舞音响太吵", "每天晚上广场舞音响声音太大,影响休息"), ("晚上广场舞噪音扰民", "小广场跳舞的音响开到很晚")),
]
DIFFERENT_PAIRS = [
    (("3号楼楼道灯坏了好几天", "晚上回家黑漆漆的"), ("5号楼楼道堆放杂物", "楼道里堆满了纸箱子,消防通道堵了")),
    (("3号楼楼道灯坏了", "晚上回家黑漆漆的"), ("5号楼楼道灯坏了", "感应灯不亮")),
    (("楼上漏水", "卫生间天花板渗水"), ("3号楼楼道灯坏了好几天", "晚上看不见")),
    (("低保申请", "家里老人生病,想申请低保"), ("路灯不亮", "村口路灯坏了")),
    (("楼道堆放杂物", "2号楼楼道里堆满了纸箱子,消防通道堵了"), ("楼道灯不亮", "2号楼楼道灯坏了一个星期")),
]


@pytest.mark.parametrize(("a", "b"), REALISTIC_PAIRS)
def test_the_same_problem_told_twice_scores_above_the_threshold(a, b):
    assert duplicate_score(a[0], a[1], b[0], b[1]) >= DUPLICATE_THRESHOLD


@pytest.mark.parametrize(("a", "b"), DIFFERENT_PAIRS)
def test_different_problems_score_below_the_threshold(a, b):
    assert duplicate_score(a[0], a[1], b[0], b[1]) < DUPLICATE_THRESHOLD


def test_duplicates_for_same_village_last_30_days(tree, staff, clock):
    ancient = f.report(node=tree.unit_a1, title="3号楼楼道灯不亮了", description="楼道里的灯不亮了。")
    clock.advance(days=31)
    matter = f.report(node=tree.unit_a1, title="3号楼楼道灯坏了好几天", description="晚上很黑。")
    same = f.report(node=tree.grid_a2, title="3号楼楼道里的灯不亮了", description="楼道里的灯不亮了。")
    unrelated = f.report(node=tree.unit_a1, title="小区门口垃圾没人清运", description="垃圾桶满了。")
    other_village = f.report(node=tree.unit_b1, title="3号楼楼道灯不亮了", description="楼道里的灯不亮了。")
    rejected = f.matter_in_state(
        State.REJECTED, node=tree.unit_a1, handler=staff.village_a, title="3号楼楼道灯不亮", description="灯不亮了。"
    )
    found = duplicates_for(matter=matter)
    assert [m for m, _ in found] == [same]
    assert found[0][1] >= DUPLICATE_THRESHOLD
    for excluded in (ancient, unrelated, other_village, rejected, matter):
        assert excluded not in [m for m, _ in found]


def test_duplicates_are_ranked_and_limited(tree, staff):
    matter = f.report(node=tree.unit_a1, title="3号楼楼道灯坏了", description="楼道灯坏了。")
    exact = f.report(node=tree.unit_a1, title="3号楼楼道灯坏了", description="楼道灯坏了。")
    close = f.report(node=tree.unit_a1, title="3号楼楼道里的灯不亮了", description="灯一直不亮。")
    ranked = [m for m, _ in duplicates_for(matter=matter)]
    assert ranked[:2] == [exact, close]
    assert len(duplicates_for(matter=matter, limit=1)) == 1


# --- Other selectors ---------------------------------------------------------------------


def test_tracking_code_lookup_ignores_dashes_and_case(tree, staff):
    matter = f.report(node=tree.unit_a1)
    assert matter_by_tracking_code(format_tracking_code(matter.tracking_code).lower()) == matter
    assert matter_by_tracking_code("nope") is None
    assert matter_by_tracking_code("") is None


def test_public_timeline_hides_internal_notes(tree, staff):
    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    lifecycle.matter_add_note(actor=staff.village_a, matter=matter, text="反映人脾气急,注意沟通。", public=False)
    lifecycle.matter_add_note(actor=staff.village_a, matter=matter, text="明天上午维修。", public=True)
    texts = [e.text for e in public_timeline(matter=matter)]
    assert "明天上午维修。" in texts
    assert all("脾气" not in t for t in texts)
    assert texts[0].startswith("通过")  # the creation event comes first


def test_queue_counts_and_lists(tree, staff, clock):
    f.report(node=tree.unit_a1)
    handling = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a, assignee=staff.grid_a1)
    resolved = f.matter_in_state(State.RESOLVED, node=tree.unit_a1, handler=staff.village_a)
    f.report(node=tree.unit_b1)
    Matter.objects.filter(pk=handling.pk).update(due_date=D(2026, 11, 20))
    lifecycle.matter_request_joint_meeting(actor=staff.village_a, matter=handling, reason="需要街道协调资金。")
    matter_reopen_request(matter=resolved, reason="没修好")
    counts = queue_counts(user=staff.village_a)
    assert counts == {
        "reported": 1,
        "accepted": 0,
        "handling": 1,
        "deliberating": 0,
        "resolved": 1,
        "late": 1,
        "mine": 0,
        "joint_meeting": 1,
        "reopen_requests": 1,
    }
    assert queue_counts(user=staff.grid_a1)["mine"] == 1
    assert queue_counts(user=staff.mediator)["reported"] == 0
    assert list(joint_meeting_list(user=staff.street)) == [handling]
    assert list(joint_meeting_list(user=staff.village_b)) == []
    assert [r.matter for r in reopen_requests_visible_to(user=staff.village_a)] == [resolved]
    assert list(reopen_requests_visible_to(user=staff.village_b)) == []
