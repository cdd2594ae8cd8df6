"""The organisations, shares, income and distribution services: the rules,
their Chinese refusals (nothing written), scope (404) and role (403)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from grassroots.core.actors import SYSTEM
from grassroots.core.errors import DomainError
from grassroots.core.models import AuditEntry
from grassroots.party.services.organisation import branch_create

from ..models import Company, DistributionLine, DistributionPlan, IncomeEntry, Shareholding
from ..selectors import company_share_history, income_by_village
from ..services import companies, distribution, income
from ..services.companies import Holding
from ..states import State
from ..tasks import plans_check_sums
from .support import FOUNDED, company_of, joint_committee, plan_in_state

pytestmark = pytest.mark.django_db
D = Decimal


def _two(tree):
    return company_of(tree.subdistrict, [(tree.village_a, "60"), (tree.village_b, "40")])


def test_company_with_shares_and_a_change_keeps_history(tree, people):
    company = _two(tree)
    day = datetime.date(2025, 7, 1)
    companies.shares_change(
        actor=people.street,
        company=company,
        valid_from=day,
        holdings=[
            Holding(village=tree.village_a, share=D("33.3333"), contribution=D("1.00")),
            Holding(village=tree.village_b, share=D("66.6667"), contribution=D("2.00")),
        ],
    )
    history = company_share_history(company=company)
    assert len(history) == 4
    old = {(h.village_id, h.share, h.valid_to) for h in history if h.valid_from == FOUNDED}
    assert old == {(tree.village_a.pk, D("60.0000"), day), (tree.village_b.pk, D("40.0000"), day)}
    before = distribution.shares_on(company=company, day=day - datetime.timedelta(days=1))
    after = distribution.shares_on(company=company, day=day)
    assert [h.share for h in before] == [D("60.0000"), D("40.0000")]
    assert sum(h.share for h in after) == D(100)
    assert distribution.shares_on(company=company, day=FOUNDED - datetime.timedelta(days=1)) == []


@pytest.mark.parametrize(
    ("holdings", "code"),
    [
        ([("a", "60"), ("b", "30")], "shares_not_100"),
        ([("a", "100.00001")], "share_invalid"),
        ([("a", "0"), ("b", "100")], "share_invalid"),
        ([("a", "50"), ("a", "50")], "village_twice"),
        ([], "villages_required"),
        ([("grid", "100")], "village_outside"),
    ],
)
def test_bad_shares_are_refused_and_nothing_changes(tree, people, holdings, code):
    company = _two(tree)
    nodes = {"a": tree.village_a, "b": tree.village_b, "grid": tree.grid_a1}
    rows, audits = Shareholding.objects.count(), AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        companies.shares_change(
            actor=people.street,
            company=company,
            valid_from=datetime.date(2025, 1, 1),
            holdings=[Holding(village=nodes[k], share=D(s), contribution=D("0")) for k, s in holdings],
        )
    assert exc.value.code == code and exc.value.message
    assert (Shareholding.objects.count(), AuditEntry.objects.count()) == (rows, audits)


def test_share_change_must_be_after_the_last(tree, people):
    company = _two(tree)
    with pytest.raises(DomainError) as exc:
        companies.shares_change(
            actor=people.street,
            company=company,
            valid_from=FOUNDED,
            holdings=[Holding(village=tree.village_a, share=D("100"), contribution=D("0"))],
        )
    assert exc.value.code == "not_after_last"
    assert Shareholding.objects.filter(company=company, valid_to__isnull=True).count() == 2


def test_shares_roles_and_scope(tree, people):
    company = _two(tree)
    holdings = [Holding(village=tree.village_a, share=D("100"), contribution=D("0"))]
    with pytest.raises(DomainError) as exc:
        companies.shares_change(
            actor=people.village_a, company=company, valid_from=datetime.date(2025, 1, 1), holdings=holdings
        )
    assert exc.value.status == 404  # the company sits above village a's subtree
    other = company_of(tree.village_b, [(tree.village_b, "100")], name="店子公司")
    with pytest.raises(DomainError) as exc:
        companies.shares_change(
            actor=people.street_a, company=other, valid_from=datetime.date(2025, 1, 1), holdings=holdings
        )
    assert exc.value.status == 404
    mine = company_of(tree.village_a, [(tree.village_a, "100")], name="西张公司")
    with pytest.raises(DomainError) as exc:
        companies.shares_change(
            actor=people.village_a, company=mine, valid_from=datetime.date(2025, 1, 1), holdings=holdings
        )
    assert exc.value.status == 403


def test_a_company_stands_under_partys_joint_committee(tree, people):
    joint = joint_committee(tree)
    company = companies.company_create(
        actor=people.street,
        name="联建公司",
        node=tree.subdistrict,
        founded_on=datetime.date(2024, 1, 1),
        holdings=[companies.Holding(village=tree.village_a, share=Decimal(100), contribution=Decimal(1))],
        committee=joint,
    )
    assert company.committee == joint and list(Company.objects.filter(committee=joint)) == [company]
    branch = branch_create(actor=SYSTEM, name="西张村党支部", kind="branch", node=tree.village_a)
    with pytest.raises(DomainError) as exc:
        companies.company_create(
            actor=people.street,
            name="另一公司",
            node=tree.subdistrict,
            founded_on=datetime.date(2024, 1, 1),
            holdings=[companies.Holding(village=tree.village_a, share=Decimal(100), contribution=Decimal(1))],
            committee=branch,
        )
    assert exc.value.code == "not_joint_committee"
    assert Company.objects.count() == 1


def test_income_record_and_projection(tree, people):
    income.income_record(
        actor=people.village_a,
        village=tree.village_a,
        month=datetime.date(2025, 3, 15),
        source="market",
        amount=D("85000.50"),
    )
    income.income_record(
        actor=people.village_a, village=tree.village_a, month=datetime.date(2025, 4, 1), source="rent", amount=D("1000")
    )
    income.target_set(actor=people.street, village=tree.village_a, year=2025, amount=D("500000"))
    rows = {r.village.pk: r for r in income_by_village(user=people.street, year=2025)}
    assert rows[tree.village_a.pk].actual == D("86000.50")
    assert rows[tree.village_a.pk].rate == D("17.2")
    assert rows[tree.village_b.pk].actual == D("0") and rows[tree.village_b.pk].projected is None
    assert IncomeEntry.objects.get(source="market").month == datetime.date(2025, 3, 1)


@pytest.mark.parametrize(
    ("changes", "code", "status"),
    [
        ({"amount": D("-1")}, "amount_invalid", 400),
        ({"amount": D("1.005")}, "amount_invalid", 400),
        ({"source": "lottery"}, "source_invalid", 400),
        ({"village": "grid"}, "not_village", 400),
        ({"village": "b"}, "not_found", 404),
    ],
)
def test_bad_income_is_refused(tree, people, changes, code, status):
    values = {"village": tree.village_a, "month": datetime.date(2025, 1, 1), "source": "market", "amount": D("1")}
    values.update(changes)
    if values["village"] == "grid":
        values["village"] = tree.grid_a1
    elif values["village"] == "b":
        values["village"] = tree.village_b
    with pytest.raises(DomainError) as exc:
        income.income_record(actor=people.village_a, **values)
    assert (exc.value.code, exc.value.status) == (code, status)
    assert IncomeEntry.objects.count() == 0


def test_income_twice_is_refused(tree, people):
    values = {"village": tree.village_a, "month": datetime.date(2025, 1, 1), "source": "market", "amount": D("1")}
    income.income_record(actor=people.village_a, **values)
    with pytest.raises(DomainError) as exc:
        income.income_record(actor=people.village_a, **values)
    assert exc.value.code == "income_exists"
    with pytest.raises(DomainError) as exc:
        income.income_record(actor=people.grid_a, **values)
    assert exc.value.status == 403


def test_plan_lines_sum_to_the_total(tree, people):
    company = company_of(tree.subdistrict, [(tree.village_a, "33.3333"), (tree.village_b, "66.6667")], name="宏湖")
    plan = distribution.plan_create(actor=people.street, company=company, year=2025, total=D("1000000.01"))
    lines = {line.village_id: line.amount for line in plan.lines.all()}
    assert sum(lines.values()) == D("1000000.01")
    # exact: 33333300.3333 and 66666700.6667 fen → floors 333333.00 + 666667.00, the fen left goes to
    # the larger remainder.
    assert lines == {tree.village_a.pk: D("333333.00"), tree.village_b.pk: D("666667.01")}
    assert plan.shares_on == datetime.date(2025, 12, 31)
    recomputed = distribution.plan_recompute(
        actor=people.street, plan=plan, total=D("0.01"), shares_on=datetime.date(2025, 6, 30)
    )
    assert sum(line.amount for line in recomputed.lines.all()) == D("0.01")


def test_plan_refusals(tree, people):
    company = company_of(tree.subdistrict, [(tree.village_a, "100")])
    with pytest.raises(DomainError) as exc:
        distribution.plan_create(actor=people.street, company=company, year=2025, total=D("0"))
    assert exc.value.code == "total_invalid"
    with pytest.raises(DomainError) as exc:
        distribution.plan_create(
            actor=people.street, company=company, year=2023, total=D("1"), shares_on=datetime.date(2023, 1, 1)
        )
    assert exc.value.code == "no_shares"
    with pytest.raises(DomainError) as exc:
        distribution.plan_create(actor=people.village_a, company=company, year=2025, total=D("1"))
    assert exc.value.status == 404
    assert DistributionPlan.objects.count() == 0 and DistributionLine.objects.count() == 0
    plan = plan_in_state(company, State.SUBMITTED)
    with pytest.raises(DomainError) as exc:
        distribution.plan_recompute(actor=people.street, plan=plan, total=D("5"), shares_on=datetime.date(2025, 1, 1))
    assert exc.value.status == 409
    with pytest.raises(DomainError) as exc:
        distribution.plan_approve(actor=people.street, plan=plan, resolution="  ")
    assert exc.value.code == "resolution_required"
    with pytest.raises(DomainError) as exc:
        distribution.plan_create(actor=SYSTEM, company=company, year=2025, total=D("1"))
    assert exc.value.code == "plan_exists"


def test_plans_check_sums_finds_tampered_plans(tree):
    plan = plan_in_state(company_of(tree.subdistrict, [(tree.village_a, "100")]), State.DRAFT)
    assert plans_check_sums() == []
    DistributionLine.objects.filter(plan=plan).update(amount=D("1.00"))
    assert plans_check_sums() == [plan.pk]
