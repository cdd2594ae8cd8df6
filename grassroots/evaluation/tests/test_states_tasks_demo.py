"""The state table, the monthly beat job and the demo command."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from grassroots.evaluation.models import AppraisalSession, Ballot
from grassroots.evaluation.states import TRANSITIONS, Action, State, next_state
from grassroots.evaluation.tasks import create_monthly_sessions

from .conftest import make_matter


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("action", Action.values)
def test_state_table(state, action):
    expected = {("draft", "freeze"): "frozen", ("frozen", "close"): "closed"}
    assert next_state(state, action) == expected.get((state, action))
    assert len(TRANSITIONS) == 2


def test_monthly_job_creates_one_session_per_village_idempotently(world):
    assert create_monthly_sessions(today=datetime.date(2026, 6, 1)) == 2
    assert create_monthly_sessions(today=datetime.date(2026, 6, 1)) == 0
    session = AppraisalSession.objects.get(village=world.tree.village_a)
    assert session.month == datetime.date(2026, 5, 1)
    assert session.items.count() == 4 and session.roster.count() == 6


def test_demo_command_is_idempotent(world, settings):
    from django.utils import timezone

    # A collective matter resolved this month and in each of the two months before.
    now = timezone.now()
    month = timezone.localdate().replace(day=1)
    for back in range(3):
        start = datetime.datetime.combine(month, datetime.time(), tzinfo=timezone.get_current_timezone())
        resolved = min(start + datetime.timedelta(days=3, hours=10), now - datetime.timedelta(seconds=1))
        make_matter(world.tree.grid_a1, 100 + back, assignee=world.handler1, resolved=max(resolved, start))
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    call_command("generate_demo_evaluation")
    states = sorted(AppraisalSession.objects.values_list("state", flat=True))
    assert states == ["closed", "closed", "draft"]
    ballots = Ballot.objects.count()
    assert ballots >= 8
    call_command("generate_demo_evaluation")
    assert AppraisalSession.objects.count() == 3 and Ballot.objects.count() == ballots
