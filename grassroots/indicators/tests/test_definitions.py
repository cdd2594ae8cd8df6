"""Indicator definitions added and edited by the economic-management
station: checked (nothing written on bad input), audited, the unit and kind
fixed once figures exist; the pages and who may use them. And the villages'
figures rolled up (汇总) beside the subdistrict's own."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from grassroots.core.errors import DomainError, PermissionDenied
from grassroots.core.models import AuditEntry

from .. import selectors
from ..models import Indicator, Kind, Scope, Unit
from ..services.definitions import DefinitionInput, indicator_create, indicator_update
from .support import FIRST, MONTH, indicator, ledger_at

pytestmark = pytest.mark.django_db


def data(**changes):
    base = {"name": "社会消费品零售总额", "unit": Unit.HUNDRED_MILLION, "scope": Scope.ALL, "kind": Kind.CUMULATIVE}
    return DefinitionInput(**{**base, **changes})


def test_create_and_update_are_audited(people):
    before = AuditEntry.objects.count()
    row = indicator_create(actor=people.station, data=data(department="统计办", order=20))
    assert (row.name, row.department, row.order, row.active) == ("社会消费品零售总额", "统计办", 20, True)
    indicator_update(actor=people.station, indicator=row, data=data(department="商务办", order=20, active=False))
    row.refresh_from_db()
    assert (row.department, row.active) == ("商务办", False)
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [e.action for e in entries] == ["data.create", "data.update"]
    assert entries[1].detail["changed"]["department"] == ["统计办", "商务办"]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"name": " "}, "name_required"),
        ({"name": "名" * 61}, "name_too_long"),
        ({"name": FIRST}, "name_taken"),
        ({"unit": "tons"}, "unit_invalid"),
        ({"scope": ""}, "scope_invalid"),
        ({"kind": "weekly"}, "kind_invalid"),
        ({"department": "部" * 61}, "department_too_long"),
        ({"order": 1000}, "order_out_of_range"),
    ],
)
def test_bad_input_writes_nothing(people, changes, code):
    indicator()
    count, audits = Indicator.objects.count(), AuditEntry.objects.count()
    with pytest.raises(DomainError) as excinfo:
        indicator_create(actor=people.station, data=data(**changes))
    assert excinfo.value.code == code
    assert (Indicator.objects.count(), AuditEntry.objects.count()) == (count, audits)


def test_unit_and_kind_are_fixed_once_figures_exist(tree, people):
    row = indicator()
    ledger_at(tree.subdistrict)
    with pytest.raises(DomainError) as excinfo:
        indicator_update(actor=people.station, indicator=row, data=data(name=row.name, unit=Unit.TEN_THOUSAND))
    assert excinfo.value.code == "definition_has_values"
    row.refresh_from_db()
    assert row.unit == Unit.HUNDRED_MILLION
    # Other fields still change.
    same = DefinitionInput(
        name=row.name, unit=row.unit, scope=row.scope, kind=row.kind, department="区统计局", order=row.order
    )
    assert indicator_update(actor=people.station, indicator=row, data=same).department == "区统计局"


def test_only_the_subdistrict_manages_definitions(people):
    with pytest.raises(PermissionDenied):
        indicator_create(actor=people.village_a, data=data())
    assert not Indicator.objects.filter(name="社会消费品零售总额").exists()


def test_pages(client, people):
    row = indicator()
    client.force_login(people.village_a)
    listing = client.get(reverse("indicators:definitions"))
    assert (
        listing.status_code == 200 and FIRST in listing.content.decode() and "新增指标" not in listing.content.decode()
    )
    assert client.get(reverse("indicators:definition-new")).status_code == 403
    client.force_login(people.station)
    bad = client.post(reverse("indicators:definition-new"), {"name": "", "unit": "", "scope": "", "kind": ""})
    assert bad.status_code == 400 and "请填写指标名称" in bad.content.decode()
    form = {"name": "限上零售额", "unit": Unit.HUNDRED_MILLION, "scope": Scope.ABOVE_QUOTA, "kind": Kind.CUMULATIVE}
    created = client.post(reverse("indicators:definition-new"), {**form, "order": "9", "active": "on"})
    assert created.status_code == 302 and Indicator.objects.filter(name="限上零售额", order=9).exists()
    edit = reverse("indicators:definition-edit", kwargs={"pk": row.pk})
    assert client.get(edit).status_code == 200
    same = {"name": row.name, "unit": row.unit, "scope": row.scope, "kind": row.kind, "order": "x"}
    assert "显示顺序应为整数" in client.post(edit, same).content.decode()


def test_village_figures_are_rolled_up_beside_the_subdistricts_own(client, tree, people):
    """ADR 0044 keeps the subdistrict's reported figure; the villages' sum is shown beside it, marked 汇总."""
    ledger_at(tree.subdistrict, amount="56")
    ledger_at(tree.village_a, amount="20.5")
    ledger_at(tree.village_b, amount="30")
    sums = selectors.village_rollup(node=tree.subdistrict, month=MONTH)
    first = indicator()
    assert sums[first.pk].cumulative == Decimal("50.5") and sums[first.pk].villages == 2
    assert selectors.village_rollup(node=tree.village_a, month=MONTH) == {}
    client.force_login(people.station)
    page = client.get(reverse("indicators:table") + f"?node={tree.subdistrict.pk}&month=2023-09").content.decode()
    assert "村(社区)汇总" in page and "50.5" in page and "2 个村(社区)" in page
    # The subdistrict's own figure is unchanged.
    assert selectors.indicator_table(node=tree.subdistrict, month=MONTH)[0].cumulative == Decimal("56")


def test_rollup_counts_only_villages_with_a_figure(tree, people):
    ledger_at(tree.village_a, amount="7")
    sums = selectors.village_rollup(node=tree.subdistrict, month=MONTH)
    assert sums[indicator().pk] == selectors.Rollup(cumulative=Decimal("7"), villages=1)
    assert selectors.village_rollup(node=tree.subdistrict, month=MONTH.replace(year=2021)) == {}
