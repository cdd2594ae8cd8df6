"""/api/v1/addresses/ and /api/v1/address-campaigns/: per endpoint, success,
bad input (400 with a Chinese problem detail, nothing written), each role,
and another subtree (404)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry
from grassroots.testing.factories import UserFactory

from ..models import Address, AddressEvent, Campaign
from ..services import addresses as services
from ..states import State
from .support import data_of, jpeg, room

pytestmark = pytest.mark.django_db
BASE = "/api/v1/addresses"
CAMPAIGNS = "/api/v1/address-campaigns"
PARTS = {"kind": "room", "road": "建设路", "door_number": "18", "building": "1", "unit": "1", "room": "101"}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


@pytest.fixture
def a1(tree):
    return room(tree.unit_a1, "101")


@pytest.fixture
def b1(tree):
    return room(tree.unit_b1, "101", road="店子街")


def _writes():
    return Address.objects.values_list("state", "room", "full_text").order_by(
        "pk"
    ).first(), AddressEvent.objects.count()


def test_list_search_and_scope(people, a1, b1, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.address_edit(actor=people.street, address=a1, data=data_of(a1, road="幸福路"))
    rows = api(people.street).get(BASE, {"q": "幸福"}).json()["results"]
    assert [r["id"] for r in rows] == [a1.pk] and rows[0]["division_code"] == "370303003206"
    assert [r["id"] for r in api(people.village_b).get(BASE).json()["results"]] == [b1.pk]
    body = problem(api(people.street).get(BASE, {"state": "lost"}), 400)
    assert "不是有效的状态" in str(body)


def test_detail_and_events(people, a1, b1):
    assert api(people.grid_a).get(f"{BASE}/{a1.pk}").json()["full_text"].endswith("101室")
    assert [e["action"] for e in api(people.grid_a).get(f"{BASE}/{a1.pk}/events").json()] == ["create"]
    problem(api(people.grid_a).get(f"{BASE}/{b1.pk}"), 404)
    problem(api(people.grid_a).get(f"{BASE}/{b1.pk}/events"), 404)


def test_create(people, tree):
    node = tree.unit_a1.pk
    created = api(people.street).post(BASE, {**PARTS, "node": node}, format="json")
    assert created.status_code == 201 and created.json()["state"] == "pending"
    body = problem(api(people.street).post(BASE, {**PARTS, "node": node, "room": ""}, format="json"), 400)
    assert body["detail"] == "户/室地址须填写户室号。"
    problem(api(people.street).post(BASE, {**PARTS, "node": node, "door_number": ""}, format="json"), 400)
    problem(api(people.village_a).post(BASE, {**PARTS, "node": node, "room": "102"}, format="json"), 403)
    problem(api(people.village_b).post(BASE, {**PARTS, "node": node, "room": "102"}, format="json"), 403)
    assert Address.objects.count() == 1


def test_create_in_another_subtree_is_404(tree):
    street_b = UserFactory(username="street_b", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.village_b)
    problem(api(street_b).post(BASE, {**PARTS, "node": tree.unit_a1.pk}, format="json"), 404)
    assert not Address.objects.exists()


def test_collect_multipart_with_photo(people, a1):
    body = {**PARTS, "room": "102", "latitude": "36.812345", "longitude": "118.054321", "photo": jpeg()}
    response = api(people.grid_a).post(f"{BASE}/{a1.pk}/collect", body, format="multipart")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["state"] == "collected" and data["room"] == "102" and data["has_photo"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"latitude": "95", "longitude": "118"}, "latitude", "纬度应在 -90 到 90 之间。"),
        ({"latitude": "36"}, "latitude", "经纬度须同时填写或同时留空。"),
        ({"kind": "castle"}, "kind", None),
        ({"road": ""}, "road", None),
        ({"room": "5<1"}, "room", "户室号只能包含汉字、字母、数字和连字符。"),
    ],
)
def test_collect_bad_input_writes_nothing(people, a1, changes, field, message):
    before = _writes()
    body = problem(api(people.grid_a).post(f"{BASE}/{a1.pk}/collect", {**PARTS, **changes}, format="json"), 400)
    assert body.get("field") == field or field in body.get("errors", {})
    if message:
        assert body["detail"] == message
    assert _writes() == before


def test_collect_photo_that_is_not_an_image(people, a1):
    fake = SimpleUploadedFile("门牌.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    problem(api(people.grid_a).post(f"{BASE}/{a1.pk}/collect", {**PARTS, "photo": fake}, format="multipart"), 400)
    assert Address.objects.get(pk=a1.pk).state == State.PENDING


@pytest.mark.parametrize("role", ["village_a", "street"])
def test_collect_refused_for_other_roles(people, a1, role):
    problem(api(getattr(people, role)).post(f"{BASE}/{a1.pk}/collect", PARTS, format="json"), 403)


def test_collect_in_another_grid_is_404(people, b1):
    problem(api(people.grid_a).post(f"{BASE}/{b1.pk}/collect", PARTS, format="json"), 404)
    assert Address.objects.get(pk=b1.pk).state == State.PENDING


def test_verify_sign_off_and_doubt(people, a1):
    services.address_collect(actor=people.grid_a, address=a1, data=data_of(a1))
    problem(api(people.grid_a).post(f"{BASE}/{a1.pk}/verify"), 403)
    problem(api(people.village_b).post(f"{BASE}/{a1.pk}/verify"), 404)
    problem(api(people.street).post(f"{BASE}/{a1.pk}/sign-off"), 409)
    assert api(people.village_a).post(f"{BASE}/{a1.pk}/verify").json()["state"] == "village_verified"
    problem(api(people.village_a).post(f"{BASE}/{a1.pk}/sign-off"), 403)
    body = problem(api(people.street).post(f"{BASE}/{a1.pk}/doubt", {"reason": ""}, format="json"), 400)
    assert "退回原因" in str(body)
    doubted = api(people.street).post(f"{BASE}/{a1.pk}/doubt", {"reason": "楼栋号有误"}, format="json").json()
    assert doubted["state"] == "doubtful" and doubted["doubt_reason"] == "楼栋号有误"
    problem(api(people.grid_a).post(f"{BASE}/{a1.pk}/doubt", {"reason": "x"}, format="json"), 403)


def test_sign_off_success(people, a1):
    services.address_collect(actor=people.grid_a, address=a1, data=data_of(a1))
    services.address_verify(actor=people.village_a, address=a1)
    assert api(people.street).post(f"{BASE}/{a1.pk}/sign-off").json()["state"] == "verified"


def test_campaigns(people, tree, a1, b1):
    created = api(people.street).post(CAMPAIGNS, {"title": "标准地址核采", "node": tree.subdistrict.pk}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    problem(api(people.street).post(CAMPAIGNS, {"title": "", "node": tree.subdistrict.pk}, format="json"), 400)
    problem(api(people.street).post(CAMPAIGNS, {"title": "再开", "node": tree.village_a.pk}, format="json"), 409)
    problem(api(people.village_a).post(CAMPAIGNS, {"title": "村里开", "node": tree.village_a.pk}, format="json"), 403)
    assert Campaign.objects.count() == 1
    assert [c["id"] for c in api(people.grid_b).get(CAMPAIGNS).json()["results"]] == [pk]
    services.address_collect(actor=people.grid_a, address=a1, data=data_of(a1))
    progress = api(people.street).get(f"{CAMPAIGNS}/{pk}/progress").json()
    assert progress["total"]["total"] == 2 and progress["daily"][0]["collected"] == 1
    assert [v["tally"]["label"] for v in progress["villages"]] == ["西张村", "店子社区"]
    mine = api(people.grid_b).get(f"{CAMPAIGNS}/{pk}/progress").json()
    assert mine["total"]["total"] == 1
    problem(api(people.grid_a).post(f"{CAMPAIGNS}/{pk}/close"), 403)
    audits = AuditEntry.objects.count()
    assert api(people.street).post(f"{CAMPAIGNS}/{pk}/close").json()["is_open"] is False
    assert AuditEntry.objects.count() > audits
    problem(api(people.street).post(f"{CAMPAIGNS}/{pk}/close"), 409)


def test_campaign_of_another_village_is_404(people, tree):
    village_campaign = api(people.street).post(
        CAMPAIGNS, {"title": "西张村核采", "node": tree.village_a.pk}, format="json"
    )
    pk = village_campaign.json()["id"]
    problem(api(people.village_b).get(f"{CAMPAIGNS}/{pk}"), 404)
    problem(api(people.grid_b).get(f"{CAMPAIGNS}/{pk}/progress"), 404)
