"""The deliberation demo: rules for every village, four meetings per village
(three held with resolutions and minutes, one upcoming), eight weeks of
key-village selections with joint meetings; deterministic and idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from grassroots.accounts.roles import Role
from grassroots.testing.factories import UserFactory

from ..demo import generate_demo_deliberation
from ..models import Kind, Meeting, Resolution, RuleSet, WeeklySelection
from .setup import make_representatives

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(tree):
    UserFactory(username="street", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict)
    make_representatives(tree.village_a, tree.unit_a1, 7)
    make_representatives(tree.village_b, tree.unit_b1, 5, serial_base=300)
    return tree


def _snapshot():
    return sorted(Meeting.objects.values_list("title", "state", "expected_count")), sorted(
        Resolution.objects.values_list("votes_for", "votes_against", "votes_abstain", "passed")
    )


def test_demo_complete_and_idempotent(demo_world, capsys):
    report = generate_demo_deliberation()
    assert report.created
    assert RuleSet.objects.count() == 3  # subdistrict + 2 villages
    for village in (demo_world.village_a, demo_world.village_b):
        own = Meeting.objects.filter(node=village)
        assert own.count() == 4
        assert own.filter(state="closed").count() == 3 and own.filter(state="scheduled").count() == 1
        assert all(m.minutes for m in own.filter(state="closed"))
    assert WeeklySelection.objects.filter(status="confirmed").count() == 8
    assert Meeting.objects.filter(kind=Kind.JOINT).count() == 16
    assert Resolution.objects.count() > 20
    first = _snapshot()
    call_command("generate_demo_deliberation")
    assert "未重复生成" in capsys.readouterr().out
    assert _snapshot() == first
