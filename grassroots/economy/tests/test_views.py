"""The economy pages through Django's test client: the overview's projected
against actual income, the income ledger and its entry form (bad input kept
with Chinese errors), a company with its shares and a change, a plan
computed and moved through its workflow, another subtree (404), and the
number of SQL statements of the list pages."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from grassroots.core.models import AuditEntry

from ..models import Company, DistributionPlan, IncomeEntry, Shareholding
from ..services import income
from ..states import State
from .support import company_at, company_of, joint_committee, plan_in_state, vote

pytestmark = pytest.mark.django_db


def _entries(tree, people, n=3):
    for month in range(1, n + 1):
        for village in (tree.village_a, tree.village_b):
            income.income_record(
                actor=people.street,
                village=village,
                month=datetime.date(2025, month, 1),
                source="market",
                amount=Decimal("1000.00"),
            )


def test_overview_and_income_list(client, tree, people, django_assert_max_num_queries):
    _entries(tree, people)
    income.target_set(actor=people.street, village=tree.village_a, year=2025, amount=Decimal("6000"))
    company_of(tree.subdistrict, [(tree.village_a, "50"), (tree.village_b, "50")])
    client.force_login(people.street)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("economy:overview"), {"year": 2025}).content.decode()
    assert page.count('data-testid="village-row"') == 2
    assert "3000.00" in page and "50.0%" in page and "山东宏湖控股有限公司" in page
    with django_assert_max_num_queries(12):
        listed = client.get(reverse("economy:income"), {"year": 2025}).content.decode()
    assert listed.count('data-testid="income-row"') == 6
    only_a = client.get(reverse("economy:income"), {"year": 2025, "village": tree.village_a.pk}).content.decode()
    assert only_a.count('data-testid="income-row"') == 3
    empty = client.get(reverse("economy:income"), {"year": 2020}).content.decode()
    assert 'data-testid="empty"' in empty
    # A bad year is shown with its error, the current year is used.
    assert "年度不能早于" in client.get(reverse("economy:overview"), {"year": 1900}).content.decode()


def test_village_staff_see_their_own_village(client, tree, people):
    _entries(tree, people, n=1)
    client.force_login(people.village_a)
    page = client.get(reverse("economy:income"), {"year": 2025}).content.decode()
    assert page.count('data-testid="income-row"') == 1 and "店子社区" not in page


def test_income_form_keeps_bad_input(client, tree, people):
    client.force_login(people.village_a)
    url = reverse("economy:income-new")
    assert client.get(url).status_code == 200
    bad = {"village": tree.village_a.pk, "month": "2025-13", "source": "market", "amount": "12.345"}
    response = client.post(url, bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "月份应为" in page and "两位小数" in page and 'value="12.345"' in page
    good = {**bad, "month": "2025-03", "amount": "85000.50"}
    assert client.post(url, good).status_code == 302
    again = client.post(url, good)
    assert again.status_code == 400 and "请勿重复" in again.content.decode()
    assert IncomeEntry.objects.count() == 1
    # Another village is not a choice for village a's staff.
    other = client.post(url, {**good, "village": tree.village_b.pk})
    assert other.status_code == 400 and "无效" in other.content.decode()


def test_company_pages_and_share_change(client, tree, people):
    client.force_login(people.street)
    url = reverse("economy:company-new")
    assert client.get(url).status_code == 200
    data = {
        "name": "山东宏湖控股有限公司",
        "valid_from": "2024-01-01",
        f"share_{tree.village_a.pk}": "60",
        f"contribution_{tree.village_a.pk}": "600000",
        f"share_{tree.village_b.pk}": "30",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400 and "合计应为 100%" in refused.content.decode()
    assert not Company.objects.exists()
    done = client.post(url, {**data, f"share_{tree.village_b.pk}": "40"})
    company = Company.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("economy:company", args=[company.pk])
    detail = client.get(done["Location"]).content.decode()
    assert detail.count('data-testid="share-row"') == 2 and "60%" in detail
    shares_url = reverse("economy:company-shares", args=[company.pk])
    assert 'value="60.0000"' in client.get(shares_url).content.decode()
    change = {
        "valid_from": "2025-01-01",
        f"share_{tree.village_a.pk}": "50",
        f"share_{tree.village_b.pk}": "50",
    }
    assert client.post(shares_url, change).status_code == 302
    assert Shareholding.objects.filter(company=company).count() == 4
    history = client.get(reverse("economy:company", args=[company.pk])).content.decode()
    assert history.count('data-testid="history-row"') == 4


def test_a_company_page_names_and_links_partys_joint_committee(client, tree, people):
    joint = joint_committee(tree)
    client.force_login(people.street)
    url = reverse("economy:company-new")
    form = client.get(url).content.decode()
    assert "所属联村党委" in form and "湖田联村党委" in form
    data = {"name": "联建公司", "valid_from": "2024-01-01", f"share_{tree.village_a.pk}": "100", "committee": "99999"}
    refused = client.post(url, data)
    assert refused.status_code == 400 and "请选择本辖区的联村党委" in refused.content.decode()
    assert not Company.objects.exists()
    done = client.post(url, {**data, "committee": str(joint.pk)})
    company = Company.objects.get()
    assert done.status_code == 302 and company.committee == joint
    detail = client.get(done["Location"]).content.decode()
    assert reverse("party:branch", args=[joint.pk]) in detail
    overview = client.get(reverse("economy:overview")).content.decode()
    assert 'data-testid="committee-link"' in overview and "西张村、店子社区" in overview


def test_plan_pages_through_the_workflow(client, tree, people):
    company = company_of(tree.subdistrict, [(tree.village_a, "66.6666"), (tree.village_b, "33.3334")])
    client.force_login(people.street)
    url = reverse("economy:plan-new", args=[company.pk])
    refused = client.post(url, {"year": "2025", "total": "0.001"})
    assert refused.status_code == 400 and "两位小数" in refused.content.decode()
    done = client.post(url, {"year": "2025", "total": "0.02"})
    plan = DistributionPlan.objects.get()
    assert done["Location"] == reverse("economy:plan", args=[plan.pk])
    page = client.get(done["Location"]).content.decode()
    assert 'data-testid="lines-total">0.02<' in page
    assert client.post(reverse("economy:plan-submit", args=[plan.pk])).status_code == 302
    empty = client.post(reverse("economy:plan-approve", args=[plan.pk]), {"text": ""})
    assert empty.status_code == 400 and "请填写内容" in empty.content.decode()
    undecided = client.post(reverse("economy:plan-read-resolution", args=[plan.pk]))
    assert undecided.status_code == 409 and "尚未" in undecided.content.decode()
    plan.refresh_from_db()
    vote(tree, people.village_a, plan, votes_for=3, against=0)
    assert client.post(reverse("economy:plan-read-resolution", args=[plan.pk])).status_code == 302
    conflict = client.post(reverse("economy:plan-distribute", args=[plan.pk]))
    assert conflict.status_code == 409
    assert client.post(reverse("economy:plan-publish", args=[plan.pk])).status_code == 302
    client.post(reverse("economy:plan-distribute", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.state == State.DISTRIBUTED and "赞成 3" in plan.resolution


def test_plan_recompute_page(client, tree, people):
    plan = plan_in_state(company_at(tree.village_a), State.DRAFT)
    client.force_login(people.street)
    url = reverse("economy:plan-recompute", args=[plan.pk])
    bad = client.post(url, {"total": "-1", "shares_on": "2025-12-31"})
    assert bad.status_code == 400 and "不能小于零" in bad.content.decode()
    assert client.post(url, {"total": "7.77", "shares_on": "2025-12-31"}).status_code == 302
    assert plan.lines.get().amount == Decimal("7.77")


def test_other_subtree_and_roles(client, tree, people):
    theirs = plan_in_state(company_at(tree.village_b), State.DRAFT)
    client.force_login(people.street_a)
    assert client.get(reverse("economy:plan", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("economy:plan-submit", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("economy:company", args=[theirs.company_id])).status_code == 404
    client.force_login(people.village_b)
    assert client.get(reverse("economy:plan", args=[theirs.pk])).status_code == 200
    assert client.post(reverse("economy:plan-submit", args=[theirs.pk])).status_code == 403
    client.force_login(people.grid_a)
    assert client.get(reverse("economy:overview")).status_code == 403
    theirs.refresh_from_db()
    assert theirs.state == State.DRAFT


def test_overview_chart_data_and_audited_export(client, tree, people):
    _entries(tree, people, n=2)
    client.force_login(people.street)
    page = client.get(reverse("economy:overview"), {"year": 2025}).content.decode()
    assert 'id="income-data"' in page and "economy/overview.js" in page
    assert f"/economy/income/?year=2025\\u0026village={tree.village_a.pk}" in page
    before = AuditEntry.objects.filter(action="data.export").count()
    response = client.get(reverse("economy:income-export"), {"year": 2025})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["村/社区", "预计收入(元)", "实际收入(元)"]
    assert values[1][0] == "西张村"
    assert sum(1 for row in values if row[0] == "2025-01") == 2
    assert AuditEntry.objects.filter(action="data.export").count() == before + 1
    client.force_login(people.grid_a)
    assert client.get(reverse("economy:income-export")).status_code == 403
