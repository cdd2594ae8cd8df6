"""A staff intake page and the API build the same `MatterInput` (the one
mapping of `core.inputs.input_from`): a hotline call or walk-in, and a
message relayed from a WeChat group."""

from __future__ import annotations

import copy
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.matters.models import Channel, Matter, Urgency
from grassroots.matters.services import intake

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("served")]

ORIGINAL = "  @网格员 3号楼下水道又堵了!!\n味道很大,麻烦看看  "


def _both(tree, make_user, *, page_url: str, form: dict[str, Any], body: dict[str, Any]) -> list[Any]:
    """Post `form` to the page and `body` to the API as the same grid worker;
    the inputs `matter_create` received (copied before it normalises them)."""
    worker = make_user(Role.GRID_WORKER, tree.grid_a1)
    seen: list[Any] = []
    real = intake._validate

    def record(data: intake.MatterInput) -> intake.MatterInput:
        seen.append(copy.deepcopy(data))
        return real(data)

    page = Client()
    page.force_login(worker)
    api = APIClient()
    api.force_authenticate(worker)
    with mock.patch.object(intake, "_validate", side_effect=record):
        response = page.post(page_url, form)
        assert response.status_code == 302, response.content.decode()[-3000:]
        assert api.post("/api/v1/matters", body, format="json").status_code == 201
    assert Matter.objects.count() == 2
    return seen


def test_hotline_page_and_api_build_the_same_input(tree, make_user):
    common = {"title": "申请安装扶手", "description": "楼梯太陡,老人上下楼不方便,希望安装扶手。", "location": "5号楼"}
    form = {
        **common,
        "channel": Channel.WALK_IN,
        "caller_name": "赵大爷",
        "caller_phone": "13700001111",
        "anonymous": "on",
        "village": tree.village_a.pk,
        "grid": tree.grid_a1.pk,
        "urgency": Urgency.URGENT,
        "touches_collective": "on",
        "idempotency_key": "h" * 32,
    }
    body = {
        **common,
        "node": tree.grid_a1.pk,
        "channel": Channel.WALK_IN,
        "reporter_name": "赵大爷",
        "reporter_phone": "13700001111",
        "anonymous": True,
        "urgency": Urgency.URGENT,
        "touches_collective": True,
    }
    from_page, from_api = _both(tree, make_user, page_url=reverse("matters-intake:hotline"), form=form, body=body)
    assert from_page == from_api
    assert from_page.reporter_name == "赵大爷" and from_page.anonymous is True


def test_relay_page_and_api_build_the_same_input(tree, make_user):
    detail = {"group": "西张村邻里群", "sender": "幸福一家人", "original": ORIGINAL}
    form = {
        **detail,
        "title": "3号楼下水道堵塞",
        "description": "",  # the page fills it from the original
        "village": tree.village_a.pk,
        "grid": tree.grid_a1.pk,
        "location": "3号楼西侧",
        "reporter_phone": "13912345678",
        "urgency": Urgency.NORMAL,
        "public_consent": "on",
        "idempotency_key": "r" * 32,
    }
    body = {
        "node": tree.grid_a1.pk,
        "title": "3号楼下水道堵塞",
        "description": ORIGINAL.strip(),
        "channel": Channel.WECHAT,
        "channel_detail": detail,
        "location": "3号楼西侧",
        "reporter_phone": "13912345678",
        "public_consent": True,
    }
    from_page, from_api = _both(tree, make_user, page_url=reverse("matters-intake:relay"), form=form, body=body)
    assert from_page == from_api
    assert from_page.channel_detail == detail and from_page.public_consent is True
