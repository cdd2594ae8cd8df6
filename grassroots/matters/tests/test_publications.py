"""公示 records: who may record them, what may be published when, and the
checks on their period and channels."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.models import AuditEntry

from ..errors import MatterError
from ..models import EventKind, MatterEvent, Publication, PublicationChannel, PublicationKind
from ..services.publications import publication_record
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
    return publication_record(actor=actor, matter=matter, **values)


def _counts():
    return Publication.objects.count(), MatterEvent.objects.count(), AuditEntry.objects.count()


def test_recording_a_plan_publication(tree, staff):
    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    publication = _record(staff.village_a, matter, channels=["wechat", "notice", "wechat"])
    assert publication.path == matter.path
    assert publication.channels == ["notice", "wechat"]  # deduplicated, in a fixed order
    event = matter.events.get(kind=EventKind.PUBLISHED)
    assert event.public and "理事方案已公示" in event.text and "公告栏纸质公示" in event.text
    assert AuditEntry.objects.filter(object_type="matters.Publication", object_id=str(publication.pk)).exists()


def test_a_result_needs_a_resolved_matter(tree, staff):
    handling = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    before = _counts()
    with pytest.raises(MatterError) as excinfo:
        _record(staff.village_a, handling, kind=PublicationKind.RESULT)
    assert excinfo.value.code == "result_missing"
    assert _counts() == before
    resolved = f.matter_in_state(State.RESOLVED, node=tree.unit_a1, handler=staff.village_a)
    assert _record(staff.village_a, resolved, kind=PublicationKind.RESULT).kind == PublicationKind.RESULT


def test_nothing_to_publish_before_a_plan_exists(tree, staff):
    for state in (State.REPORTED, State.ACCEPTED, State.REJECTED):
        matter = f.matter_in_state(state, node=tree.unit_a1, handler=staff.village_a)
        before = _counts()
        with pytest.raises(MatterError):
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
    with pytest.raises(MatterError) as excinfo:
        _record(staff.village_a, matter, **overrides)
    assert excinfo.value.field == field
    assert excinfo.value.message  # a Chinese sentence for the form
    assert _counts() == before
