"""Publications (公示): who may publish, what may be published when, the
checks on period and channels, draft → published → ended, withdrawal, and
objections becoming matters."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from grassroots.core.errors import DomainError, NotFound, PermissionDenied
from grassroots.core.models import AuditEntry, Notification
from grassroots.matters.models import EventKind, Matter, MatterEvent
from grassroots.matters.services import lifecycle
from grassroots.matters.states import State
from grassroots.matters.tests import factories as f

from .. import services
from ..models import Channel as PublicationChannel
from ..models import Kind as PublicationKind
from ..models import Objection, Publication
from ..models import State as PubState
from ..services import ObjectionInput, publication_create

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def clock(monkeypatch):
    return f.freeze(monkeypatch)


@pytest.fixture
def staff(tree, clock):
    return f.make_staff(tree)


def _record(actor, matter, **overrides):
    values: dict[str, Any] = {
        "kind": PublicationKind.PLAN,
        "title": "关于西张村集体厂房出租的理事方案",
        "content": "经村民代表会议讨论,厂房按公开招租方式出租,租金收入纳入村集体账户。",
        "starts_on": D(2026, 11, 30),
        "ends_on": D(2026, 12, 6),
        "channels": [PublicationChannel.NOTICE, PublicationChannel.WECHAT],
    }
    values.update(overrides)
    return publication_create(actor=actor, matter=matter, publish=True, **values)


def _counts():
    return Publication.objects.count(), MatterEvent.objects.count(), AuditEntry.objects.count()


def test_publishing_a_plan(tree, staff):
    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    publication = _record(staff.village_a, matter, channels=["wechat", "notice", "wechat"])
    assert publication.state == PubState.PUBLISHED and publication.published_by == staff.village_a
    assert publication.path == matter.path and publication.node == matter.node
    assert publication.channels == ["notice", "wechat"]  # deduplicated, in a fixed order
    event = matter.events.get(kind=EventKind.PUBLISHED)
    assert event.public and "理事方案已公示" in event.text and "公告栏纸质公示" in event.text
    assert AuditEntry.objects.filter(object_type="publicity.Publication", object_id=str(publication.pk)).exists()


def test_a_result_needs_a_resolved_matter(tree, staff):
    handling = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    before = _counts()
    with pytest.raises(DomainError) as excinfo:
        _record(staff.village_a, handling, kind=PublicationKind.RESULT)
    assert excinfo.value.code == "result_missing"
    assert _counts() == before
    resolved = f.matter_in_state(State.RESOLVED, node=tree.unit_a1, handler=staff.village_a)
    assert _record(staff.village_a, resolved, kind=PublicationKind.RESULT).kind == PublicationKind.RESULT


def test_nothing_to_publish_before_a_plan_exists(tree, staff):
    for state in (State.REPORTED, State.ACCEPTED, State.REJECTED):
        matter = f.matter_in_state(state, node=tree.unit_a1, handler=staff.village_a)
        before = _counts()
        with pytest.raises(DomainError):
            _record(staff.village_a, matter)
        assert _counts() == before


def test_only_publishers_in_scope(tree, staff):
    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    before = _counts()
    with pytest.raises(PermissionDenied):
        _record(staff.grid_a1, matter)
    with pytest.raises(NotFound):
        _record(staff.village_b, matter)
    assert _counts() == before
    assert _record(staff.street, matter).created_by == staff.street


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"channels": []}, "channels"),
        ({"channels": ["radio"]}, "channels"),
        ({"title": " "}, "title"),
        ({"content": ""}, "content"),
        ({"kind": "rumour"}, "kind"),
        ({"ends_on": D(2026, 11, 29)}, "ends_on"),
        ({"starts_on": D(2026, 11, 1), "ends_on": D(2026, 11, 7)}, "starts_on"),
        ({"ends_on": D(2028, 1, 1)}, "ends_on"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(tree, staff, overrides, field):
    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    before = _counts()
    with pytest.raises(DomainError) as excinfo:
        _record(staff.village_a, matter, **overrides)
    assert excinfo.value.field == field
    assert excinfo.value.message  # a Chinese sentence for the form
    assert _counts() == before


def _draft(actor, matter, **overrides):
    values: dict[str, Any] = {
        "kind": PublicationKind.PLAN,
        "title": "关于西张村集体厂房出租的理事方案",
        "content": "厂房按公开招租方式出租,租金收入纳入村集体账户。",
        "channels": [PublicationChannel.PORTAL, PublicationChannel.LED],
    }
    values.update(overrides)
    return publication_create(actor=actor, matter=matter, **values)


def test_a_draft_is_not_shown_and_publishing_starts_a_five_working_day_period(tree, staff, clock):
    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    draft = _draft(staff.village_a, matter)
    assert draft.state == PubState.DRAFT and draft.starts_on is None
    assert not matter.events.filter(kind=EventKind.PUBLISHED).exists()
    published = services.publication_publish(actor=staff.village_a, publication=draft)
    # Monday 2026-11-30 + 5 working days (start not counted) = Monday 2026-12-07.
    assert (published.starts_on, published.ends_on) == (D(2026, 11, 30), D(2026, 12, 7))
    assert matter.events.filter(kind=EventKind.PUBLISHED).count() == 1
    with pytest.raises(DomainError) as excinfo:
        services.publication_publish(actor=staff.village_a, publication=published)
    assert excinfo.value.code == "not_draft"


def test_only_drafts_are_edited(tree, staff):
    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    draft = _draft(staff.village_a, matter)
    edited = services.publication_update(
        actor=staff.village_a, publication=draft, title="新标题", content="新的正文内容", channels=["notice"]
    )
    assert (edited.title, edited.channels) == ("新标题", ["notice"])
    services.publication_publish(actor=staff.village_a, publication=edited)
    with pytest.raises(DomainError) as excinfo:
        services.publication_update(
            actor=staff.village_a, publication=edited, title="改", content="改动正文内容", channels=["notice"]
        )
    assert excinfo.value.code == "not_draft"
    assert Publication.objects.get(pk=edited.pk).title == "新标题"


def test_withdrawal_needs_a_reason_is_audited_and_no_longer_counts_for_closing(tree, staff, clock):
    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    matter.touches_collective = True
    matter.save(update_fields=["touches_collective"])
    plan = _record(staff.village_a, matter)
    lifecycle.matter_resolve(actor=staff.village_a, matter=matter, result="厂房已公开招租。")
    _record(staff.village_a, Matter.objects.get(pk=matter.pk), kind=PublicationKind.RESULT)
    matter.refresh_from_db()
    assert lifecycle.publicity_missing(matter) == []
    before = _counts()
    with pytest.raises(DomainError) as excinfo:
        services.publication_withdraw(actor=staff.village_a, publication=plan, reason="  ")
    assert excinfo.value.field == "reason" and _counts() == before
    with pytest.raises(PermissionDenied):
        services.publication_withdraw(actor=staff.grid_a1, publication=plan, reason="写错了")
    with pytest.raises(NotFound):
        services.publication_withdraw(actor=staff.village_b, publication=plan, reason="写错了")
    withdrawn = services.publication_withdraw(
        actor=staff.village_a, publication=plan, reason="方案金额写错,更正后重新公示"
    )
    assert withdrawn.state == PubState.WITHDRAWN and withdrawn.withdrawn_by == staff.village_a
    entry = AuditEntry.objects.filter(object_type="publicity.Publication", object_id=str(plan.pk)).last()
    assert entry is not None and entry.detail["reason"] == "方案金额写错,更正后重新公示"
    assert matter.events.filter(kind=EventKind.PUBLISHED, text__contains="已撤回").exists()
    assert lifecycle.publicity_missing(matter) == ["尚未公示理事方案"]
    with pytest.raises(DomainError):
        services.publication_withdraw(actor=staff.village_a, publication=withdrawn, reason="再撤一次")


def test_publications_end_after_their_period(tree, staff, clock):
    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    publication = _record(staff.village_a, matter)  # 2026-11-30 .. 2026-12-06
    assert services.publications_end_due(today=D(2026, 12, 6)) == 0
    assert services.shown_state(publication, today=D(2026, 12, 7)) == PubState.ENDED
    assert services.publications_end_due(today=D(2026, 12, 7)) == 1
    assert services.publications_end_due(today=D(2026, 12, 8)) == 0  # idempotent
    publication.refresh_from_db()
    assert publication.state == PubState.ENDED and publication.ended_at is not None
    # An ended notice still counts: it was published.
    assert "尚未公示理事方案" not in lifecycle.publicity_missing(matter)


def test_an_objection_in_the_period_becomes_a_linked_matter(tree, staff, clock):
    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    publication = _record(staff.village_a, matter)
    objection = services.objection_file(
        publication=publication,
        data=ObjectionInput(text="租金低于周边市场价,建议重新评估。", phone="13812345678", name="王某"),
    )
    new = objection.matter
    assert new.channel == "objection" and new.node == matter.node and new.touches_collective
    assert new.title == "对公示《关于西张村集体厂房出租的理事方案》的异议"
    assert objection.publication == publication and objection.path == publication.path
    assert Notification.objects.filter(recipient=staff.village_a, subject="公示收到异议").exists()


def test_objections_outside_the_period_or_without_a_phone_are_refused(tree, staff, clock):
    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    publication = _record(staff.village_a, matter)
    before = (Matter.objects.count(), Objection.objects.count())
    good = ObjectionInput(text="租金低于周边市场价。", phone="13812345678")
    for bad, field in [
        (ObjectionInput(text="短", phone="13812345678"), "text"),
        (ObjectionInput(text="租金低于周边市场价。", phone="12345"), "phone"),
    ]:
        with pytest.raises(DomainError) as excinfo:
            services.objection_file(publication=publication, data=bad)
        assert excinfo.value.field == field
    clock.at(D(2026, 12, 7))
    with pytest.raises(DomainError) as excinfo:
        services.objection_file(publication=publication, data=good)
    assert excinfo.value.code == "objection_closed"
    clock.at(D(2026, 12, 1))
    services.publication_withdraw(actor=staff.village_a, publication=publication, reason="重新公示")
    with pytest.raises(DomainError):
        services.objection_file(publication=publication, data=good)
    assert (Matter.objects.count(), Objection.objects.count()) == before


def test_a_subdistrict_wide_publication_asks_for_the_village(tree, staff, clock):
    ranking = publication_create(
        actor=staff.street,
        kind=PublicationKind.RANKING,
        node=tree.subdistrict,
        title="2026年9—11月评事考评排行",
        content="表扬名单:……",
        channels=["portal"],
        publish=True,
    )
    with pytest.raises(DomainError) as excinfo:
        services.objection_file(
            publication=ranking, data=ObjectionInput(text="对排名有异议,请核实。", phone="13812345678")
        )
    assert excinfo.value.field == "village"
    assert [n.pk for n in services.objection_places(ranking)] == [tree.village_a.pk, tree.village_b.pk]
    objection = services.objection_file(
        publication=ranking,
        data=ObjectionInput(text="对排名有异议,请核实。", phone="13812345678", village=tree.village_b),
    )
    assert objection.matter.node == tree.village_b and not objection.matter.touches_collective
    with pytest.raises(DomainError):
        publication_create(
            actor=staff.village_a,
            kind=PublicationKind.RANKING,
            node=tree.village_a,
            title="评事考评排行",
            content="……",
            channels=["portal"],
        )


def test_the_nightly_task_ends_due_publications(tree, staff, clock):
    from celery.schedules import crontab
    from django.conf import settings

    from ..tasks import end_due_publications

    entry = settings.CELERY_BEAT_SCHEDULE["publicity-end-due"]
    assert entry["task"] == "grassroots.publicity.tasks.end_due_publications"
    assert entry["schedule"] == crontab(hour=0, minute=10)
    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    _record(staff.village_a, matter)
    assert end_due_publications.apply().get() == 0
    clock.at(D(2026, 12, 7), hour=0)
    assert end_due_publications.apply().get() == 1
    assert Publication.objects.get().state == PubState.ENDED
