"""The publication lifecycle table (states.py), every pair through the
services: publishing and withdrawing by staff, ending by the nightly job."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from grassroots.core.models import AuditEntry
from grassroots.matters.models import MatterEvent
from grassroots.matters.states import State as MatterState
from grassroots.matters.tests import factories as f
from grassroots.testing.workflow import all_pairs, assert_table, check_pair, pair_ids

from .. import services
from ..models import Channel, Kind, Publication, PublicationEvent
from ..states import TABLE, Action, State

pytestmark = pytest.mark.django_db
D = datetime.date
EXPECTED = {
    (Action.PUBLISH, State.DRAFT),
    (Action.END, State.PUBLISHED),
    (Action.WITHDRAW, State.PUBLISHED),
    (Action.WITHDRAW, State.ENDED),
}
STAFF_PAIRS = all_pairs([Action.PUBLISH, Action.WITHDRAW], State)


@pytest.fixture
def staff(tree, monkeypatch):
    f.freeze(monkeypatch)
    return f.make_staff(tree)


def _in_state(tree: Any, staff: Any, state: str) -> Publication:
    matter = f.matter_in_state(MatterState.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    publication = services.publication_create(
        actor=staff.village_a,
        matter=matter,
        publish=state != State.DRAFT,
        kind=Kind.PLAN,
        title="关于西张村集体厂房出租的理事方案",
        content="经村民代表会议讨论,厂房按公开招租方式出租,租金收入纳入村集体账户。",
        starts_on=D(2026, 11, 30),
        ends_on=D(2026, 12, 6),
        channels=[Channel.NOTICE],
    )
    if state == State.ENDED:
        services.publications_end_due(today=D(2026, 12, 7))
    if state == State.WITHDRAWN:
        services.publication_withdraw(actor=staff.village_a, publication=publication, reason="金额写错")
    publication.refresh_from_db()
    assert publication.state == state
    return publication


def _snapshot(publication: Publication) -> tuple[Any, ...]:
    row = Publication.objects.values_list("state", "published_at", "withdrawn_at").get(pk=publication.pk)
    return row, PublicationEvent.objects.count(), MatterEvent.objects.count(), AuditEntry.objects.count()


def test_table():
    assert_table(TABLE, actions=Action, states=State, expected=EXPECTED)


@pytest.mark.parametrize(("action", "state"), STAFF_PAIRS, ids=pair_ids(STAFF_PAIRS))
def test_every_staff_pair(tree, staff, action, state):
    publication = _in_state(tree, staff, state)
    if action == Action.PUBLISH:

        def perform() -> Any:
            return services.publication_publish(
                actor=staff.village_a, publication=publication, starts_on=D(2026, 11, 30), ends_on=D(2026, 12, 6)
            )
    else:

        def perform() -> Any:
            return services.publication_withdraw(actor=staff.village_a, publication=publication, reason="重新公示")

    code = {Action.PUBLISH: "not_draft", Action.WITHDRAW: "not_published"}[action]
    check_pair(
        TABLE,
        action=action,
        state=state,
        obj=publication,
        perform=perform,
        snapshot=lambda: _snapshot(publication),
        code=code,
    )
    if TABLE.allowed(action, state):
        event = PublicationEvent.objects.filter(publication=publication).latest("id")
        assert (event.action, event.from_state, event.actor) == (action, state, staff.village_a)


@pytest.mark.parametrize("state", State.values)
def test_the_nightly_job_ends_only_published_notices(tree, staff, state):
    publication = _in_state(tree, staff, state)
    before = _snapshot(publication)
    ended = services.publications_end_due(today=D(2026, 12, 7))
    publication.refresh_from_db()
    if TABLE.allowed(Action.END, state):
        assert ended == 1 and publication.state == State.ENDED
        event = PublicationEvent.objects.filter(publication=publication).latest("id")
        assert (event.action, event.actor) == (Action.END, None)  # the system
    else:
        assert ended == 0 and _snapshot(publication) == before
