"""The 晒事 demo: through the services, every kind and state present,
current notices in the demo users' villages, idempotent."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from grassroots.accounts.demo import ensure_demo_users
from grassroots.core.audit import audit_verify
from grassroots.core.models import AuditEntry
from grassroots.regions.demo import generate_demo
from grassroots.regions.importer import hutian_load
from grassroots.regions.models import Node

from ..models import Kind, Objection, Publication, State
from ..selectors import public_current

pytestmark = pytest.mark.django_db

XIZHANG, DIANZI, XIAHU = "370303003206", "370303003015", "370303003202"


@pytest.fixture
def hutian(db):
    hutian_load()
    generate_demo(seed=2023, village_codes=[XIZHANG, DIANZI, XIAHU], reference_date=datetime.date(2026, 11, 30))
    ensure_demo_users()


def test_demo_publications(hutian):
    call_command("generate_demo_matters", "--count", "150", stdout=StringIO())
    call_command("generate_demo_deliberation", stdout=StringIO())
    call_command("generate_demo_evaluation", stdout=StringIO())
    out = StringIO()
    call_command("generate_demo_publicity", stdout=out)
    assert out.getvalue().startswith("晒事演示数据:")
    kinds = set(Publication.objects.values_list("kind", flat=True))
    assert {Kind.PLAN, Kind.RESULT, Kind.RESOLUTION} <= kinds
    states = set(Publication.objects.values_list("state", flat=True))
    assert states == set(State.values)
    withdrawn = Publication.objects.get(state=State.WITHDRAWN)
    assert withdrawn.withdraw_reason and AuditEntry.objects.filter(object_id=str(withdrawn.pk)).count() >= 3
    assert Objection.objects.count() == 1 and Objection.objects.get().matter.channel == "objection"
    xizhang = Node.objects.get(code=XIZHANG)
    assert public_current(village=xizhang), "the demo village's LED board has something to show"
    assert audit_verify().ok
    count = Publication.objects.count()
    again = StringIO()
    call_command("generate_demo_publicity", stdout=again)
    assert again.getvalue().startswith("晒事演示数据已存在") and Publication.objects.count() == count
