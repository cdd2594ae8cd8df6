"""Open311 GeoReport v2: JSON answers validate against the official schemas
(tests/data/open311, from open311/schema-validation), XML answers use the
spec's element names, errors use the Open311 format, creating needs a staff
API token as api_key, and the PyPI client `georeport` reads a live server."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.test import override_settings
from django.utils import timezone
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from grassroots.accounts.roles import Role
from grassroots.accounts.tokens.services import api_token_issue_for_tests
from grassroots.core.models import AuditEntry
from grassroots.core.scrubbing import scrub_personal_numbers
from grassroots.matters.models import (
    Category,
    Channel,
    EventKind,
    Matter,
    ResponsibleUnit,
    UnitKind,
)
from grassroots.matters.services.events import event_append
from grassroots.matters.services.intake import MatterInput, VisitMatter, matter_create, visit_log
from grassroots.matters.states import State
from grassroots.regions.models import Level, Node
from grassroots.testing.factories import UserFactory, build_small_tree

BASE = "/open311/v2"
JURISDICTION = "370303003000"
SCHEMAS = Path(__file__).parent / "data" / "open311"
SCHEMA_FILES = ("request.json", "requests.json", "service.json", "services.json", "service-definition.json")
REGISTRY: Registry[Any] = Registry().with_resources(
    (name, Resource.from_contents(json.loads((SCHEMAS / name).read_text()), default_specification=DRAFT7))
    for name in SCHEMA_FILES
)
DATETIME_FIELDS = ("requested_datetime", "updated_datetime", "expected_datetime")


def validate(instance: Any, schema_name: str) -> None:
    """Validate against an official schema; date-times are checked here
    because jsonschema's format checker needs an optional package for them."""
    schema = json.loads((SCHEMAS / schema_name).read_text())
    Draft7Validator(schema, registry=REGISTRY).validate(instance)
    for record in instance if isinstance(instance, list) else [instance]:
        for name in DATETIME_FIELDS:
            if record.get(name) is not None:
                moment = datetime.datetime.fromisoformat(record[name])
                assert moment.tzinfo is not None, f"{name} needs an offset: {record[name]}"


def xml_of(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ET.fromstring(response.content)  # noqa: S314 - our own answer


def assert_error(response, status: int, text: str = "") -> None:
    assert response.status_code == status
    body = response.json()
    assert isinstance(body, list) and len(body) == 1
    assert body[0]["code"] == status
    assert text in body[0]["description"]


@pytest.fixture
def cats(db):
    env = Category.objects.create(code="t-env", name="环境卫生", sort_order=901)
    clutter = Category.objects.create(
        parent=env, code="t-clutter", name="楼道堆物、占道", description="楼道、消防通道堆放杂物", deadline_days=3
    )
    Category.objects.create(parent=env, code="t-retired", name="停用的小类", active=False)
    roads = Category.objects.create(code="t-roads", name="道路设施", sort_order=902)
    lamp = Category.objects.create(parent=roads, code="t-lamp", name="路灯损坏", deadline_days=5)
    closed_group = Category.objects.create(code="t-closed", name="停用的大类", active=False, sort_order=903)
    Category.objects.create(parent=closed_group, code="t-orphan", name="停用大类下的小类")
    return {"env": env, "clutter": clutter, "roads": roads, "lamp": lamp}


def make_matter(node: Node, *, category: Category | None = None, **fields: Any) -> Matter:
    data = {
        "title": "楼道堆放杂物",
        "description": "3号楼楼道堆放大量杂物,存在消防隐患,联系电话13912345678。",
        "channel": Channel.HOTLINE,
        "reporter_name": "王五",
        "reporter_phone": "13987654321",
        "public_consent": True,  # the reporter agreed (ADR 0018); tests of the rule set it False
        **fields,
    }
    matter, created = matter_create(data=MatterInput(node=node, category=category, **data))
    assert created
    return matter


def set_fields(matter: Matter, **fields: Any) -> Matter:
    Matter.objects.filter(pk=matter.pk).update(**fields)
    matter.refresh_from_db()
    return matter


def api_key_for(make_user, role: str, node: Node | None) -> str:
    return api_token_issue_for_tests(user=make_user(role, node))


# --- Services -----------------------------------------------------------------------


def test_services_json_lists_active_second_level_categories(client, tree, served, cats):
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    services = response.json()
    validate(services, "services.json")
    by_code = {s["service_code"]: s for s in services}
    assert {"t-clutter", "t-lamp"} <= set(by_code)
    assert not {"t-env", "t-roads", "t-retired", "t-orphan", "t-closed"} & set(by_code)
    clutter = by_code["t-clutter"]
    assert clutter["service_name"] == "楼道堆物、占道"
    assert clutter["group"] == "环境卫生"
    assert clutter["type"] == "realtime"
    assert clutter["metadata"] is True
    assert clutter["keywords"] == "楼道堆物,占道,环境卫生"
    assert clutter["description"] == "楼道、消防通道堆放杂物"


def test_services_xml_uses_spec_element_names(client, tree, served, cats):
    root = xml_of(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    services = {s.findtext("service_code"): s for s in root.findall("service")}
    assert "t-lamp" in services
    lamp = services["t-lamp"]
    assert lamp.findtext("service_name") == "路灯损坏"
    assert lamp.findtext("metadata") == "true"
    assert lamp.findtext("group") == "道路设施"
    assert lamp.find("description") is not None and lamp.findtext("description") == ""


def test_service_definition_lists_villages_as_node_values(client, tree, served, cats):
    response = client.get(f"{BASE}/services/t-clutter.json", {"jurisdiction_id": JURISDICTION})
    assert response.status_code == 200
    definition = response.json()
    validate(definition, "service-definition.json")
    assert definition["service_code"] == "t-clutter"
    attribute, public = definition["attributes"]
    assert public["code"] == "public" and public["required"] is False
    assert [v["key"] for v in public["values"]] == ["true", "false"]
    assert "不显示反映人" in public["description"]
    assert attribute["code"] == "node"
    assert attribute["datatype"] == "singlevaluelist"
    assert attribute["required"] is False
    assert attribute["values"] == [
        {"key": "370303003015", "name": "店子社区"},
        {"key": "370303003206", "name": "西张村"},
    ]
    root = xml_of(client.get(f"{BASE}/services/t-clutter.xml"))
    assert root.tag == "service_definition"
    values = root.findall("attributes/attribute/values/value")
    assert [v.findtext("key") for v in values] == ["370303003015", "370303003206", "true", "false"]


@pytest.mark.parametrize("code", ["t-env", "t-retired", "nothing"])
def test_service_definition_of_unknown_or_inactive_code_is_404(client, tree, served, cats, code):
    assert_error(client.get(f"{BASE}/services/{code}.json"), 404, "service_code")


# --- Jurisdiction, formats, methods ------------------------------------------------------


@pytest.mark.parametrize("path", ["services.json", "requests.json", "services/t-lamp.json"])
def test_unknown_jurisdiction_is_404_in_open311_format(client, tree, served, cats, path):
    assert_error(client.get(f"{BASE}/{path}", {"jurisdiction_id": "110105001000"}), 404, "jurisdiction_id")
    assert client.get(f"{BASE}/{path}", {"jurisdiction_id": JURISDICTION}).status_code == 200


def test_xml_errors_use_errors_element(client, tree, served):
    response = client.get(f"{BASE}/services.xml", {"jurisdiction_id": "999"})
    assert response.status_code == 404
    root = xml_of(response)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404"
    assert "jurisdiction_id" in (root.findtext("error/description") or "")


def test_unknown_format_is_400(client, tree, served):
    assert_error(client.get(f"{BASE}/services.csv"), 400, "不支持的格式")


def test_wrong_method_is_405(client, tree, served, cats):
    response = client.put(f"{BASE}/services.json")
    assert_error(response, 405)
    assert response["Allow"] == "GET, HEAD"
    assert client.delete(f"{BASE}/requests.json").status_code == 405


def test_two_subdistricts_need_jurisdiction_id_and_are_kept_apart(client, tree, served, cats):
    other = Node.objects.add_root(instance=Node(name="马尚街道", level=Level.SUBDISTRICT, code="370303004000"))
    other_village = Node.objects.add_child(
        Node.objects.get(pk=other.pk), instance=Node(name="马尚村委会", short_name="马尚村", level=Level.VILLAGE)
    )
    UserFactory(role=Role.SUBDISTRICT_STAFF, jurisdiction=other)  # 马尚 has staff too (ADR 0021)
    ours = make_matter(tree.village_a, category=cats["lamp"])
    theirs = make_matter(other_village, category=cats["lamp"])
    assert_error(client.get(f"{BASE}/requests.json"), 400, "jurisdiction_id")
    listed = client.get(f"{BASE}/requests.json", {"jurisdiction_id": JURISDICTION}).json()
    assert [r["service_request_id"] for r in listed] == [ours.number]
    assert_error(client.get(f"{BASE}/requests/{theirs.number}.json", {"jurisdiction_id": JURISDICTION}), 404)
    assert client.get(f"{BASE}/requests/{theirs.number}.json", {"jurisdiction_id": "370303004000"}).status_code == 200


# --- Reading requests ------------------------------------------------------------------


def test_requests_json_validates_and_shows_no_personal_data(client, tree, served, cats):
    unit = ResponsibleUnit.objects.create(name="西张村村委会", kind=UnitKind.VILLAGE, node=tree.village_a)
    matter = make_matter(tree.unit_a1, category=cats["clutter"], location="3号楼东侧", latitude="36.801234")
    set_fields(
        matter,
        state=State.HANDLING,
        responsible_unit=unit,
        due_date=datetime.date(2026, 3, 6),
        deadline_days=3,
        longitude="118.05",
    )
    event_append(matter=matter, kind=EventKind.NOTE, text="内部备注:物业经理不配合", public=False)
    event_append(matter=matter, kind=EventKind.REPLY, text="已联系物业,本周内清理。", public=True)
    response = client.get(f"{BASE}/requests.json")
    assert response.status_code == 200
    records = response.json()
    validate(records, "requests.json")
    (record,) = records
    assert record["service_request_id"] == matter.number
    assert record["status"] == "open"
    # The state's name: staff replies are written to the reporter and may name them.
    assert record["status_notes"] == "办理中"
    assert record["service_code"] == "t-clutter"
    assert record["service_name"] == "楼道堆物、占道"
    assert record["agency_responsible"] == "西张村村委会"
    assert record["expected_datetime"] == "2026-03-06T23:59:59+08:00"
    assert record["service_notice"] == "办理期限 2026-03-06(时限 3 个工作日)。"
    # A coarse place: down to the grid, never the building, unit, free-text location or coordinates.
    assert record["address"] == "湖田街道 西张村 第1网格"
    assert record["lat"] is None and record["long"] is None
    assert record["description"].startswith("楼道堆放杂物\n3号楼楼道")
    assert "联系电话[号码已隐去]。" in record["description"]
    body = response.content.decode()
    secrets = ("13912345678", "13987654321", "王五", matter.tracking_code, "内部备注", "物业经理不配合")
    for secret in (*secrets, "已联系物业", "1号楼", "1单元", "3号楼东侧", "36.80", "118.05"):
        assert secret not in body


@pytest.mark.parametrize(
    ("state", "status"),
    [
        (State.REPORTED, "open"),
        (State.ACCEPTED, "open"),
        (State.HANDLING, "open"),
        (State.DELIBERATING, "open"),
        (State.RESOLVED, "closed"),
        (State.CLOSED, "closed"),
        (State.REJECTED, "closed"),
        (State.MERGED, "closed"),
    ],
)
def test_status_maps_to_open_or_closed(client, tree, served, cats, state, status):
    survivor = make_matter(tree.village_a, category=cats["lamp"])
    matter = make_matter(tree.village_a, category=cats["lamp"])
    extra: dict[str, Any] = {}
    if state == State.MERGED:
        extra["merged_into"] = survivor
    if state == State.REJECTED:
        extra["rejection_reason"] = "重复反映"
    set_fields(matter, state=state, **extra)
    response = client.get(f"{BASE}/requests/{matter.number}.json")
    records = response.json()
    validate(records, "requests.json")
    assert records[0]["status"] == status
    if state == State.REJECTED:
        assert records[0]["description"] is None  # not accepted: text not published
    if state == State.MERGED:
        assert records[0]["service_notice"] == f"已与事项 {survivor.number} 合并办理。"
    assert [r["status"] for r in client.get(f"{BASE}/requests.json", {"status": status}).json()].count(status) >= 1


def test_request_detail_json_and_xml(client, tree, served, cats):
    matter = make_matter(tree.village_b, category=cats["lamp"])
    records = client.get(f"{BASE}/requests/{matter.number}.json").json()
    validate(records, "requests.json")
    validate(records[0], "request.json")
    assert records[0]["service_code"] == "t-lamp"
    assert records[0]["service_name"] == "路灯损坏"
    assert records[0]["service_notice"] == "受理后 5 个工作日内办理。"
    assert records[0]["status_notes"] == "待受理"
    root = xml_of(client.get(f"{BASE}/requests/{matter.number}.xml"))
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    assert request.findtext("service_request_id") == matter.number
    assert request.findtext("status") == "open"
    assert request.findtext("address") == "湖田街道 店子社区"


def test_unknown_request_is_404(client, tree, served):
    assert_error(client.get(f"{BASE}/requests/SX20990101-0001.json"), 404, "service_request_id")


def test_a_visit_is_not_published(client, tree, served, cats, make_user):
    """Matters recorded in a household visit carry no consent: never listed."""
    worker = make_user(Role.GRID_WORKER, tree.grid_a1)
    household = tree.resident_a1.household
    visit = visit_log(
        actor=worker, household=household, notes="", matters=[VisitMatter("路灯不亮", "楼下路灯坏了一周。")]
    )
    set_fields(visit.matters.get(), category=cats["lamp"])
    assert client.get(f"{BASE}/requests.json").json() == []


def test_only_consented_matters_in_public_categories_are_listed(client, tree, served, cats):
    """ADR 0018: the reporter's consent, a category, and not a sensitive one
    (nor under one); anonymous reports likewise."""
    family = Category.objects.create(code="t-disputes", name="邻里纠纷", sensitive=True, sort_order=904)
    family_child = Category.objects.create(parent=family, code="t-family", name="婚姻家庭纠纷")
    disability = Category.objects.create(parent=cats["env"], code="t-disability", name="残疾人帮扶", sensitive=True)
    listed = make_matter(tree.village_a, category=cats["lamp"], title="村口路灯不亮")
    anonymous = make_matter(tree.unit_a1, category=cats["lamp"], title="匿名反映路灯", anonymous=True)
    hidden = [
        make_matter(tree.village_a, category=cats["lamp"], title="没有同意公开", public_consent=False),
        make_matter(tree.village_a, category=None, title="尚未分类"),
        make_matter(tree.village_a, category=family_child, title="儿子不付赡养费"),
        make_matter(tree.village_a, category=family, title="一级分类敏感"),
        make_matter(tree.village_a, category=disability, title="残疾补贴没发"),
    ]
    response = client.get(f"{BASE}/requests.json")
    assert {r["service_request_id"] for r in response.json()} == {listed.number, anonymous.number}
    body = response.content.decode()
    for matter in hidden:
        assert matter.title not in body
        assert_error(client.get(f"{BASE}/requests/{matter.number}.json"), 404)
        ids = client.get(f"{BASE}/requests.json", {"service_request_id": matter.number}).json()
        assert ids == []
    assert "王五" not in body and "匿名" not in body.replace("匿名反映路灯", "")


def test_listed_text_is_scrubbed_in_every_form(client, tree, served, cats):
    phones = ["138-1234-5678", "138 1234 5678", "１３８１２３４５６７８", "١٣٨١٢٣٤٥٦٧٨", "一三八一二三四五六七八"]
    matter = make_matter(
        tree.village_a,
        category=cats["lamp"],
        title="电话 13812345678 路灯",
        description="请回电 " + ",".join(phones) + ";身份证 11010519491231002X;座机 0533-2181234。",
    )
    (record,) = client.get(f"{BASE}/requests/{matter.number}.json").json()
    assert record["description"] == (
        "电话 [号码已隐去] 路灯\n请回电 " + ",".join(["[号码已隐去]"] * 5) + ";身份证 [号码已隐去];座机 [号码已隐去]。"
    )


def test_request_filters(client, tree, served, cats):
    lamp = make_matter(tree.village_a, category=cats["lamp"])
    clutter = make_matter(tree.village_a, category=cats["clutter"])
    closed = set_fields(make_matter(tree.village_b, category=cats["lamp"]), state=State.CLOSED)
    old = make_matter(tree.village_b, category=cats["lamp"])
    set_fields(old, created_at=timezone.now() - datetime.timedelta(days=100))

    def ids(**params: str) -> set[str]:
        response = client.get(f"{BASE}/requests.json", params)
        assert response.status_code == 200, response.content
        return {r["service_request_id"] for r in response.json()}

    assert ids() == {lamp.number, clutter.number, closed.number}  # default: last 90 days
    assert ids(service_code="t-lamp") == {lamp.number, closed.number}
    assert ids(service_code="t-lamp,t-clutter", status="open") == {lamp.number, clutter.number}
    assert ids(status="closed") == {closed.number}
    assert ids(status="open,closed") == {lamp.number, clutter.number, closed.number}
    # A list of ids overrides every other argument, even the default period.
    assert ids(service_request_id=f"{old.number},{lamp.number}", status="closed") == {old.number, lamp.number}
    start = (timezone.now() - datetime.timedelta(days=120)).isoformat()
    end = (timezone.now() - datetime.timedelta(days=95)).isoformat()
    assert ids(start_date=start, end_date=end) == {old.number}
    assert ids(end_date=end) == {old.number}
    assert ids(start_date=start) == {old.number}
    assert ids(start_date=timezone.localdate().isoformat()) == {lamp.number, clutter.number, closed.number}


@pytest.mark.parametrize(
    ("params", "text"),
    [
        ({"status": "pending"}, "status"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-13-45"}, "end_date"),
        ({"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-02-01T00:00:00Z"}, "不能晚于"),
        ({"start_date": "2025-01-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "90 天"),
    ],
)
def test_request_filters_bad_input_is_400(client, tree, served, params, text):
    assert_error(client.get(f"{BASE}/requests.json", params), 400, text)


def test_request_list_query_count_is_fixed(client, tree, served, cats, django_assert_max_num_queries):
    unit = ResponsibleUnit.objects.create(name="店子社区居委会", kind=UnitKind.VILLAGE, node=tree.village_b)
    for i, node in enumerate([tree.unit_a1, tree.unit_b1, tree.grid_a2, tree.village_b] * 5):
        matter = make_matter(node, category=cats["lamp"] if i % 2 else cats["clutter"])
        set_fields(matter, responsible_unit=unit)
        event_append(matter=matter, kind=EventKind.REPLY, text=f"答复 {i}", public=True)
    with django_assert_max_num_queries(3):
        response = client.get(f"{BASE}/requests.json")
    assert len(response.json()) == 20


def test_request_text_is_scrubbed_of_phone_and_id_numbers():
    text = "电话 139-1234-5678,身份证 11010519491231002X。编号 SX20260105-0001 第 12 号"
    assert scrub_personal_numbers(text) == "电话 [号码已隐去],身份证 [号码已隐去]。编号 SX20260105-0001 第 12 号"


# --- Creating requests ------------------------------------------------------------------


def post(client, fmt: str = "json", headers: Any = None, **data: Any):
    return client.post(f"{BASE}/requests.{fmt}", data, headers=headers or {})


def test_post_creates_a_matter_at_the_key_owners_node(client, tree, served, cats, make_user):
    key = api_key_for(make_user, Role.VILLAGE_STAFF, tree.village_a)
    response = post(
        client,
        api_key=key,
        jurisdiction_id=JURISDICTION,
        service_code="t-lamp",
        description="西张村村口路灯不亮\n已经一周了,晚上出行不便。",
        address_string="村口小广场",
        lat="36.8",
        long="118.05",
        first_name="五",
        last_name="王",
        phone="139 1234 5678",
        email="wang@example.com",
        media_url="https://example.com/lamp.jpg",
        **{"attribute[colour]": "黄色", "attribute[public]": "true"},
    )
    assert response.status_code == 200, response.content
    (answer,) = response.json()
    matter = Matter.objects.get(number=answer["service_request_id"])
    assert answer["token"] == matter.tracking_code
    assert answer["account_id"] is None
    assert matter.tracking_code[:4] in answer["service_notice"]
    assert matter.channel == Channel.OPEN311
    assert matter.category == cats["lamp"]
    assert matter.node == tree.village_a
    assert matter.created_by is not None and matter.created_by.role == Role.VILLAGE_STAFF
    assert matter.title == "西张村村口路灯不亮"
    assert matter.location == "村口小广场"
    assert matter.reporter_name == "王五"
    assert matter.reporter_phone == "13912345678"
    assert matter.public_consent is True
    assert float(matter.latitude or 0) == pytest.approx(36.8)
    assert matter.channel_detail == {
        "service_code": "t-lamp",
        "address_string": "村口小广场",
        "media_url": "https://example.com/lamp.jpg",
        "email": "wang@example.com",
        "attributes": {"colour": "黄色"},
    }
    token = client.get(f"{BASE}/tokens/{answer['token']}.json").json()
    assert token == [{"service_request_id": matter.number, "token": matter.tracking_code}]
    (record,) = client.get(f"{BASE}/requests/{matter.number}.json").json()
    assert record["service_code"] == "t-lamp"
    assert record["address"] == "湖田街道 西张村"  # the free-text location is not public


@pytest.mark.parametrize(("value", "consent"), [(None, False), ("false", False), ("0", False), ("TRUE", True)])
def test_post_public_attribute_records_consent_and_defaults_to_no(client, tree, cats, make_user, value, consent):
    key = api_key_for(make_user, Role.VILLAGE_STAFF, tree.village_a)
    extra = {} if value is None else {"attribute[public]": value}
    response = post(client, api_key=key, service_code="t-lamp", description="路灯不亮已经一周。", **extra)
    assert response.status_code == 200, response.content
    matter = Matter.objects.get(number=response.json()[0]["service_request_id"])
    assert matter.public_consent is consent
    assert "attributes" not in matter.channel_detail
    listed = [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()]
    assert listed == ([matter.number] if consent else [])


def test_post_public_attribute_must_be_true_or_false(client, tree, cats, make_user):
    key = api_key_for(make_user, Role.VILLAGE_STAFF, tree.village_a)
    response = post(
        client, api_key=key, service_code="t-lamp", description="路灯不亮已经一周。", **{"attribute[public]": "maybe"}
    )
    assert_error(response, 400, "attribute[public]")
    assert not Matter.objects.exists()


def test_post_with_node_attribute_from_a_subdistrict_key_answers_xml(client, tree, served, cats, make_user):
    key = api_key_for(make_user, Role.SUBDISTRICT_STAFF, tree.subdistrict)
    response = post(
        client,
        "xml",
        api_key=key,
        service_code="t-clutter",
        description="楼道里堆满了纸箱和旧家具。",
        **{"attribute[node]": "370303003015"},
    )
    assert response.status_code == 200, response.content
    root = xml_of(response)
    assert root.tag == "service_requests"
    number = root.findtext("request/service_request_id")
    assert Matter.objects.get(number=number).node == tree.village_b
    token_root = xml_of(client.get(f"{BASE}/tokens/{root.findtext('request/token')}.xml"))
    assert token_root.findtext("request/service_request_id") == number


def test_post_replay_with_idempotency_key_creates_one_matter(client, tree, served, cats, make_user):
    key = api_key_for(make_user, Role.GRID_WORKER, tree.grid_a1)
    data = {"api_key": key, "service_code": "t-lamp", "description": "网格里的路灯坏了。"}
    first = post(client, headers={"Idempotency-Key": "phone-42"}, **data).json()
    second = post(client, headers={"Idempotency-Key": "phone-42"}, **data).json()
    assert first == second
    assert Matter.objects.filter(channel=Channel.OPEN311).count() == 1
    other_key = api_key_for(make_user, Role.GRID_WORKER, tree.grid_a1)
    stolen = post(client, headers={"Idempotency-Key": "phone-42"}, **{**data, "api_key": other_key})
    assert_error(stolen, 409)


@pytest.mark.parametrize(
    ("role", "node_name", "extra", "status", "text"),
    [
        (None, None, {}, 403, "缺少 api_key"),
        ("bogus", None, {}, 403, "api_key 无效"),
        (Role.MEDIATOR, "village_a", {}, 403, "api_key 无效"),
        (Role.VILLAGE_STAFF, "village_a", {"attribute[node]": "370303003015"}, 403, "无权"),
        (Role.SUBDISTRICT_STAFF, "subdistrict", {}, 400, "attribute[node]"),
        (Role.SUBDISTRICT_STAFF, "subdistrict", {"attribute[node]": "370303003999"}, 400, "attribute[node]"),
        (Role.VILLAGE_STAFF, "village_a", {"service_code": ""}, 400, "缺少 service_code"),
        (Role.VILLAGE_STAFF, "village_a", {"service_code": "t-env"}, 404, "service_code"),
        (Role.VILLAGE_STAFF, "village_a", {"description": ""}, 400, "缺少 description"),
        (Role.VILLAGE_STAFF, "village_a", {"description": "灯坏"}, 400, "至少 5 个字"),
        (Role.VILLAGE_STAFF, "village_a", {"phone": "12345"}, 400, "手机号"),
        (Role.VILLAGE_STAFF, "village_a", {"lat": "north"}, 400, "lat"),
        (Role.VILLAGE_STAFF, "village_a", {"long": "181"}, 400, "long"),
        (Role.VILLAGE_STAFF, "village_a", {"email": "not-an-email"}, 400, "email"),
        (Role.VILLAGE_STAFF, "village_a", {"jurisdiction_id": "370303004000"}, 404, "jurisdiction_id"),
    ],
)
def test_post_bad_input_changes_nothing(client, tree, served, cats, make_user, role, node_name, extra, status, text):
    if role is None:
        key = ""
    elif role == "bogus":
        key = "0" * 40
    else:
        key = api_key_for(make_user, role, getattr(tree, node_name))
    data = {"api_key": key, "service_code": "t-lamp", "description": "村口路灯不亮已经一周。", **extra}
    before = Matter.objects.count()
    response = post(client, **{k: v for k, v in data.items() if v != "" or k != "api_key"})
    assert_error(response, status, text)
    assert Matter.objects.count() == before


def test_bad_api_key_is_audited(client, tree, served, cats):
    post(client, api_key="f" * 40, service_code="t-lamp", description="村口路灯不亮已经一周。")
    entry = AuditEntry.objects.filter(action="access.denied").latest("id")
    assert entry.result == "denied"
    assert entry.detail["reason"] == "open311_api_key"
    assert "f" * 40 not in json.dumps(entry.detail)


@override_settings(RATELIMIT_ENABLE=True, OPEN311_POST_RATE="2/m")
def test_post_is_rate_limited_per_ip(client, tree, served, cats, make_user):
    key = api_key_for(make_user, Role.VILLAGE_STAFF, tree.village_a)
    data = {"api_key": key, "service_code": "t-lamp", "description": "村口路灯不亮已经一周。"}
    assert post(client, **data).status_code == 200
    assert post(client, **data).status_code == 200
    assert_error(post(client, **data), 429, "过于频繁")
    assert Matter.objects.count() == 2
    assert client.get(f"{BASE}/requests.json").status_code == 200  # reads are not limited


def test_unknown_token_is_404(client, tree, served):
    assert_error(client.get(f"{BASE}/tokens/ZZZZ-ZZZZ-ZZ.json"), 404, "token")


# --- The PyPI client -----------------------------------------------------------------------


# transaction=True: the live server needs committed data. (Not serialized_rollback:
# reloading the serialized content types clashes with the ones a previous
# transactional test's flush recreated. Transactional tests run after the
# others, and each one that needs categories seeds them itself.)
@pytest.mark.django_db(transaction=True)
def test_georeport_client_reads_a_live_server(live_server):
    from georeport import GeoReport

    from .staff_setup import seed_categories

    seed_categories()
    tree = build_small_tree()
    for village in (tree.village_a, tree.village_b):  # every place handled (ADR 0021)
        UserFactory(role=Role.VILLAGE_STAFF, jurisdiction=village)
    group = Category.objects.create(code="t-env", name="环境卫生")
    Category.objects.create(parent=group, code="t-clutter", name="楼道堆物", deadline_days=3)
    Category.objects.create(parent=group, code="t-lamp", name="路灯损坏", deadline_days=5)
    first = make_matter(tree.village_a, category=Category.objects.get(code="t-lamp"))
    second = make_matter(tree.unit_b1, category=Category.objects.get(code="t-clutter"))
    set_fields(second, state=State.CLOSED)

    for fmt in ("json", "xml"):
        client = GeoReport(f"{live_server.url}/open311/v2/", jurisdiction=JURISDICTION, output_format=fmt)
        services = client.get_service_list()
        codes = {s["service_code"] for s in services}
        assert {"t-clutter", "t-lamp"} <= codes
        definition = client.get_service_definition("t-lamp")
        assert definition["service_code"] == "t-lamp"
        requests = client.get_service_requests()
        assert {r["service_request_id"] for r in requests} == {first.number, second.number}
        closed = client.get_service_requests(status="closed")
        closed = closed if isinstance(closed, list) else [closed]  # xmltodict: one element is a dict
        assert [r["service_request_id"] for r in closed] == [second.number]
        one = client.get_service_request(first.number)
        assert one["service_request_id"] == first.number
        assert one["status"] == "open"
        assert one["service_name"] == "路灯损坏"
