"""The demo relocation data on the small tree: the seed's projects and
magnitudes (11,650 / 11,698 = 99.59%; 289 / 365 = 79%; 121 confirmed of
427), every unit's state consistent with its dates; idempotent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from grassroots.accounts.demo import DEMO_ACCOUNTS
from grassroots.accounts.roles import Role

from ..demo import STATION, generate_demo_relocation
from ..models import Project, Unit
from ..selectors import progress
from ..states import SIGNED_STATES, State
from .support import make_user

pytestmark = pytest.mark.django_db


def test_demo_on_the_small_tree(tree):
    report = generate_demo_relocation()
    assert report.created and report.units == Unit.objects.count() == 11698 + 792 + 126 + 84
    station = Project.objects.get(name=STATION)
    summary = progress.summary(Unit.objects.filter(project=station), day=timezone.localdate())
    assert (summary.signed, summary.total, summary.rate) == (11650, 11698, Decimal("99.59"))
    assert summary.signed > summary.signed_yesterday
    road = Project.objects.get(name="三条快速路")
    first, second = progress.by_batch(Unit.objects.filter(project=road))
    assert (first.label, first.total, first.signed, first.rate) == ("第一批次365户非住宅", 365, 289, Decimal("79.18"))
    second_units = Unit.objects.filter(batch_id=second.key)
    assert second_units.count() == 427 and second_units.filter(confirmed_on__isnull=False).count() == 121
    assert Unit.objects.filter(state__in=SIGNED_STATES).count() == Unit.objects.filter(signed_on__isnull=False).count()
    assert not Unit.objects.filter(state=State.PENDING, confirmed_on__isnull=False).exists()
    assert not generate_demo_relocation().created


def test_relocation_workers_take_units_and_have_a_demo_login(tree):
    assert any(role == Role.RELOCATION_WORKER and name == "relocation" for name, role, *_ in DEMO_ACCOUNTS)
    worker = make_user("demo_rel", Role.RELOCATION_WORKER, tree.village_a)
    generate_demo_relocation()
    assert Unit.objects.filter(worker=worker).exists()
    assert not Unit.objects.filter(worker=worker).exclude(village=tree.village_a).exists()
