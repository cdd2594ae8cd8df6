"""A park's tenant pipeline on the engine (states.TENANT_TABLE): every pair
through the service, the page's buttons and the API with roles and scope."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from grassroots.core.actors import SYSTEM
from grassroots.core.models import AuditEntry
from grassroots.testing.workflow import all_pairs, assert_table, check_pair, pair_ids

from ..models import Tenant, TenantEvent
from ..services import projects, tenants
from ..services.projects import ProjectInput
from ..states import TENANT_TABLE, TenantAction, TenantState

pytestmark = pytest.mark.django_db
EXPECTED = {
    (TenantAction.SIGN, TenantState.INTENT),
    (TenantAction.SETTLE, TenantState.SIGNED),
    (TenantAction.WITHDRAW, TenantState.INTENT),
    (TenantAction.WITHDRAW, TenantState.SIGNED),
}
PAIRS = all_pairs(TenantAction, TenantState)


def _park(node):
    return projects.project_save(
        actor=SYSTEM, node=node, data=ProjectInput(name="卫星产业园一期", level="district", stage="building")
    )


def _tenant(node, state: str = TenantState.INTENT) -> Tenant:
    tenant = tenants.tenant_create(actor=SYSTEM, project=_park(node), company="鲁中机电", area_m2=Decimal("2500"))
    path = {TenantState.SIGNED: ["sign"], TenantState.SETTLED: ["sign", "settle"], TenantState.WITHDRAWN: ["withdraw"]}
    for action in path.get(TenantState(state), []):
        tenant = tenants.tenant_act(actor=SYSTEM, tenant=tenant, action=action)
    tenant.refresh_from_db()
    assert tenant.state == state
    return tenant


def _snapshot(tenant: Tenant) -> tuple[Any, ...]:
    return (
        Tenant.objects.values_list("state").get(pk=tenant.pk),
        TenantEvent.objects.count(),
        AuditEntry.objects.count(),
    )


def test_table():
    assert_table(TENANT_TABLE, actions=TenantAction, states=TenantState, expected=EXPECTED)


@pytest.mark.parametrize(("action", "state"), PAIRS, ids=pair_ids(PAIRS))
def test_every_pair(tree, people, action, state):
    tenant = _tenant(tree.subdistrict, state)
    check_pair(
        TENANT_TABLE,
        action=action,
        state=state,
        obj=tenant,
        perform=lambda: tenants.tenant_act(actor=people.street, tenant=tenant, action=action),
        snapshot=lambda: _snapshot(tenant),
    )


def test_pages_and_api(client, tree, people):
    park = _park(tree.subdistrict)
    client.force_login(people.street)
    url = reverse("economy:tenant-new", args=[park.pk])
    refused = client.post(url, {"company": "", "area_m2": "10"})
    assert refused.status_code == 400 and "请填写企业名称" in refused.content.decode()
    client.post(url, {"company": "鲁中机电", "area_m2": "10000", "annual_rent": "600000"})
    tenant = Tenant.objects.get()
    assert client.post(reverse("economy:tenant-sign", args=[tenant.pk])).status_code == 302
    page = client.get(reverse("economy:project", args=[park.pk])).content.decode()
    assert "签约 10000.00 平方米" in page
    assert client.post(reverse("economy:tenant-sign", args=[tenant.pk])).status_code == 409
    api = APIClient()
    api.force_authenticate(people.street)
    assert api.post(f"/api/v1/economy/tenants/{tenant.pk}/settle").json()["state"] == "settled"
    bad = api.post("/api/v1/economy/tenants", {"project": park.pk, "company": "x", "area_m2": "-1"}, format="json")
    assert bad.status_code == 400
    wrong_role = APIClient()
    wrong_role.force_authenticate(people.village_a)
    assert wrong_role.post(f"/api/v1/economy/tenants/{tenant.pk}/withdraw").status_code == 403
    elsewhere = APIClient()
    elsewhere.force_authenticate(people.street_a)  # the park sits above village a's subtree
    assert elsewhere.post(f"/api/v1/economy/tenants/{tenant.pk}/withdraw").status_code == 404
    tenant.refresh_from_db()
    assert tenant.state == TenantState.SETTLED and Tenant.objects.count() == 1
