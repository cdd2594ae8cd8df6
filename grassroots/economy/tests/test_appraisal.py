"""评事 appraises a distribution plan's handlers (ADR 0045): its collective
matter is resolved when the plan is distributed, so the month's appraisal
lists the matter (the result), the assignee the meeting named, and the staff
who drafted, submitted and published it (economy's handler registry)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.evaluation.models import ItemKind
from grassroots.evaluation.services.sessions import month_start, session_create
from grassroots.testing.factories import UserFactory

from ..appraisal import plan_handlers
from ..services import distribution, meeting
from .support import company_of, vote

pytestmark = pytest.mark.django_db


def cashier(tree):
    """A second station staff member, who confirms the distribution."""
    return UserFactory(
        username="eco_cashier", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, display_name="出纳"
    )


def _distributed(tree, people):
    company = company_of(tree.subdistrict, [(tree.village_a, "60"), (tree.village_b, "40")])
    plan = distribution.plan_create(actor=people.street, company=company, year=2025, total=Decimal("1000.00"))
    plan = meeting.plan_submit(actor=people.street, plan=plan)
    vote(tree, people.village_a, plan, votes_for=3, against=0)
    plan = meeting.plan_read_resolution(actor=people.street, plan=plan)
    plan = meeting.plan_publish(actor=people.street, plan=plan)
    return meeting.plan_distribute(actor=cashier(tree), plan=plan)


def test_the_months_appraisal_lists_the_plans_matter_and_handlers(tree, people):
    plan = _distributed(tree, people)
    session, created = session_create(village=tree.village_a, month=month_start(timezone.localdate()))
    assert created
    staff = list(session.items.filter(kind=ItemKind.STAFF).order_by("position").values_list("staff_id", flat=True))
    # The meeting's assignee first, then the plan's staff in the order they acted.
    assert staff == [people.village_a.pk, people.street.pk, User.objects.get(username="eco_cashier").pk]
    matters = list(session.items.filter(kind=ItemKind.MATTER).values_list("matter_id", flat=True))
    assert matters == [plan.matter_id]


def test_a_plan_not_yet_distributed_is_not_appraised(tree, people):
    company = company_of(tree.subdistrict, [(tree.village_a, "100")])
    plan = distribution.plan_create(actor=people.street, company=company, year=2025, total=Decimal("1000.00"))
    meeting.plan_submit(actor=people.street, plan=plan)
    session, _ = session_create(village=tree.village_a, month=month_start(timezone.localdate()))
    assert not session.items.exists()


def test_plan_handlers_in_two_queries(tree, people, django_assert_num_queries):
    plan = _distributed(tree, people)
    assert plan.matter is not None
    with django_assert_num_queries(2):
        found = plan_handlers([plan.matter])
    assert [u.pk for u in found[plan.matter.pk]] == [people.street.pk, User.objects.get(username="eco_cashier").pk]
    assert plan_handlers([]) == {}
