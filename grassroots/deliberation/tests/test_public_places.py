"""The public topic-proposal form after a city-wide division import: the
village is chosen township first among the places the installation serves
(ADR 0021); a forged unserved village is refused and nothing is stored."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from grassroots.accounts.roles import Role
from grassroots.deliberation.models import TopicProposal
from grassroots.deliberation.tests.setup import publish_rules
from grassroots.regions.tests.test_service_area import import_sample
from grassroots.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

HUTIAN, XIZHANG, ZHONGBU, LUOCUN_YUJIA = "370303003000", "370303003206", "370303105000", "370302114220"


def options(html: str, select_id: str) -> list[str]:
    match = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert match, select_id
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', match[1])


@pytest.fixture
def zibo():
    return import_sample()


def test_township_then_village(zibo, django_assert_max_num_queries):
    UserFactory(role=Role.SUBDISTRICT_STAFF, jurisdiction=zibo[HUTIAN])
    UserFactory(role=Role.SUBDISTRICT_STAFF, jurisdiction=zibo[ZHONGBU])
    client = Client()
    with django_assert_max_num_queries(8):
        html = client.get("/deliberation/public/propose/").content.decode()
    assert options(html, "id_township") == ["湖田街道", "中埠镇"] and options(html, "id_village") == []
    assert 'hx-get="/regions/places/villages/"' in html
    with django_assert_max_num_queries(6):
        html = client.get("/regions/places/villages/", {"township": zibo[ZHONGBU].pk}).content.decode()
    assert options(html, "id_village") == ["铁山社区", "铁冶村", "于家村", "郭家村"]
    assert options(client.get("/regions/places/villages/", {"township": "x"}).content.decode(), "id_village") == []


def test_one_township_lists_its_villages_and_an_unserved_village_is_refused(zibo):
    street = UserFactory(role=Role.SUBDISTRICT_STAFF, jurisdiction=zibo[HUTIAN])
    publish_rules(street, zibo[XIZHANG])
    client = Client()
    html = client.get("/deliberation/public/propose/").content.decode()
    assert 'id="id_township"' not in html
    assert options(html, "id_village") == ["洪一社区", "洪二社区", "店子社区", "下湖村", "西张村"]
    body = {"title": "路灯", "description": "村东路灯不亮", "proposer_name": "王五"}
    refused = client.post("/deliberation/public/propose/", {**body, "village": zibo[LUOCUN_YUJIA].pk})
    assert refused.status_code == 200 and "村东路灯不亮" in refused.content.decode()
    assert "invalid-feedback" in refused.content.decode()
    assert not TopicProposal.objects.exists()
    accepted = client.post("/deliberation/public/propose/", {**body, "village": zibo[XIZHANG].pk})
    assert accepted.status_code == 302
    assert TopicProposal.objects.get().village == zibo[XIZHANG]
