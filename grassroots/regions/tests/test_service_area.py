"""Which places the installation serves (ADR 0021), on a small extract of
the real Zibo division file (tests/data/zibo_sample_2023.csv): four
townships from three districts, with village names that repeat across
townships (于家村 in 中埠镇 and 罗村镇, 郭家村 in 中埠镇 and 四宝山街道)."""

from __future__ import annotations

from pathlib import Path

import pytest

from grassroots.accounts.roles import Role
from grassroots.regions.importer import divisions_import
from grassroots.regions.models import Level, Node
from grassroots.regions.service_area import (
    labelled,
    place_route,
    public_cascade,
    public_children,
    public_townships,
    served_villages,
    service_area,
)
from grassroots.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "zibo_sample_2023.csv"


def import_sample() -> dict[str, Node]:
    report = divisions_import(source=SAMPLE)
    assert report.ok, report.errors
    return {n.code: n for n in Node.objects.all() if n.code}


@pytest.fixture
def zibo() -> dict[str, Node]:
    return import_sample()


def staff(node: Node, role: str = Role.VILLAGE_STAFF, **kwargs) -> object:
    return UserFactory(role=role, jurisdiction=node, **kwargs)


def test_the_import_puts_villages_under_their_township(zibo):
    townships = Node.objects.filter(level=Level.SUBDISTRICT)
    assert {t.name for t in townships} == {"湖田街道", "中埠镇", "四宝山街道", "罗村镇"}
    assert all(t.depth == 1 for t in townships)
    yujia = Node.objects.filter(short_name="于家村").order_by("code")
    assert [v.code for v in yujia] == ["370302114220", "370303105203"]
    parents = {v.path[: Node.steplen] for v in yujia}
    assert set(Node.objects.filter(path__in=parents).values_list("name", flat=True)) == {"罗村镇", "中埠镇"}


def test_nothing_is_served_without_handling_staff(zibo):
    staff(zibo["370303003206"], role=Role.GRID_WORKER)  # grid workers record, they do not handle
    staff(zibo["370303003000"], role=Role.MEDIATOR)
    staff(zibo["370303003000"], role=Role.SUBDISTRICT_STAFF, is_active=False)
    area = service_area()
    assert not area.paths
    assert public_townships(area=area) == []
    assert not place_route(node=zibo["370303003206"], area=area).served
    assert not served_villages(area=area).exists()


def test_village_staff_serve_their_village_and_subdistrict_staff_their_subtree(zibo):
    xizhang, dianzi = zibo["370303003206"], zibo["370303003015"]
    staff(xizhang)
    staff(zibo["370303105000"], role=Role.SUBDISTRICT_STAFF)  # 中埠镇
    area = service_area()
    assert area.serves(xizhang) and not area.serves(dianzi)
    assert not area.serves(zibo["370303003000"]) and area.reaches(zibo["370303003000"])  # 湖田 leads to 西张村
    assert area.serves(zibo["370303105203"]) and not area.reaches(zibo["370302114220"])  # 于家村 ×2
    assert [t.name for t in public_townships(area=area)] == ["湖田街道", "中埠镇"]  # code order
    assert [v.label for v in public_children(parent=zibo["370303003000"], area=area)] == ["西张村"]
    assert [v.code for v in served_villages(area=area)] == [
        "370303003206",
        "370303105001",
        "370303105201",
        "370303105203",
        "370303105211",
    ]

    direct = place_route(node=xizhang, area=area)
    assert direct.served and direct.handler == xizhang and not direct.routed
    routed = place_route(node=zibo["370303105203"], area=area)
    assert routed.served and routed.handler == zibo["370303105000"] and routed.routed
    refused = place_route(node=dianzi, area=area)
    assert not refused.served and refused.handler is None and not refused.routed


def test_the_nearest_staff_going_up_handles(zibo):
    tieshan = zibo["370303105001"]
    staff(zibo["370303105000"], role=Role.SUBDISTRICT_STAFF)
    staff(tieshan)
    assert place_route(node=tieshan).handler == tieshan
    assert place_route(node=zibo["370303105201"]).handler == zibo["370303105000"]


def test_labels_are_disambiguated_when_they_repeat(zibo):
    yujia = list(Node.objects.filter(short_name="于家村").order_by("code"))
    assert [label for _n, label in labelled(yujia)] == ["于家村(370302114220)", "于家村(370303105203)"]
    xizhang = zibo["370303003206"]
    assert labelled([xizhang]) == [(xizhang, "西张村")]


def test_cascade_follows_the_chosen_village_or_the_only_township(zibo):
    staff(zibo["370303003000"], role=Role.SUBDISTRICT_STAFF)
    area = service_area()
    only = public_cascade(area=area)
    assert only.township == zibo["370303003000"] and len(only.villages) == 5
    staff(zibo["370303105000"], role=Role.SUBDISTRICT_STAFF)
    area = service_area()
    none = public_cascade(area=area)
    assert none.township is None and none.villages == []
    by_village = public_cascade(area=area, village=zibo["370303105203"].pk)
    assert by_village.township == zibo["370303105000"]
    assert public_cascade(area=area, village="99999999999999999999").township is None
    assert public_cascade(area=area, township="abc").township is None
