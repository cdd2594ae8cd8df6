"""After a city-wide division import, the public report page goes township →
village and offers only served places; a report to a place nobody handles
is refused with a clear message (page, API, Open311), one to a village
without its own staff is routed to the nearest staffed ancestor and says so
on the timeline (ADR 0021)."""

from __future__ import annotations

import io
import re

import pytest
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.accounts.tokens.services import api_token_issue_for_tests
from grassroots.core.models import Notification
from grassroots.matters.errors import MatterError
from grassroots.matters.models import Category, Channel, EventKind, Matter, MatterEvent
from grassroots.matters.services.intake import MatterInput, matter_create
from grassroots.regions.importer import divisions_import
from grassroots.regions.models import Level, Node
from grassroots.regions.tests.test_service_area import import_sample
from grassroots.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

HUTIAN, XIZHANG, DIANZI = "370303003000", "370303003206", "370303003015"
ZHONGBU, ZHONGBU_YUJIA = "370303105000", "370303105203"
LUOCUN, LUOCUN_YUJIA = "370302114000", "370302114220"


@pytest.fixture
def zibo() -> dict[str, Node]:
    return import_sample()


def staff(node: Node, role: str = Role.SUBDISTRICT_STAFF, **kwargs):
    return UserFactory(role=role, jurisdiction=node, **kwargs)


def options(html: str, select_id: str) -> list[str]:
    match = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert match, select_id
    return [text.strip() for value, text in re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', match[1])]


def report(client, village: Node, **extra):
    return client.post(
        "/report/",
        {
            "village": village.pk,
            "title": "村口路灯不亮",
            "description": "村口的路灯坏了一个星期,晚上出行不便。",
            "reporter_phone": "13912345678",
            **extra,
        },
    )


def test_one_served_township_is_chosen_for_the_resident(client, zibo):
    staff(zibo[HUTIAN])
    html = client.get("/report/").content.decode()
    assert options(html, "id_township") == ["湖田街道"]
    assert options(html, "id_village") == ["洪一社区", "洪二社区", "店子社区", "下湖村", "西张村"]
    assert "中埠镇" not in html and "于家村" not in html


def test_townships_first_then_their_served_villages(client, zibo, django_assert_max_num_queries):
    staff(zibo[HUTIAN])
    staff(zibo[ZHONGBU_YUJIA], role=Role.VILLAGE_STAFF)  # in 中埠镇 only 于家村 has staff
    with django_assert_max_num_queries(8):
        html = client.get("/report/").content.decode()
    assert options(html, "id_township") == ["湖田街道", "中埠镇"]
    assert options(html, "id_village") == []  # nothing before a township is chosen
    with django_assert_max_num_queries(8):
        picker = client.get("/report/places/", {"township": zibo[ZHONGBU].pk}, HTTP_HX_REQUEST="true")
    html = picker.content.decode()
    assert options(html, "id_village") == ["于家村"]  # not 罗村镇's 于家村, not 中埠镇's unserved villages


def test_report_to_an_unserved_place_is_refused_with_a_clear_message(client, zibo):
    staff(zibo[HUTIAN])
    response = report(client, zibo[LUOCUN_YUJIA], township=zibo[LUOCUN].pk)
    assert response.status_code == 400
    body = response.content.decode()
    assert "于家村”暂未开通线上受理" in body and "12345" in body
    assert "村口的路灯坏了一个星期" in body  # what was typed is kept
    assert not Matter.objects.exists()


def test_report_to_a_village_without_staff_is_routed_to_the_subdistrict(client, zibo):
    street = staff(zibo[HUTIAN])
    village_staff = staff(zibo[XIZHANG], role=Role.VILLAGE_STAFF)
    response = report(client, zibo[DIANZI])
    assert response.status_code == 302
    matter = Matter.objects.get()
    assert matter.node == zibo[DIANZI]  # anchored where it happened
    created = MatterEvent.objects.get(matter=matter, kind=EventKind.CREATED)
    assert "所在村(社区)暂无受理人员,由湖田街道受理" in created.text and created.public
    assert created.data == {"routed_to": zibo[HUTIAN].pk}
    told = Notification.objects.get(recipient=street)
    assert matter.number in told.body and told.link == f"/matters/{matter.pk}/"
    assert not Notification.objects.filter(recipient=village_staff).exists()
    # The resident sees who handles it on the tracking page.
    status = client.get(f"/report/track/{matter.tracking_code}/").content.decode()
    assert "由湖田街道受理" in status

    # A village with its own staff: handled there, nothing routed.
    report(client, zibo[XIZHANG], title="西张村路灯不亮")
    own = Matter.objects.get(title="西张村路灯不亮")
    assert "暂无受理人员" not in own.events.get(kind=EventKind.CREATED).text


def test_service_refuses_unserved_places_for_every_channel(zibo):
    worker = UserFactory(role=Role.GRID_WORKER, jurisdiction=zibo[LUOCUN_YUJIA])
    for channel, actor in ((Channel.WEB, None), (Channel.HOTLINE, worker), (Channel.OPEN311, worker)):
        with pytest.raises(MatterError) as info:
            matter_create(
                data=MatterInput(
                    node=zibo[LUOCUN_YUJIA],
                    title="路灯不亮",
                    description="村口的路灯坏了一个星期。",
                    channel=channel,
                    reporter_phone="13912345678",
                ),
                actor=actor,
            )
        assert info.value.code == "place_unserved" and info.value.field == "node"
    assert not Matter.objects.exists()


def test_api_and_open311_creates_follow_the_same_rule(zibo):
    worker = UserFactory(role=Role.GRID_WORKER, jurisdiction=zibo[LUOCUN_YUJIA])
    api = APIClient()
    api.force_authenticate(worker)
    body = {
        "node": zibo[LUOCUN_YUJIA].pk,
        "title": "路灯不亮",
        "description": "村口路灯坏了一周。",
        "channel": "hotline",
    }
    response = api.post("/api/v1/matters", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "place_unserved"
    assert "暂未开通线上受理" in response.json()["detail"]

    group = Category.objects.create(code="t-roads", name="道路设施")
    Category.objects.create(parent=group, code="t-lamp", name="路灯损坏", deadline_days=5)
    key = api_token_issue_for_tests(user=worker)
    response = APIClient().post(
        "/open311/v2/requests.json",
        {"api_key": key, "jurisdiction_id": LUOCUN, "service_code": "t-lamp", "description": "村口路灯坏了一周。"},
    )
    assert response.status_code == 400, response.content
    assert "暂未开通线上受理" in response.json()[0]["description"]
    assert not Matter.objects.exists()


def test_a_city_sized_import_keeps_the_page_small_and_the_queries_bounded(client, django_assert_max_num_queries):
    """88 townships of 34 villages (2,992, the size of Zibo), every village
    name repeated in every township: the page lists townships, never all villages."""
    lines = ["code,name,level,parent_code,street_name"]
    for t in range(1, 89):
        township = f"3703{t // 10:02d}{t % 10 + 100:03d}000"
        lines += [f"{township[:9]}{v:03d},第{v}村村委会,5,{township},第{t}镇" for v in range(201, 235)]
    report = divisions_import(source=io.BytesIO("\n".join(lines).encode()))
    assert report.ok and report.created == 88 + 88 * 34, report.errors[:3]
    for township in Node.objects.filter(level=Level.SUBDISTRICT):
        staff(township)
    with django_assert_max_num_queries(8):
        response = client.get("/report/")
    html = response.content.decode()
    assert len(options(html, "id_township")) == 88
    assert html.count("<option") < 120
    some = Node.objects.filter(level=Level.SUBDISTRICT).order_by("path")[40]
    with django_assert_max_num_queries(8):
        picker = client.get("/report/places/", {"township": some.pk}, HTTP_HX_REQUEST="true")
    assert len(options(picker.content.decode(), "id_village")) == 34
