"""Selectors: the batched percentages agree with progress() for every kind
and cost a fixed number of queries; text search goes through the index."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.core.models import SearchEntry
from grassroots.core.search import bigrams
from grassroots.deliberation.publishing import resolution_draft
from grassroots.evaluation.publishing import appraisal_draft
from grassroots.matters.states import State as MatterState
from grassroots.matters.tests import factories as f
from grassroots.testing.factories import UserFactory

from .. import selectors, services
from ..models import Kind, Publication
from .staff_helpers import closed_appraisal, closed_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(tree, monkeypatch):
    f.freeze(monkeypatch)
    return f.make_staff(tree)


def _publish(actor, **kwargs):
    return services.publication_create(actor=actor, channels=["portal", "led"], publish=True, **kwargs)


def _all_kinds(tree, staff) -> list[Publication]:
    handling = f.matter_in_state(MatterState.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    resolved = f.matter_in_state(MatterState.RESOLVED, node=tree.unit_a1, handler=staff.village_a, title="路灯不亮")
    meeting = closed_meeting(staff.village_a, tree.village_a, tree.unit_a1)
    handler = UserFactory(username="h_a", role="village_staff", jurisdiction=tree.village_a, display_name="王办理")
    session = closed_appraisal(tree, staff.village_a, [handler])
    title, content = resolution_draft(meeting)
    a_title, a_content = appraisal_draft(session)
    return [
        _publish(staff.village_a, kind=Kind.PLAN, matter=handling, title="厂房出租方案", content="公开招租"),
        _publish(staff.village_a, kind=Kind.RESULT, matter=resolved, title="路灯结果", content="已更换"),
        _publish(staff.village_a, kind=Kind.RESOLUTION, meeting=meeting, title=title, content=content),
        _publish(staff.village_a, kind=Kind.APPRAISAL, appraisal=session, title=a_title, content=a_content),
        _publish(
            staff.street,
            kind=Kind.RANKING,
            node=tree.subdistrict,
            title="评事考评排行",
            content="表扬名单:无。督促名单:无。",
        ),
    ]


def test_batched_percentages_match_progress_for_every_kind(tree, staff):
    publications = _all_kinds(tree, staff)
    rows = list(selectors.public_publications(village=tree.village_a))
    assert {p.pk for p in rows} == {p.pk for p in publications}
    expected = {p.pk: selectors.progress(p)[0] for p in rows}
    assert selectors.percents(rows) == expected
    assert expected[publications[0].pk] == 60 and expected[publications[1].pk] == 90


def test_led_text_costs_the_same_queries_for_one_or_many_notices(client, tree, staff):
    matter = f.matter_in_state(MatterState.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    _publish(staff.village_a, kind=Kind.PLAN, matter=matter, title="方案一", content="内容")
    url = f"/notices/v/{tree.village_a.pk}/led.txt"
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(2, 8):
        other = f.matter_in_state(MatterState.HANDLING, node=tree.unit_a1, handler=staff.village_a, title=f"事项{n}")
        _publish(staff.village_a, kind=Kind.PLAN, matter=other, title=f"方案{n}", content="内容")
    _all_kinds(tree, staff)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert body.count("【") == 12
    assert len(many.captured_queries) <= len(one.captured_queries) + 1  # + the meetings' resolutions


def test_search_uses_the_index_and_finds_matter_numbers(tree, staff):
    matter = f.matter_in_state(MatterState.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    plan = _publish(
        staff.village_a, kind=Kind.PLAN, matter=matter, title="村西厂房出租方案", content="按评估价公开招租"
    )
    rows = Publication.objects.all()
    assert list(selectors.search_filter(rows, "厂房")) == [plan]
    assert list(selectors.search_filter(rows, "评估价")) == [plan]
    assert list(selectors.search_filter(rows, matter.number)) == [plan]
    assert list(selectors.search_filter(rows, "路灯")) == []
    edited = services.publication_create(
        actor=staff.village_a, kind=Kind.PLAN, matter=matter, title="草稿", content="旧内容", channels=["portal"]
    )
    services.publication_update(
        actor=staff.village_a, publication=edited, title="草稿", content="改为停车场划线", channels=["portal"]
    )
    assert list(selectors.search_filter(rows, "停车场")) == [edited]
    assert list(selectors.search_filter(rows, "旧内容")) == []
    # Scoped: another village's prefix finds nothing.
    assert list(selectors.search_filter(rows, "厂房", path_prefix=tree.village_b.path)) == []


def test_search_keeps_an_old_match_behind_many_newer_drafts(tree, staff):
    # A published plan about 厂房, then more than 2,000 newer index entries about
    # 厂房 (drafts and withdrawn notices are indexed too): the public list,
    # which keeps only published notices, must still find the plan.
    matter = f.matter_in_state(MatterState.HANDLING, node=tree.unit_a1, handler=staff.village_a)
    plan = _publish(staff.village_a, kind=Kind.PLAN, matter=matter, title="村西厂房出租方案", content="公开招租")
    text = "厂房出租方案草稿"
    SearchEntry.objects.bulk_create(
        SearchEntry(
            object_type=services.SEARCH_TYPE,
            object_id=str(plan.pk + 1 + i),
            path=plan.path,
            text=text,
            bigrams=" ".join(bigrams(text)),
        )
        for i in range(2100)
    )
    assert list(selectors.search_filter(selectors.public_publications(), "厂房")) == [plan]
