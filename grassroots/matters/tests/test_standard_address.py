"""A matter's standard address (ADR 0037): the service's rules, the staff
intake forms' picker (htmx search over verified addresses of the user's
subtree), the API's `address` field, and the matter page showing it. An
address of another subtree is answered like one that does not exist: 400 on
the field, nothing written."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.addresses.models import Address
from grassroots.addresses.states import State as AddressState
from grassroots.addresses.tests.support import room
from grassroots.matters.errors import MatterError
from grassroots.matters.models import Channel, Matter
from grassroots.matters.services.intake import MatterInput, VisitMatter, matter_create, visit_log
from grassroots.regions.models import Household

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("served")]

KEY = "a" * 32


def verified(address: Address) -> Address:
    Address.objects.filter(pk=address.pk).update(state=AddressState.VERIFIED)
    address.refresh_from_db()
    return address


@pytest.fixture
def places(tree, django_capture_on_commit_callbacks):
    """Verified rooms in each village, and one still waiting for collection."""
    with django_capture_on_commit_callbacks(execute=True):
        rooms = {
            "a101": verified(room(tree.unit_a1, "101", road="幸福路")),
            "a102": verified(room(tree.unit_a1, "102", road="幸福路")),
            "a_pending": room(tree.unit_a1, "103", road="幸福路"),
            "b101": verified(room(tree.unit_b1, "101", road="幸福路")),
        }
    return rooms


@pytest.fixture
def users(tree, make_user):
    return {
        "village_a": make_user(Role.VILLAGE_STAFF, tree.village_a),
        "grid_a1": make_user(Role.GRID_WORKER, tree.grid_a1),
        "street": make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict),
        "mediator": make_user(Role.MEDIATOR, tree.subdistrict),
    }


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def matter_input(node, **extra) -> MatterInput:
    return MatterInput(
        node=node, title="楼道灯坏了", description="三楼楼道灯不亮一周了。", channel=Channel.HOTLINE, **extra
    )


# --- The service ------------------------------------------------------------------------


def test_create_keeps_a_verified_address_inside_the_place(tree, users, places):
    matter, _ = matter_create(data=matter_input(tree.village_a, address=places["a101"]), actor=users["village_a"])
    assert matter.address == places["a101"]


@pytest.mark.parametrize(
    ("key", "node", "code"),
    [
        ("a_pending", "unit_a1", "address_unverified"),
        ("a101", "grid_a2", "address_outside_place"),
        ("b101", "village_a", "address_not_found"),
    ],
)
def test_create_refuses_an_address_it_may_not_point_to(tree, users, places, key, node, code):
    with pytest.raises(MatterError) as caught:
        matter_create(data=matter_input(getattr(tree, node), address=places[key]), actor=users["village_a"])
    assert caught.value.code == code and caught.value.field == "address"
    assert not Matter.objects.exists()


def test_a_visit_records_the_households_verified_address(tree, users, places):
    household = Household.objects.filter(unit=tree.unit_a1).first() or Household.objects.create(
        unit=tree.unit_a1, room="101", address="幸福路101"
    )
    Household.objects.filter(pk=household.pk).update(standard_address=places["a101"])
    household.refresh_from_db()
    visit = visit_log(
        actor=users["grid_a1"],
        household=household,
        notes="",
        matters=[VisitMatter(title="屋顶漏水", description="下雨时屋顶漏水。")],
    )
    assert visit.matters.get().address == places["a101"]


# --- The picker (htmx) --------------------------------------------------------------------


def test_picker_offers_verified_addresses_of_the_users_subtree_only(users, places):
    url = reverse("matters-intake:addresses")
    html = login(users["village_a"]).get(url, {"address_q": "幸福"}).content.decode()
    assert f'value="{places["a101"].pk}"' in html and f'value="{places["a102"].pk}"' in html
    assert f'value="{places["a_pending"].pk}"' not in html  # not verified
    assert f'value="{places["b101"].pk}"' not in html  # another village
    street = login(users["street"]).get(url, {"address_q": "幸福"}).content.decode()
    assert f'value="{places["b101"].pk}"' in street


def test_picker_needs_two_characters_and_keeps_the_chosen_one(users, places):
    client = login(users["village_a"])
    url = reverse("matters-intake:addresses")
    assert 'data-testid="address-choice"' not in client.get(url, {"address_q": "幸"}).content.decode()
    html = client.get(url, {"address_q": "没有这条路", "address": places["a102"].pk}).content.decode()
    assert f'value="{places["a102"].pk}" checked' in html and 'data-testid="address-empty"' in html
    # An id of another subtree, or garbage, is simply not shown.
    for raw in (places["b101"].pk, "x", "9" * 30):
        html = client.get(url, {"address_q": "", "address": raw}).content.decode()
        assert 'data-testid="address-choice"' not in html


def test_picker_needs_the_capability(tree, users, places):
    assert login(users["mediator"]).get(reverse("matters-intake:addresses"), {"address_q": "幸福"}).status_code == 403
    assert Client().get(reverse("matters-intake:addresses")).status_code == 302


def test_picker_query_count_is_fixed(
    tree, users, places, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(301, 316):
            verified(room(tree.unit_a1, str(number), road="幸福路"))
    client = login(users["street"])
    # Session and user, the capability, the scope, the index's first matches, their addresses.
    with django_assert_max_num_queries(9):
        html = client.get(reverse("matters-intake:addresses"), {"address_q": "幸福"}).content.decode()
    assert html.count('data-testid="address-choice"') == 10


# --- The hotline form ------------------------------------------------------------------


def hotline_data(**overrides):
    data = {
        "channel": Channel.HOTLINE,
        "caller_name": "",
        "caller_phone": "",
        "title": "楼道灯坏了",
        "description": "三楼楼道灯不亮一周了。",
        "urgency": "normal",
        "location": "",
        "idempotency_key": KEY,
    }
    data.update(overrides)
    return data


def test_hotline_with_an_address_and_no_place_is_anchored_at_the_address(tree, users, places):
    client = login(users["street"])
    response = client.post(reverse("matters-intake:hotline"), hotline_data(address=places["a101"].pk))
    assert response.status_code == 302, response.content.decode()
    matter = Matter.objects.get()
    assert matter.address == places["a101"] and matter.node == tree.unit_a1
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="standard-address"' in page and places["a101"].full_text in page


def test_hotline_page_has_the_picker(users):
    html = login(users["village_a"]).get(reverse("matters-intake:hotline")).content.decode()
    assert 'data-testid="address-picker"' in html and reverse("matters-intake:addresses") in html


@pytest.mark.parametrize("key", ["b101", "a_pending"])
def test_hotline_with_an_address_it_may_not_pick_is_400_and_keeps_the_input(users, places, key):
    client = login(users["village_a"])
    data = hotline_data(address=places[key].pk, address_q="幸福", village="")
    response = client.post(reverse("matters-intake:hotline"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-address"' in html and "标准地址不存在,或不在您的辖区内" in html
    assert "楼道灯坏了" in html and 'value="幸福"' in html
    assert not Matter.objects.exists()


def test_hotline_address_outside_the_chosen_place_is_400(tree, users, places):
    client = login(users["street"])
    data = hotline_data(address=places["a101"].pk, village=tree.village_b.pk)
    response = client.post(reverse("matters-intake:hotline"), data)
    assert response.status_code == 400
    assert "所选标准地址不在发生地点内" in response.content.decode()
    assert not Matter.objects.exists()


def test_public_report_form_has_no_address_picker(tree):
    html = Client().get(reverse("matters-public:report")).content.decode()
    assert 'data-testid="address-picker"' not in html
    assert reverse("matters-intake:addresses") not in html


# --- The API ----------------------------------------------------------------------------


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def payload(tree, **extra):
    body = {"node": tree.unit_a1.pk, "title": "路灯坏了", "description": "村口路灯坏了三天。", "channel": "hotline"}
    body.update(extra)
    return body


def test_api_create_with_an_address(tree, users, places):
    response = api_as(users["village_a"]).post(
        "/api/v1/matters", payload(tree, address=places["a101"].pk), format="json"
    )
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert body["address"] == places["a101"].pk and body["address_text"] == places["a101"].full_text
    detail = api_as(users["village_a"]).get(f"/api/v1/matters/{body['id']}").json()
    assert detail["address_text"] == places["a101"].full_text


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("b101", "标准地址不存在,或不在您的辖区内。"),
        ("a_pending", "标准地址不存在,或不在您的辖区内。"),
        ("x", "标准地址应为编号(整数)。"),
        (10**30, None),
        (999999, "标准地址不存在,或不在您的辖区内。"),
    ],
)
def test_api_address_it_may_not_pick_is_400_nothing_written(tree, users, places, value, message):
    address = places[value].pk if isinstance(value, str) and value in places else value
    response = api_as(users["village_a"]).post("/api/v1/matters", payload(tree, address=address), format="json")
    assert response.status_code == 400, response.content.decode()
    assert response["Content-Type"].startswith("application/problem+json")
    errors = response.json()["errors"]["address"]
    if message:
        assert errors == [message]
    assert not Matter.objects.exists()


def test_api_address_outside_the_place_is_400(tree, users, places):
    body = payload(tree, node=tree.grid_a2.pk, address=places["a101"].pk)
    response = api_as(users["village_a"]).post("/api/v1/matters", body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "address"
    assert not Matter.objects.exists()


def test_api_roles(tree, users, places):
    body = payload(tree, address=places["a101"].pk)
    assert APIClient().post("/api/v1/matters", body, format="json").status_code in (401, 403)
    assert api_as(users["mediator"]).post("/api/v1/matters", body, format="json").status_code == 403
    assert not Matter.objects.exists()
