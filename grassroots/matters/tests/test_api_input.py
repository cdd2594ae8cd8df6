"""Input hygiene on the matters API (issue 11 items 14 and 15): phones in
other digit scripts, invisible titles, bidi controls, and an Idempotency-Key
reused with a different body."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.core.validators import PHONE_SCRIPT_MESSAGE
from grassroots.matters.models import Channel, Matter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("served")]
URL = "/api/v1/matters"


@pytest.fixture
def api(tree, make_user):
    client = APIClient()
    client.force_authenticate(make_user(Role.GRID_WORKER, tree.grid_a1))
    return client


@pytest.fixture
def body(tree):
    return {
        "node": tree.unit_a1.pk,
        "title": "楼道灯不亮",
        "description": "1号楼1单元楼道灯坏了一周。",
        "channel": Channel.HOTLINE,
        "reporter_phone": "13912345678",
    }


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def test_the_same_key_with_a_different_body_is_a_422(api, body):
    first = api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="retry-key-0001")
    assert first.status_code == 201
    changed = {**body, "title": "路灯不亮"}
    refused = problem(api.post(URL, changed, format="json", HTTP_IDEMPOTENCY_KEY="retry-key-0001"), 422)
    assert refused["code"] == "idempotency_key_mismatch" and "幂等键" in refused["detail"]
    assert Matter.objects.count() == 1 and Matter.objects.get().title == "楼道灯不亮"
    # The same body again (keys in another order) is the first answer.
    again = api.post(URL, dict(reversed(body.items())), format="json", HTTP_IDEMPOTENCY_KEY="retry-key-0001")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]


@pytest.mark.parametrize("phone", ["13٨١٢٣٤٥٦٧٨", "١٣٩١٢٣٤٥٦٧٨"])
def test_a_phone_in_another_digit_script_is_a_per_field_error(api, body, phone):
    refused = problem(api.post(URL, {**body, "reporter_phone": phone}, format="json"), 400)
    assert refused["errors"] == {"reporter_phone": [PHONE_SCRIPT_MESSAGE]}
    assert not Matter.objects.exists()


def test_a_full_width_phone_is_stored_in_ascii(api, body):
    response = api.post(URL, {**body, "reporter_phone": "１３９１２３４５６７８"}, format="json")
    assert response.status_code == 201, response.content
    assert Matter.objects.get().reporter_phone == "13912345678"


def test_a_title_of_zero_width_characters_is_empty(api, body):
    refused = problem(api.post(URL, {**body, "title": "\u200b\u200c\u200d\ufeff"}, format="json"), 400)
    assert list(refused["errors"]) == ["title"]
    assert not Matter.objects.exists()


def test_a_bidi_override_is_refused_on_its_field(api, body):
    refused = problem(api.post(URL, {**body, "description": "张三\u202e欠款不还已三个月"}, format="json"), 400)
    assert list(refused["errors"]) == ["description"]
    assert not Matter.objects.exists()


def test_the_public_report_page_refuses_a_bidi_override(client, tree):
    from grassroots.matters.forms.channels import ReportForm

    form = ReportForm(data={"title": "路灯\u202e坏了", "description": "村口路灯坏了三天。"})
    assert not form.is_valid()
    assert "方向" in form.errors["title"][0]
