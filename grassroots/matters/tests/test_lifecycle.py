"""The transition services: deadlines, responsible units, notifications,
merging, publicity before close, the reopen window, stale writes."""

from __future__ import annotations

import datetime

import pytest

from grassroots.core.models import AuditEntry, HolidayOverride, HolidayYear, Notification, SmsMessage
from grassroots.core.workdays import holiday_year_load_provisional
from grassroots.publicity.models import Channel as PublicationChannel
from grassroots.publicity.models import Kind as PublicationKind
from grassroots.publicity.services import publication_create

from ..errors import MatterError, StaleState
from ..models import EventKind, Matter, MatterEvent, ResponsibleUnit, UnitKind
from ..services import lifecycle
from ..services.notify import code_label, notify_reporters, tracking_link
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


def _nothing_changed(matter: Matter, before: tuple) -> None:
    assert _state(matter) == before


def _state(matter: Matter) -> tuple:
    row = Matter.objects.get(pk=matter.pk)
    return (
        row.state,
        row.due_date,
        row.responsible_unit_id,
        MatterEvent.objects.count(),
        AuditEntry.objects.count(),
        Notification.objects.count(),
    )


def _sms_to(phone: str) -> list[Notification]:
    return [
        n for n in Notification.objects.filter(channel=Notification.Channel.SMS).order_by("pk") if n.address == phone
    ]


# --- Accept: deadlines -------------------------------------------------------------


def test_accept_sets_deadline_unit_and_tells_the_reporter(tree, staff, django_capture_on_commit_callbacks):
    matter = f.report(node=tree.unit_a1)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.matter_accept(actor=staff.village_a, matter=matter, category=f.category(deadline_days=5))
    matter.refresh_from_db()
    # Mon 30 Nov 2026 + 5 working days = Mon 7 Dec 2026.
    assert matter.state == State.ACCEPTED
    assert matter.due_date == D(2026, 12, 7)
    assert matter.due_provisional is False
    assert matter.deadline_days == 5
    assert matter.accepted_at is not None
    assert matter.responsible_unit is not None and matter.responsible_unit.name == "西张村委会"
    sms = _sms_to(f.PHONE)
    assert len(sms) == 1
    assert "已受理" in sms[0].body
    assert "2026年12月7日" in sms[0].body
    assert sms[0].link == tracking_link(matter.tracking_code)
    # Delivered after commit through the outbox's default backend.
    assert SmsMessage.objects.filter(notification=sms[0]).exists()
    event = matter.events.get(kind=EventKind.TRANSITION)
    assert event.public and "2026年12月7日" in event.text


def test_deadline_crosses_national_day(tree, staff, clock):
    clock.at(D(2026, 9, 30))  # Wed; 1–7 Oct are holidays, Sat 10 Oct is a make-up workday
    matter = f.report(node=tree.unit_a1)
    lifecycle.matter_accept(actor=staff.village_a, matter=matter, category=f.category(deadline_days=5))
    assert matter.due_date == D(2026, 10, 13)  # 8, 9, 10 (调休), 12, 13
    assert matter.due_provisional is False


def test_deadline_resting_on_provisional_2027_holidays_is_flagged(tree, staff, clock):
    holiday_year_load_provisional(year=2027)
    clock.at(D(2026, 12, 28))
    matter = f.report(node=tree.unit_a1)
    lifecycle.matter_accept(actor=staff.village_a, matter=matter, category=f.category(deadline_days=5))
    # 29, 30, 31 Dec; 1 Jan 2027 is a provisional holiday; 4, 5 Jan.
    assert matter.due_date == D(2027, 1, 5)
    assert matter.due_provisional is True
    event = matter.events.get(kind=EventKind.TRANSITION)
    assert "暂定" in event.text


def test_deadline_within_2026_is_not_provisional_even_if_2027_is(tree, staff):
    holiday_year_load_provisional(year=2027)
    matter = f.report(node=tree.unit_a1)
    lifecycle.matter_accept(actor=staff.village_a, matter=matter, category=f.category(deadline_days=5))
    assert matter.due_provisional is False


def test_uncovered_calendar_refuses_and_changes_nothing(tree, staff, clock):
    HolidayOverride.objects.filter(date__year=2027).delete()
    HolidayYear.objects.filter(year=2027).delete()
    clock.at(D(2026, 12, 28))
    matter = f.report(node=tree.unit_a1)
    before = _state(matter)
    with pytest.raises(MatterError) as excinfo:
        lifecycle.matter_accept(actor=staff.village_a, matter=matter, category=f.category(deadline_days=5))
    assert excinfo.value.code == "calendar_not_covered"
    assert "2027 年的节假日安排尚未录入" in excinfo.value.message
    _nothing_changed(matter, before)
    assert not ResponsibleUnit.objects.exists()


def test_accept_validates_category_urgency_and_unit(tree, staff):
    matter = f.report(node=tree.unit_a1)
    before = _state(matter)
    with pytest.raises(MatterError, match="停用"):
        lifecycle.matter_accept(actor=staff.village_a, matter=matter, category=f.category(code="old", active=False))
    with pytest.raises(MatterError, match="紧急程度"):
        lifecycle.matter_accept(actor=staff.village_a, matter=matter, category=f.category(), urgency="panic")
    elsewhere = ResponsibleUnit.objects.create(name="店子社区居委会", kind=UnitKind.VILLAGE, node=tree.village_b)
    with pytest.raises(MatterError) as excinfo:
        lifecycle.matter_accept(actor=staff.village_a, matter=matter, category=f.category(), responsible_unit=elsewhere)
    assert excinfo.value.field == "responsible_unit"
    _nothing_changed(matter, before)


def test_accept_sets_urgency_and_collective_flag(tree, staff):
    matter = f.report(node=tree.unit_a1)
    lifecycle.matter_accept(
        actor=staff.village_a, matter=matter, category=f.category(), urgency="urgent", touches_collective=True
    )
    assert (matter.urgency, matter.touches_collective) == ("urgent", True)


# --- Responsible units ---------------------------------------------------------------


def test_default_units_per_kind_are_created_once(tree, staff):
    matter = f.report(node=tree.unit_a1)
    grid_cat = f.category(code="grid-cat", unit_kind=UnitKind.GRID)
    dept_cat = f.category(code="dept-cat", unit_kind=UnitKind.SUBDISTRICT, department_code="safety")
    grid_unit = lifecycle.responsible_unit_default(matter=matter, category=grid_cat)
    assert (grid_unit.name, grid_unit.node, grid_unit.kind) == ("西张村第1网格", tree.grid_a1, UnitKind.GRID)
    dept = lifecycle.responsible_unit_default(matter=matter, category=dept_cat)
    assert (dept.name, dept.node, dept.code) == ("街道安监站", tree.subdistrict, "safety")
    village = lifecycle.responsible_unit_default(matter=matter, category=f.category())
    assert (village.name, village.node) == ("西张村委会", tree.village_a)
    assert lifecycle.responsible_unit_default(matter=matter, category=grid_cat) == grid_unit
    assert ResponsibleUnit.objects.count() == 3


def test_a_village_level_matter_with_a_grid_category_goes_to_the_village(tree, staff):
    matter = f.report(node=tree.village_a)
    unit = lifecycle.responsible_unit_default(
        matter=matter, category=f.category(code="grid-cat", unit_kind=UnitKind.GRID)
    )
    assert unit.node == tree.village_a


def test_seeded_categories_route_to_departments(tree, staff):
    from ..models import Category

    matter = f.report(node=tree.unit_a1)
    unit = lifecycle.responsible_unit_default(matter=matter, category=Category.objects.get(code="streetlight"))
    assert unit.name == "街道城管办"


# --- Reject and merge ----------------------------------------------------------------


def test_reject_requires_a_reason_and_tells_the_reporter(tree, staff):
    matter = f.report(node=tree.unit_a1)
    before = _state(matter)
    with pytest.raises(MatterError) as excinfo:
        lifecycle.matter_reject(actor=staff.village_a, matter=matter, reason="   ")
    assert excinfo.value.field == "reason"
    _nothing_changed(matter, before)
    lifecycle.matter_reject(actor=staff.village_a, matter=matter, reason="属于物业合同纠纷,请通过法院解决。")
    assert matter.state == State.REJECTED
    assert matter.rejection_reason.startswith("属于物业合同纠纷")
    [sms] = _sms_to(f.PHONE)
    assert "不予受理" in sms.body and "物业合同纠纷" in sms.body


def test_merged_reporters_follow_the_survivor(tree, staff):
    survivor = f.report(node=tree.unit_a1, title="楼道灯不亮", phone=f.OTHER_PHONE)
    merged = f.report(node=tree.unit_a1, phone=f.PHONE)
    lifecycle.matter_merge(actor=staff.village_a, matter=merged, into=survivor)
    assert merged.state == State.MERGED and merged.merged_into == survivor
    assert survivor.events.filter(kind=EventKind.MERGED_IN, public=True).exists()
    [merge_sms] = _sms_to(f.PHONE)
    assert code_label(survivor) in merge_sms.body
    assert merge_sms.link == tracking_link(survivor.tracking_code)

    lifecycle.matter_accept(actor=staff.village_a, matter=survivor, category=f.category())
    lifecycle.matter_assign(actor=staff.village_a, matter=survivor, assignee=staff.grid_a1, plan="更换灯具。")
    lifecycle.matter_resolve(actor=staff.grid_a1, matter=survivor, result="已更换。")
    mine = _sms_to(f.PHONE)
    theirs = _sms_to(f.OTHER_PHONE)
    assert [n.subject for n in mine] == ["事项已合并办理", "事项已受理", "事项已办结"]
    assert [n.subject for n in theirs] == ["事项已受理", "事项已办结"]
    assert "并入事项" in mine[1].body  # the follower hears about their own report
    assert all(n.link == tracking_link(survivor.tracking_code) for n in mine[1:])


def test_merge_chains_are_followed_and_one_phone_gets_one_message(tree, staff):
    top = f.report(node=tree.unit_a1, title="楼道灯不亮", phone=f.OTHER_PHONE)
    middle = f.report(node=tree.unit_a1, phone=f.PHONE)
    bottom = f.report(node=tree.unit_a1, phone=f.PHONE, title="楼道灯又坏了")
    third = f.report(node=tree.unit_a1, phone="13700137000", title="楼道黑")
    lifecycle.matter_merge(actor=staff.village_a, matter=bottom, into=middle)
    lifecycle.matter_merge(actor=staff.village_a, matter=third, into=middle)
    lifecycle.matter_merge(actor=staff.village_a, matter=middle, into=top)
    Notification.objects.all().delete()
    lifecycle.matter_accept(actor=staff.village_a, matter=top, category=f.category())
    phones = sorted(n.address for n in Notification.objects.filter(channel=Notification.Channel.SMS))
    assert phones == sorted([f.OTHER_PHONE, f.PHONE, "13700137000"])


def test_merge_rules(tree, staff):
    matter = f.report(node=tree.unit_a1)
    closed = f.matter_in_state(State.CLOSED, node=tree.unit_a1, handler=staff.village_a)
    other_village = f.report(node=tree.unit_b1)
    before = _state(matter)
    with pytest.raises(MatterError, match="它自己"):
        lifecycle.matter_merge(actor=staff.village_a, matter=matter, into=matter)
    with pytest.raises(MatterError, match="未办结"):
        lifecycle.matter_merge(actor=staff.village_a, matter=matter, into=closed)
    with pytest.raises(MatterError) as excinfo:
        lifecycle.matter_merge(actor=staff.village_a, matter=matter, into=other_village)
    assert excinfo.value.code == "merge_target_not_found"
    _nothing_changed(matter, before)


# --- Assign, resolve ------------------------------------------------------------------


def test_assign_notifies_the_assignee_in_app(tree, staff):
    matter = f.matter_in_state(State.ACCEPTED, node=tree.unit_a1, handler=staff.village_a)
    lifecycle.matter_assign(actor=staff.village_a, matter=matter, assignee=staff.grid_a1, plan="明天上午查看。")
    assert (matter.state, matter.assignee, matter.handling_plan) == (State.HANDLING, staff.grid_a1, "明天上午查看。")
    [note] = Notification.objects.filter(channel=Notification.Channel.IN_APP, recipient=staff.grid_a1)
    assert matter.number in note.body
    assert str(matter.pk) in note.link


def test_assignee_must_work_where_the_matter_is(tree, staff):
    matter = f.matter_in_state(State.ACCEPTED, node=tree.unit_a1, handler=staff.village_a)
    before = _state(matter)
    for wrong in (staff.grid_b1, staff.village_b, staff.mediator):
        with pytest.raises(MatterError) as excinfo:
            lifecycle.matter_assign(actor=staff.village_a, matter=matter, assignee=wrong, plan="处理。")
        assert excinfo.value.field == "assignee"
    with pytest.raises(MatterError, match="办理方案"):
        lifecycle.matter_assign(actor=staff.village_a, matter=matter, assignee=staff.grid_a1, plan="")
    _nothing_changed(matter, before)


def test_reassignment_keeps_the_state_and_notifies_the_new_assignee(tree, staff):
    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a, assignee=staff.grid_a1)
    with pytest.raises(MatterError, match="没有变化"):
        lifecycle.matter_assign(actor=staff.village_a, matter=matter, assignee=staff.grid_a1, plan=matter.handling_plan)
    lifecycle.matter_assign(actor=staff.village_a, matter=matter, assignee=staff.street, plan="街道协调电工。")
    assert (matter.state, matter.assignee) == (State.HANDLING, staff.street)
    event = matter.events.latest("id")
    assert event.kind == EventKind.REASSIGNED and not event.public
    assert Notification.objects.filter(channel=Notification.Channel.IN_APP, recipient=staff.street).count() == 1


def test_resolve_stores_public_attachments_and_sends_the_tracking_link(tree, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a, assignee=staff.grid_a1)
    photo = SimpleUploadedFile("done.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
    lifecycle.matter_resolve(actor=staff.grid_a1, matter=matter, result="已更换感应灯。", files=[photo])
    assert matter.state == State.RESOLVED
    assert matter.resolution_round == 1
    assert matter.resolved_at is not None
    [attachment] = matter.attachments.all()
    assert attachment.public and attachment.event is not None and attachment.event.kind == EventKind.TRANSITION
    sms = _sms_to(f.PHONE)[-1]
    assert "已办结" in sms.body and sms.link == tracking_link(matter.tracking_code)


def test_resolve_with_a_bad_file_changes_nothing(tree, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    before = _state(matter)
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="image/png")
    with pytest.raises(MatterError, match="不是照片或 PDF"):
        lifecycle.matter_resolve(actor=staff.village_a, matter=matter, result="好了", files=[bad])
    _nothing_changed(matter, before)


# --- Close: the collective-interest rule --------------------------------------------


def _publish(matter, staff, kind, starts_on):
    return publication_create(
        publish=True,
        actor=staff.village_a,
        matter=matter,
        kind=kind,
        title="公示",
        content="公示内容",
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=7),
        channels=[PublicationChannel.NOTICE],
    )


def test_collective_matter_closes_only_after_plan_and_result_are_published(tree, staff, clock):
    matter = f.matter_in_state(
        State.RESOLVED, node=tree.unit_a1, handler=staff.village_a, title="村集体厂房出租收益分配"
    )
    Matter.objects.filter(pk=matter.pk).update(touches_collective=True)
    matter.refresh_from_db()
    before = _state(matter)
    with pytest.raises(MatterError) as excinfo:
        lifecycle.matter_close(actor=staff.village_a, matter=matter)
    assert excinfo.value.code == "publicity_required"
    assert "尚未公示理事方案" in excinfo.value.message and "尚未公示理事结果" in excinfo.value.message
    _nothing_changed(matter, before)

    _publish(matter, staff, PublicationKind.PLAN, clock.today)
    with pytest.raises(MatterError) as excinfo:
        lifecycle.matter_close(actor=staff.village_a, matter=matter)
    assert "理事方案" not in excinfo.value.message.split(":", 1)[1]
    assert "尚未公示理事结果" in excinfo.value.message

    _publish(matter, staff, PublicationKind.RESULT, clock.today + datetime.timedelta(days=2))
    with pytest.raises(MatterError, match="理事结果的公示将于 2026年12月2日 开始"):
        lifecycle.matter_close(actor=staff.village_a, matter=matter)

    clock.advance(days=2)
    lifecycle.matter_close(actor=staff.village_a, matter=matter)
    assert matter.state == State.CLOSED


def test_after_a_reopen_the_new_result_must_be_published_again(tree, staff, clock):
    matter = f.matter_in_state(State.RESOLVED, node=tree.unit_a1, handler=staff.village_a, touches_collective=True)
    _publish(matter, staff, PublicationKind.PLAN, clock.today)
    _publish(matter, staff, PublicationKind.RESULT, clock.today)
    lifecycle.matter_reopen(actor=staff.village_a, matter=matter, reason="群众对分配结果有异议。")
    clock.advance(hours=1)
    lifecycle.matter_resolve(actor=staff.village_a, matter=matter, result="重新核算后分配。")
    with pytest.raises(MatterError, match="尚未公示理事结果"):
        lifecycle.matter_close(actor=staff.village_a, matter=matter)
    clock.advance(minutes=1)
    _publish(matter, staff, PublicationKind.RESULT, clock.today)
    lifecycle.matter_close(actor=staff.village_a, matter=matter)
    assert matter.state == State.CLOSED


def test_an_ordinary_matter_closes_without_publications(tree, staff):
    matter = f.matter_in_state(State.RESOLVED, node=tree.unit_a1, handler=staff.village_a)
    lifecycle.matter_close(actor=staff.village_a, matter=matter)
    assert matter.state == State.CLOSED and matter.closed_at is not None


# --- Reopen ---------------------------------------------------------------------------


def test_reopen_within_14_days_of_closing(tree, staff, clock):
    matter = f.matter_in_state(State.CLOSED, node=tree.unit_a1, handler=staff.village_a)
    clock.advance(days=14)  # 14 Dec: the last day
    lifecycle.matter_reopen(actor=staff.village_a, matter=matter, reason="灯又不亮了。")
    assert matter.state == State.HANDLING
    assert (matter.result, matter.closed_at, matter.resolved_at) == ("", None, None)
    # A new deadline from the reopening day: Mon 14 Dec + 5 working days.
    assert matter.due_date == D(2026, 12, 21)


def test_reopen_after_14_days_is_refused(tree, staff, clock):
    matter = f.matter_in_state(State.CLOSED, node=tree.unit_a1, handler=staff.village_a)
    clock.advance(days=15)
    before = _state(matter)
    with pytest.raises(MatterError) as excinfo:
        lifecycle.matter_reopen(actor=staff.village_a, matter=matter, reason="灯又不亮了。")
    assert excinfo.value.code == "reopen_window_closed"
    _nothing_changed(matter, before)


def test_reopen_notifies_the_assignee(tree, staff):
    matter = f.matter_in_state(State.RESOLVED, node=tree.unit_a1, handler=staff.village_a, assignee=staff.grid_a1)
    Notification.objects.all().delete()
    lifecycle.matter_reopen(actor=staff.village_a, matter=matter, reason="群众反映没修好。")
    assert Notification.objects.filter(
        channel=Notification.Channel.IN_APP, recipient=staff.grid_a1, subject="事项重新办理"
    ).exists()


# --- Deliberation ----------------------------------------------------------------------


def test_deliberation_decide_sets_plan_unit_and_due_date(tree, staff, clock):
    matter = f.matter_in_state(State.DELIBERATING, node=tree.unit_a1, handler=staff.village_a)
    assert matter.for_deliberation is True
    unit = lifecycle.responsible_unit_default(matter=matter, category=f.category())
    before = _state(matter)
    with pytest.raises(MatterError, match="不能早于今天"):
        lifecycle.matter_deliberation_decide(
            actor=staff.village_a,
            matter=matter,
            plan="x",
            responsible_unit=unit,
            assignee=staff.grid_a1,
            due_date=clock.today - datetime.timedelta(days=1),
        )
    _nothing_changed(matter, before)
    lifecycle.matter_deliberation_decide(
        actor=staff.village_a,
        matter=matter,
        plan="议定由村集体出资修路。",
        responsible_unit=unit,
        assignee=staff.grid_a1,
        due_date=D(2026, 12, 14),
    )
    assert matter.state == State.HANDLING
    assert (matter.due_date, matter.deadline_days, matter.for_deliberation) == (D(2026, 12, 14), 10, False)
    assert matter.handling_plan == "议定由村集体出资修路。"
    assert matter.assignee == staff.grid_a1


def test_deliberation_withdraw_returns_where_the_matter_came_from(tree, staff):
    unassigned = f.matter_in_state(State.DELIBERATING, node=tree.unit_a1, handler=staff.village_a)
    assigned = f.matter_in_state(
        State.DELIBERATING, node=tree.unit_a1, handler=staff.village_a, assignee=staff.grid_a1, via_handling=True
    )
    before = _state(unassigned)
    with pytest.raises(MatterError):
        lifecycle.matter_deliberation_withdraw(actor=staff.village_a, matter=unassigned, reason=" ")
    _nothing_changed(unassigned, before)
    lifecycle.matter_deliberation_withdraw(actor=staff.village_a, matter=unassigned, reason="会议取消")
    lifecycle.matter_deliberation_withdraw(actor=staff.village_a, matter=assigned, reason="会议休会")
    assert (unassigned.state, assigned.state) == (State.ACCEPTED, State.HANDLING)
    assert assigned.assignee == staff.grid_a1
    event = assigned.events.latest("id")
    assert event.public and "会议休会" in event.text
    assert Notification.objects.filter(
        channel=Notification.Channel.IN_APP, recipient=staff.grid_a1, subject="议事中止,请继续办理"
    ).exists()


# --- Notes --------------------------------------------------------------------------------


def test_notes_internal_and_public(tree, staff):
    matter = f.report(node=tree.unit_a1)
    note = lifecycle.matter_add_note(actor=staff.grid_a1, matter=matter, text="已电话联系反映人。", public=False)
    reply = lifecycle.matter_add_note(actor=staff.grid_a1, matter=matter, text="已安排电工。", public=True)
    assert (note.kind, note.public) == (EventKind.NOTE, False)
    assert (reply.kind, reply.public) == (EventKind.REPLY, True)
    with pytest.raises(MatterError):
        lifecycle.matter_add_note(actor=staff.grid_a1, matter=matter, text=" ", public=True)


# --- Concurrency and atomicity ----------------------------------------------------------


def test_a_stale_instance_cannot_transition_twice(tree, staff):
    matter = f.report(node=tree.unit_a1)
    stale = Matter.objects.get(pk=matter.pk)
    lifecycle.matter_accept(actor=staff.village_a, matter=matter, category=f.category())
    before = _state(matter)
    with pytest.raises(StaleState):
        lifecycle.matter_reject(actor=staff.village_a, matter=stale, reason="重复。")
    _nothing_changed(matter, before)


def test_merge_into_a_survivor_closed_meanwhile_rolls_back(tree, staff):
    survivor = f.matter_in_state(State.RESOLVED, node=tree.unit_a1, handler=staff.village_a)
    stale_view = Matter.objects.get(pk=survivor.pk)
    Matter.objects.filter(pk=survivor.pk).update(state=State.HANDLING)  # what the page showed
    stale_view.state = State.HANDLING
    Matter.objects.filter(pk=survivor.pk).update(state=State.CLOSED)  # closed meanwhile
    matter = f.report(node=tree.unit_a1)
    before = _state(matter)
    with pytest.raises(StaleState):
        lifecycle.matter_merge(actor=staff.village_a, matter=matter, into=stale_view)
    _nothing_changed(matter, before)


def test_notifications_are_deduplicated_per_event(tree, staff):
    matter = f.report(node=tree.unit_a1)
    lifecycle.matter_accept(actor=staff.village_a, matter=matter, category=f.category())
    event = matter.events.get(kind=EventKind.TRANSITION)
    count = Notification.objects.count()
    notify_reporters(
        matter=matter, event=event, compose=lambda m: "again", progress=lambda m: "again", code="X", subject="重试"
    )
    assert Notification.objects.count() == count


def test_anonymous_reporter_without_phone_gets_nothing(tree, staff):
    matter = f.report(node=tree.unit_a1, phone="", channel="hotline", actor=staff.village_a)
    lifecycle.matter_accept(actor=staff.village_a, matter=matter, category=f.category())
    assert not Notification.objects.filter(channel=Notification.Channel.SMS).exists()


def test_seeded_categories_are_two_levels_with_known_departments():
    from ..models import Category

    first = list(Category.objects.filter(parent=None))
    names = {c.name for c in first}
    assert {"物业管理", "环境卫生", "道路设施", "安全隐患", "邻里纠纷", "社会救助", "集体事务"} <= names
    assert {"城乡建设", "环境保护", "交通运输", "劳动和社会保障", "教育文体", "卫生计生", "商贸旅游"} <= names
    for parent in first:
        children = list(parent.children.all())
        assert 2 <= len(children) <= 6, parent.name
        for child in [parent, *children]:
            assert child.deadline_days >= 1
            if child.unit_kind == UnitKind.SUBDISTRICT:
                assert child.department_code in lifecycle.DEPARTMENTS, child.code
            else:
                assert child.department_code == ""
