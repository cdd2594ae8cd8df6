"""The premises pages through Django's test client: search with two
characters, filters (九小场所 as one), the empty state, the masked phone,
registering with a standard address, correcting, closing and reopening,
another subtree (404), and the number of SQL statements of the list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grassroots.addresses.tests.support import room

from ..models import Premises, PremisesEvent, PremisesKind, RiskLevel
from ..states import State
from .support import PHONE, premises_at

pytestmark = pytest.mark.django_db
ROW = 'data-testid="premises-row"'


@pytest.fixture
def register(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return [
            premises_at(tree.grid_a1, name="东风物流仓库"),
            premises_at(tree.grid_a1, name="老王小吃店", kind=PremisesKind.SMALL_RESTAURANT, risk_level=RiskLevel.LOW),
            premises_at(tree.grid_a1, name="红星废弃砖厂", kind=PremisesKind.DISUSED_FACTORY),
            premises_at(tree.grid_b1, name="店子街旅馆", kind=PremisesKind.SMALL_HOTEL),
        ]


def test_list_search_filters_and_empty_state(client, people, register):
    client.force_login(people.street)
    page = client.get(reverse("safety:list")).content.decode()
    assert page.count(ROW) == 4
    assert PHONE not in page and "138****5678" in page
    assert client.get(reverse("safety:list"), {"q": "仓库"}).content.decode().count(ROW) == 1
    assert client.get(reverse("safety:list"), {"q": "刘经"}).content.decode().count(ROW) == 4
    assert client.get(reverse("safety:list"), {"kind": "nine_small"}).content.decode().count(ROW) == 2
    assert client.get(reverse("safety:list"), {"risk_level": "low"}).content.decode().count(ROW) == 1
    none = client.get(reverse("safety:list"), {"q": "不存在的"}).content.decode()
    assert 'data-testid="empty"' in none and "没有符合条件的场所" in none
    bad = client.get(reverse("safety:list"), {"kind": "bogus"})
    assert bad.status_code == 200 and "所选条件无效" in bad.content.decode()
    client.force_login(people.grid_b)
    assert client.get(reverse("safety:list")).content.decode().count(ROW) == 1


def test_empty_register_invites_the_first_premises(client, people):
    client.force_login(people.grid_a)
    page = client.get(reverse("safety:list")).content.decode()
    assert 'data-testid="empty"' in page and "登记第一处场所" in page


def test_list_queries_do_not_grow(client, people, tree, register, django_assert_max_num_queries):
    for n in range(30):
        premises_at(tree.grid_a1, name=f"仓库{n}")
    client.force_login(people.street)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("safety:list")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("safety:list"), {"q": "仓库", "risk_level": "high"}).status_code == 200


def test_detail_masks_the_phone_and_other_subtree_is_404(client, people, register):
    client.force_login(people.grid_a)
    page = client.get(reverse("safety:premises", args=[register[0].pk])).content.decode()
    assert "东风物流仓库" in page and "138****5678" in page and PHONE not in page
    assert 'data-testid="record"' in page and "登记场所" in page
    assert client.get(reverse("safety:premises", args=[register[3].pk])).status_code == 404


def test_register_with_a_standard_address(client, people, tree):
    address = room(tree.unit_a1, "101", road="幸福路")
    client.force_login(people.grid_a)
    form = client.get(reverse("safety:premises-new"))
    assert form.status_code == 200
    data = {
        "name": "幸福路便利店",
        "kind": PremisesKind.SMALL_SHOP,
        "risk_level": RiskLevel.GENERAL,
        "node": tree.grid_a1.pk,
        "address_text": "不存在的地址",
        "operator_name": "张老板",
        "operator_phone": "13900001111",
    }
    refused = client.post(reverse("safety:premises-new"), data)
    assert refused.status_code == 400 and "标准地址库中没有这个地址" in refused.content.decode()
    assert not Premises.objects.exists()
    response = client.post(reverse("safety:premises-new"), {**data, "address_text": address.full_text})
    premises = Premises.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("safety:premises", args=[premises.pk])
    assert premises.address == address and premises.operator_phone == "13900001111"
    detail = client.get(response["Location"]).content.decode()
    assert address.full_text in detail and "139****1111" in detail


def test_register_refuses_bad_phone_on_its_field(client, people, tree):
    client.force_login(people.grid_a)
    data = {
        "name": "小作坊",
        "kind": PremisesKind.SMALL_WORKSHOP,
        "risk_level": RiskLevel.GENERAL,
        "node": tree.grid_a1.pk,
        "operator_name": "李师傅",
        "operator_phone": "12345",
    }
    response = client.post(reverse("safety:premises-new"), data)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Premises.objects.exists()


def test_edit_keeps_the_phone_and_never_sends_it_back(client, people, tree, register):
    premises = register[0]
    client.force_login(people.village_a)
    form = client.get(reverse("safety:premises-edit", args=[premises.pk])).content.decode()
    assert PHONE not in form and "东风物流仓库" in form
    data = {
        "name": "东风物流仓库(二号库)",
        "kind": PremisesKind.WAREHOUSE,
        "risk_level": RiskLevel.MAJOR,
        "node": tree.grid_a1.pk,
        "operator_name": "刘经理",
        "operator_phone": "",
    }
    response = client.post(reverse("safety:premises-edit", args=[premises.pk]), data)
    assert response.status_code == 302
    premises.refresh_from_db()
    assert (premises.name, premises.risk_level, premises.operator_phone) == ("东风物流仓库(二号库)", "major", PHONE)
    detail = client.get(reverse("safety:premises", args=[premises.pk])).content.decode()
    assert "修改了:场所名称、风险等级" in detail


def test_close_and_reopen(client, people, register):
    premises = register[2]
    client.force_login(people.village_a)
    refused = client.post(reverse("safety:premises-close", args=[premises.pk]), {"reason": ""})
    assert refused.status_code == 400 and "请填写关停原因" in refused.content.decode()
    response = client.post(reverse("safety:premises-close", args=[premises.pk]), {"reason": "砖厂已拆除"})
    assert response.status_code == 302
    premises.refresh_from_db()
    assert premises.state == State.CLOSED
    detail = client.get(reverse("safety:premises", args=[premises.pk])).content.decode()
    assert "关停原因:砖厂已拆除" in detail and 'data-testid="reopen"' in detail and 'data-testid="edit"' not in detail
    again = client.post(reverse("safety:premises-close", args=[premises.pk]), {"reason": "再关一次"})
    assert again.status_code == 409
    assert PremisesEvent.objects.filter(premises=premises, action="close").count() == 1
    edit = client.post(
        reverse("safety:premises-edit", args=[premises.pk]),
        {
            "name": "新名",
            "kind": PremisesKind.DISUSED_FACTORY,
            "risk_level": RiskLevel.GENERAL,
            "node": premises.node_id,
            "operator_name": "刘经理",
        },
    )
    assert edit.status_code == 409
    assert client.post(reverse("safety:premises-reopen", args=[premises.pk])).status_code == 302
    premises.refresh_from_db()
    assert premises.state == State.OPERATING


def test_grid_worker_cannot_close(client, people, register):
    client.force_login(people.grid_a)
    assert client.post(reverse("safety:premises-close", args=[register[0].pk]), {"reason": "x"}).status_code == 403
    assert Premises.objects.get(pk=register[0].pk).state == State.OPERATING
