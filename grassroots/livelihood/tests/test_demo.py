"""The demo livelihood data on the small tree: schools, flags, visits and
rounds through the services; idempotent."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.publicity.models import Publication
from grassroots.regions.models import Resident

from ..demo import SIX, generate_demo_livelihood
from ..models import Activity, CareFlag, CareVisit, CheckIn, FlagKind, HealthRound, Milestone, Project
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
    assert report.projects == Project.objects.count() == 3 + 2  # the small tree has two villages for roads
    assert Project.objects.get(title="龙湾便民市场").progress == 60
    assert (
        Publication.objects.filter(kind="project").count() == Milestone.objects.filter(reached_on__isnull=False).count()
    )
    assert report.activities == Activity.objects.count() == 7
    assert CheckIn.objects.exists() or len(SIX) == 6
    assert not generate_demo_livelihood().created
