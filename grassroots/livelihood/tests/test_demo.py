"""The demo livelihood data on the small tree: schools, flags, visits and
rounds through the services; idempotent."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.regions.models import Resident

from ..demo import generate_demo_livelihood
from ..models import CareFlag, CareVisit, FlagKind, HealthRound
from .support import elder, resident_at

pytestmark = pytest.mark.django_db


def test_demo_on_the_small_tree(tree, people):
    today = timezone.localdate()
    for n in range(10):
        elder(tree.unit_a1, f"老人{n}", age=75 + n)
    household = tree.resident_a1.household
    resident_at(tree.unit_a1, "小红", datetime.date(today.year - 8, 1, 1), head=False, household=household)
    report = generate_demo_livelihood()
    assert report.created and report.children == 1
    assert Resident.objects.get(name="小红").school == "湖田小学"
    assert set(CareFlag.objects.values_list("kind", flat=True)) == set(FlagKind.values)
    assert report.visits == CareVisit.objects.count() >= 6
    assert report.rounds == HealthRound.objects.count() >= 3
    assert not generate_demo_livelihood().created
