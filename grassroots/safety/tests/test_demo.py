"""The demo safety data on the small tree: ~150 premises, a sweep of
inspections, hazards in every state (an overdue one escalated); idempotent."""

from __future__ import annotations

import pytest

from grassroots.addresses.demo import generate_demo_addresses

from ..demo import PREMISES, generate_demo_safety
from ..models import Campaign, Hazard, Inspection, Premises
from ..states import HazardState

pytestmark = pytest.mark.django_db


def test_demo_on_the_small_tree(tree, people):
    generate_demo_addresses()
    report = generate_demo_safety()
    assert report.created and report.premises == PREMISES == Premises.objects.count()
    assert report.inspections == Inspection.objects.count() > 90
    states = set(Hazard.objects.values_list("state", flat=True))
    assert states == set(HazardState.values)
    assert Hazard.objects.filter(escalated_at__isnull=False).exists()
    assert Premises.objects.exclude(address=None).exists()
    assert Campaign.objects.count() == 1
    # The first major hazard found opened its matter (ADR 0039).
    linked = Hazard.objects.exclude(matter=None).get()
    assert linked.level == "major" and linked.matter is not None and linked.matter.channel == "linked"
    assert not generate_demo_safety().created
