"""Indicator definitions added and edited by the economic-management
station: checked (nothing written on bad input), audited, the unit and kind
fixed once figures exist; the pages and who may use them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grassroots.core.errors import DomainError, PermissionDenied
from grassroots.core.models import AuditEntry

from ..models import Indicator, Kind, Scope, Unit
from ..services.definitions import DefinitionInput, indicator_create, indicator_update
from .support import FIRST, indicator, ledger_at

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
    assert listing.status_code == 200 and FIRST in listing.content.decode() and "新增指标" not in listing.content.decode()
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
