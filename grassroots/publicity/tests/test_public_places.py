"""The public portal after a city-wide division import: villages are chosen
township first, only places the installation serves are offered, and an
objection can only be filed for a village somebody handles (ADR 0021)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from grassroots.accounts.roles import Role
from grassroots.publicity.models import Kind, Publication
from grassroots.publicity.services import objection_places
from grassroots.regions.tests.test_service_area import import_sample
from grassroots.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

HUTIAN, ZHONGBU, LUOCUN = "370303003000", "370303105000", "370302114000"


@pytest.fixture
def zibo():
    return import_sample()


def village_buttons(html: str) -> list[str]:
    block = re.search(r'data-testid="villages">(.*?)</section>', html, re.S)
    return re.findall(r"</i> ([^<]+)</a>", block[1]) if block else []


def test_one_served_township_shows_its_villages(client, zibo):
    UserFactory(role=Role.SUBDISTRICT_STAFF, jurisdiction=zibo[HUTIAN])
    html = client.get("/notices/").content.decode()
    assert 'data-testid="township-form"' not in html
    assert village_buttons(html) == ["洪一社区", "洪二社区", "店子社区", "下湖村", "西张村"]


def test_several_townships_are_chosen_first(client, zibo, django_assert_max_num_queries):
    UserFactory(role=Role.SUBDISTRICT_STAFF, jurisdiction=zibo[HUTIAN])
    UserFactory(role=Role.SUBDISTRICT_STAFF, jurisdiction=zibo[ZHONGBU])
    with django_assert_max_num_queries(10):
        html = client.get("/notices/").content.decode()
    assert 'data-testid="township-form"' in html and 'data-testid="choose-township-hint"' in html
    assert re.findall(
        r'<option value="\d+">([^<]+)</option>', html.split('id="id_township"')[1].split("</select>")[0]
    ) == [
        "湖田街道",
        "中埠镇",
    ]
    assert village_buttons(html) == []
    assert 'name="village"' not in html  # no flat village filter either
    with django_assert_max_num_queries(10):
        html = client.get("/notices/", {"township": zibo[ZHONGBU].pk}).content.decode()
    assert village_buttons(html) == ["铁山社区", "铁冶村", "于家村", "郭家村"]
    assert f'name="township" value="{zibo[ZHONGBU].pk}"' in html  # the filters keep the township
    # An unserved or unknown township is not chosen.
    for value in (zibo[LUOCUN].pk, "x", "99999999999999999999"):
        assert village_buttons(client.get("/notices/", {"township": value}).content.decode()) == []


def test_objections_go_only_to_served_villages(zibo):
    street: Any = UserFactory(role=Role.SUBDISTRICT_STAFF, jurisdiction=zibo[HUTIAN])
    publication = Publication.objects.create(
        kind=Kind.RANKING, node=zibo[HUTIAN], title="2026年评事考评排行", content="表扬名单:西张村。", created_by=street
    )
    assert len(objection_places(publication)) == 5
    street.is_active = False
    street.save()
    UserFactory(role=Role.VILLAGE_STAFF, jurisdiction=zibo["370303003206"])
    assert [v.label for v in objection_places(publication)] == ["西张村"]
