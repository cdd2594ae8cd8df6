"""The mediation demo data: deterministic, idempotent, consistent with the
state table and the database checks."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.mediation import selectors
from grassroots.mediation.demo import CASES, generate_demo_mediation
from grassroots.mediation.models import (
    Agreement,
    CaseEvent,
    Consultation,
    DisputeCase,
    GridAdviser,
    Outcome,
    Source,
)
from grassroots.mediation.states import State
from grassroots.mediation.stats import dispute_stats
from grassroots.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

REFERENCE = datetime.date(2026, 6, 30)


@pytest.fixture
def demo_users(tree):
    for username, role in (
        ("street", Role.SUBDISTRICT_STAFF),
        ("mediator", Role.MEDIATOR),
        ("lawyer", Role.LEGAL_ADVISER),
    ):
        UserFactory(username=username, role=role, jurisdiction=tree.subdistrict)
    return tree


def test_demo_is_complete_consistent_and_idempotent(demo_users):
    report = generate_demo_mediation(subdistrict_code="370303003000", reference_date=REFERENCE)
    assert report.created_cases == CASES == DisputeCase.objects.count()
    cases = list(DisputeCase.objects.all())
    assert {c.source for c in cases} == {Source.POLICE, Source.PETITION, Source.COURT, Source.WALK_IN}
    assert len({c.dispute_type for c in cases}) == 7
    assert {c.node.path[:8] for c in cases} == {demo_users.village_a.path, demo_users.village_b.path}
    states = {c.state for c in cases}
    assert {State.REGISTERED, State.MEDIATING, State.CLOSED, State.FOLLOWING_UP} <= states
    assert all(REFERENCE - datetime.timedelta(days=365) <= c.registered_on <= REFERENCE for c in cases)
    for case in cases:
        # Every state was reached by a transition the table allows, with an outcome to match.
        last = (
            CaseEvent.objects.filter(case=case, kind__in=["created", "transition"]).order_by("created_at", "id").last()
        )
        assert last is not None and last.to_state == case.state
        if case.state in (State.AGREED, State.FOLLOWING_UP) or (
            case.state == State.CLOSED and case.outcome == Outcome.AGREED
        ):
            assert Agreement.objects.filter(case=case).exists()
        if case.state not in (State.REGISTERED, State.DECLINED):
            assert case.accepted_on is not None
            assert case.due_date == case.accepted_on + datetime.timedelta(days=30)
            assert case.committee_id and case.legal_adviser_id and case.team_members.count() == 2
    assert GridAdviser.objects.filter(until__isnull=True).count() == 4  # every grid of the small tree
    assert report.consultations == Consultation.objects.count() > 0
    first = sorted((c.number, c.title, c.registered_on, c.state) for c in cases)

    again = generate_demo_mediation(subdistrict_code="370303003000", reference_date=REFERENCE)
    assert again.created_cases == 0 and again.skipped_cases == CASES and again.consultations == 0
    assert sorted((c.number, c.title, c.registered_on, c.state) for c in DisputeCase.objects.all()) == first


def test_demo_has_repeat_disputes(demo_users):
    generate_demo_mediation(subdistrict_code="370303003000", reference_date=REFERENCE)
    street = User.objects.get(username="street")
    stats = dispute_stats(user=street, start=REFERENCE - datetime.timedelta(days=366), end=REFERENCE)
    assert stats.total.total == CASES
    assert stats.repeat_parties and stats.repeat_places
    assert all(w.open_cases >= 0 for w in selectors.workloads(user=street))


def test_command_needs_demo_users(tree):
    with pytest.raises(CommandError):
        call_command("generate_demo_mediation", "--reference-date", "2026-06-30")
    assert not DisputeCase.objects.exists()


def test_command_runs(demo_users, capsys):
    call_command("generate_demo_mediation", "--reference-date", "2026-06-30")
    assert "新建案件 60 件" in capsys.readouterr().out
