"""Staff intake pages: WeChat relay, hotline/walk-in, the grid worker's visit
log. An authorisation matrix per page (anonymous → login, a role without the
capability → 403, another subtree → 404, allowed), and bad input changes
nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.matters.models import Attachment, Channel, Matter, MatterEvent, Urgency, Visit
from grassroots.regions.models import Household, Node
from grassroots.testing.factories import UserFactory

from .uploads import fake_image_upload, png_upload

pytestmark = pytest.mark.django_db

KEY = "s" * 32


def counts():
    return Matter.objects.count(), Attachment.objects.count(), MatterEvent.objects.count(), Visit.objects.count()


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def building_of(unit: Node) -> Node:
    return Node.objects.get(path=unit.path[: -Node.steplen])


@pytest.fixture
def users(tree, make_user):
    return {
        "grid_a1": make_user(Role.GRID_WORKER, tree.grid_a1),
        "grid_b1": make_user(Role.GRID_WORKER, tree.grid_b1),
        "village_a": make_user(Role.VILLAGE_STAFF, tree.village_a),
        "street": make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict),
        "mediator": make_user(Role.MEDIATOR, tree.subdistrict),
        "window": make_user(Role.WINDOW_STAFF, tree.subdistrict),
    }


# --- Authorisation matrix ------------------------------------------------------------

PAGES = [
    ("matters-intake:relay", Role.MEDIATOR),
    ("matters-intake:hotline", Role.WINDOW_STAFF),
    ("matters-intake:places", Role.MEDIATOR),
    ("matters-intake:visit", Role.VILLAGE_STAFF),
    ("matters-intake:visit-households", Role.SUBDISTRICT_STAFF),
    ("matters-intake:visits", Role.MEDIATOR),
]


@pytest.mark.parametrize(("name", "_role"), PAGES)
def test_anonymous_is_sent_to_login(tree, name, _role):
    url = reverse(name)
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "role"), PAGES)
def test_role_without_the_capability_gets_403(tree, make_user, name, role):
    response = login(make_user(role, tree.subdistrict)).get(reverse(name))
    assert response.status_code == 403


@pytest.mark.parametrize("name", [name for name, _role in PAGES])
def test_grid_worker_may_use_every_intake_page(users, name):
    assert login(users["grid_a1"]).get(reverse(name)).status_code == 200


def test_post_without_the_capability_changes_nothing(tree, users):
    before = counts()
    response = login(users["mediator"]).post(reverse("matters-intake:relay"), relay_data(tree))
    assert response.status_code == 403
    response = login(users["village_a"]).post(reverse("matters-intake:visit"), visit_data(tree))
    assert response.status_code == 403
    assert counts() == before


def test_user_without_a_jurisdiction_has_nowhere_to_record(make_user, tree):
    nowhere = make_user(Role.VILLAGE_STAFF, None)
    assert login(nowhere).get(reverse("matters-intake:relay")).status_code == 404


def test_superuser_without_a_jurisdiction_picks_from_the_whole_tree(tree, served):
    admin = UserFactory(role=Role.SYSTEM_ADMIN, is_superuser=True, is_staff=True)
    html = login(admin).get(reverse("matters-intake:hotline")).content.decode()
    assert "西张村" in html and "店子社区" in html


# --- Place picker inside the jurisdiction --------------------------------------------------


def test_picker_offers_only_the_users_subtree(tree, users):
    html = login(users["village_a"]).get(reverse("matters-intake:relay")).content.decode()
    assert "第1网格" in html
    assert "店子社区" not in html
    assert f'value="{tree.grid_b1.pk}"' not in html
    html = login(users["street"]).get(reverse("matters-intake:relay")).content.decode()
    assert "西张村" in html and "店子社区" in html


def test_picker_with_a_node_of_another_subtree_is_404(tree, users):
    client = login(users["village_a"])
    assert client.get(reverse("matters-intake:places"), {"grid": tree.grid_b1.pk}).status_code == 404
    assert client.get(reverse("matters-intake:places"), {"grid": tree.grid_a2.pk}).status_code == 200
    worker = login(users["grid_a1"])
    other_building = building_of(tree.unit_b1)
    assert worker.get(reverse("matters-intake:visit-households"), {"building": other_building.pk}).status_code == 404


# --- WeChat relay ------------------------------------------------------------------------

ORIGINAL = "  @网格员 3号楼下水道又堵了!!\n味道很大,麻烦看看  "


def relay_data(tree, **overrides):
    data = {
        "group": "西张村邻里群",
        "sender": "幸福一家人",
        "original": ORIGINAL,
        "title": "3号楼下水道堵塞",
        "description": "",
        "grid": tree.grid_a1.pk,
        "location": "3号楼西侧",
        "reporter_phone": "",
        "urgency": Urgency.URGENT,
        "idempotency_key": KEY,
    }
    data.update(overrides)
    return data


def test_relay_keeps_the_original_verbatim_and_redirects_to_the_matter(tree, users):
    staff = users["village_a"]
    response = login(staff).post(reverse("matters-intake:relay"), relay_data(tree, reporter_phone="13912345678"))
    matter = Matter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("matters:detail", args=[matter.pk]) == f"/matters/{matter.pk}/"
    assert matter.channel == Channel.WECHAT
    assert matter.channel_detail == {"group": "西张村邻里群", "sender": "幸福一家人", "original": ORIGINAL}
    assert matter.description == ORIGINAL.strip()  # prefilled from the original
    assert matter.node == tree.grid_a1
    assert matter.urgency == Urgency.URGENT
    assert matter.created_by == staff
    assert matter.reporter_phone == "13912345678"
    assert matter.idempotency_key == f"staff:{staff.pk}:{KEY}"
    assert login(staff).get(response["Location"]).status_code == 200


def test_relay_records_the_reporters_consent_to_publish(tree, users):
    client = login(users["village_a"])
    assert 'name="public_consent"' in client.get(reverse("matters-intake:relay")).content.decode()
    client.post(reverse("matters-intake:relay"), relay_data(tree))
    client.post(reverse("matters-intake:relay"), relay_data(tree, idempotency_key="p" * 32, public_consent="on"))
    assert sorted(Matter.objects.values_list("public_consent", flat=True)) == [False, True]


def test_relay_description_written_by_staff_wins(tree, users):
    login(users["village_a"]).post(
        reverse("matters-intake:relay"), relay_data(tree, description="3号楼下水道堵塞,需要疏通。")
    )
    assert Matter.objects.get().description == "3号楼下水道堵塞,需要疏通。"


def test_relay_at_the_staff_members_own_village(tree, users):
    login(users["village_a"]).post(reverse("matters-intake:relay"), relay_data(tree, grid=""))
    assert Matter.objects.get().node == tree.village_a


def test_relay_double_submit_makes_one_matter(tree, users):
    client = login(users["village_a"])
    first = client.post(reverse("matters-intake:relay"), relay_data(tree))
    second = client.post(reverse("matters-intake:relay"), relay_data(tree))
    assert first["Location"] == second["Location"]
    assert Matter.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"group": ""}, "group", "哪个微信群"),
        ({"sender": ""}, "sender", "群昵称"),
        ({"original": "   "}, "original", "请粘贴群消息原文"),
        ({"title": ""}, "title", "请填写标题"),
        ({"original": "堵了", "description": ""}, "description", "原文太短"),
        ({"reporter_phone": "0533"}, "reporter_phone", "11 位大陆手机号码"),
        ({"urgency": "whenever"}, "urgency", "选择一个有效的选项"),
    ],
)
def test_relay_bad_input_changes_nothing(tree, users, overrides, field, message):
    before = counts()
    data = relay_data(tree, **overrides)
    response = login(users["village_a"]).post(reverse("matters-intake:relay"), data)
    html = response.content.decode()
    assert response.status_code == 400
    error = re.search(rf'data-testid="error-{field}">([^<]+)<', html)
    assert error and message in error.group(1)
    if field != "group":
        assert "西张村邻里群" in html
    if field != "title":
        assert "3号楼下水道堵塞" in html
    assert counts() == before


def test_relay_to_another_subtree_is_404_and_changes_nothing(tree, users):
    before = counts()
    response = login(users["village_a"]).post(reverse("matters-intake:relay"), relay_data(tree, grid=tree.grid_b1.pk))
    assert response.status_code == 404
    assert counts() == before


def test_relay_with_a_bad_photo_changes_nothing(tree, users):
    before = counts()
    response = login(users["village_a"]).post(
        reverse("matters-intake:relay"), {**relay_data(tree), "attachments": [png_upload(), fake_image_upload()]}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "不是照片或 PDF 文件" in html and "请重新选择" in html
    assert counts() == before


# --- Hotline and walk-in ----------------------------------------------------------------------


def hotline_data(tree, **overrides):
    data = {
        "channel": Channel.WALK_IN,
        "caller_name": "赵大爷",
        "caller_phone": "13700001111",
        "title": "申请安装扶手",
        "description": "楼梯太陡,老人上下楼不方便,希望安装扶手。",
        "village": tree.village_a.pk,
        "grid": tree.grid_a2.pk,
        "urgency": Urgency.NORMAL,
        "idempotency_key": KEY,
    }
    data.update(overrides)
    return data


def test_hotline_walk_in_entry(tree, users):
    street = users["street"]
    response = login(street).post(
        reverse("matters-intake:hotline"), {**hotline_data(tree), "attachments": [png_upload()]}
    )
    matter = Matter.objects.get()
    assert response["Location"] == f"/matters/{matter.pk}/"
    assert matter.channel == Channel.WALK_IN
    assert matter.reporter_name == "赵大爷"
    assert matter.reporter_phone == "13700001111"
    assert matter.node == tree.grid_a2
    assert matter.attachments.get().uploaded_by == street


def test_hotline_anonymous_caller(tree, users):
    login(users["street"]).post(
        reverse("matters-intake:hotline"), hotline_data(tree, channel=Channel.HOTLINE, anonymous="on")
    )
    matter = Matter.objects.get()
    assert matter.channel == Channel.HOTLINE
    assert matter.anonymous is True and matter.reporter_name == ""


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"channel": Channel.WEB}, "热线电话还是来访"),
        ({"caller_phone": "123"}, "11 位大陆手机号码"),
        ({"description": "扶手"}, "至少 5 个字"),
        ({"village": ""}, "请选择所在的村/社区"),
    ],
)
def test_hotline_bad_input_changes_nothing(tree, users, overrides, message):
    before = counts()
    response = login(users["street"]).post(reverse("matters-intake:hotline"), hotline_data(tree, **overrides))
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "赵大爷" in html and "申请安装扶手" in html
    assert counts() == before


# --- Visit log -------------------------------------------------------------------------------------


def visit_data(tree, matters=(), **overrides):
    unit = tree.unit_a1
    data = {
        "building": building_of(unit).pk,
        "unit": unit.pk,
        "household": tree.resident_a1.household_id,
        "notes": "张三家两口人,身体都好。",
        "m-TOTAL_FORMS": str(len(matters)),
        "m-INITIAL_FORMS": "0",
        "m-MIN_NUM_FORMS": "0",
        "m-MAX_NUM_FORMS": "10",
    }
    for i, item in enumerate(matters):
        for key, value in item.items():
            data[f"m-{i}-{key}"] = value
    data.update(overrides)
    return data


TWO = [
    {"title": "楼顶漏水", "description": "下雨时顶楼漏水严重", "touches_collective": "on"},
    {"title": "路灯不亮", "description": "小区东门路灯不亮两周了"},
]


def test_visit_page_offers_the_workers_buildings_and_households(tree, users):
    worker = login(users["grid_a1"])
    html = worker.get(reverse("matters-intake:visit")).content.decode()
    assert "1号楼" in html
    assert "2号楼" not in html  # 第2网格's building
    assert 'id="matter-template"' in html
    unit = tree.unit_a1
    html = worker.get(
        reverse("matters-intake:visit-households"), {"building": building_of(unit).pk, "unit": unit.pk}
    ).content.decode()
    assert f'value="{tree.resident_a1.household_id}"' in html and "101" in html


def test_visit_with_two_matters(tree, users):
    worker = users["grid_a1"]
    client = login(worker)
    data = visit_data(tree, TWO)
    data["m-0-photos"] = [png_upload()]
    response = client.post(reverse("matters-intake:visit"), data)
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("matters-intake:visit-done", args=[visit.pk])
    assert visit.visitor == worker
    assert visit.notes == "张三家两口人,身体都好。"
    matters = list(visit.matters.order_by("number"))
    assert [m.title for m in matters] == ["楼顶漏水", "路灯不亮"]
    assert [m.touches_collective for m in matters] == [True, False]
    assert matters[0].attachments.count() == 1
    assert all(m.channel == Channel.VISIT and m.node == tree.unit_a1 for m in matters)
    html = client.get(response["Location"]).content.decode()
    for matter in matters:
        assert matter.number in html
        assert reverse("matters:detail", args=[matter.pk]) in html


def test_visit_without_matters_and_blank_blocks_ignored(tree, users):
    response = login(users["grid_a1"]).post(
        reverse("matters-intake:visit"), visit_data(tree, [{"title": "", "description": ""}])
    )
    assert response.status_code == 302
    assert Visit.objects.count() == 1
    assert Matter.objects.count() == 0


def test_visit_blocks_removed_in_the_browser_leave_gaps(tree, users):
    """The page's JS removes a block without renumbering the others."""
    data = visit_data(tree, [TWO[0], {}, TWO[1]])
    response = login(users["grid_a1"]).post(reverse("matters-intake:visit"), data)
    assert response.status_code == 302
    assert Matter.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "matters", "message"),
    [
        ({"household": ""}, TWO, "请选择走访的住户"),
        ({"notes": ""}, [], "请填写走访情况"),
        ({}, [TWO[0], {"title": "路灯不亮", "description": ""}], "至少 5 个字"),
        ({}, [TWO[0], {"title": "", "description": "小区东门路灯不亮两周了"}], "请填写这件事的标题"),
        ({"notes": "长" * 2001}, [], "不能超过 2000 个字"),
    ],
)
def test_visit_bad_input_changes_nothing(tree, users, overrides, matters, message):
    before = counts()
    response = login(users["grid_a1"]).post(reverse("matters-intake:visit"), visit_data(tree, matters, **overrides))
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    if matters:
        assert "楼顶漏水" in html  # what the worker typed is still there
    assert counts() == before


def test_visit_with_a_bad_photo_changes_nothing(tree, users):
    before = counts()
    data = visit_data(tree, TWO)
    data["m-1-photos"] = [fake_image_upload()]
    response = login(users["grid_a1"]).post(reverse("matters-intake:visit"), data)
    assert response.status_code == 400
    assert "第 2 件事" in response.content.decode()
    assert counts() == before


def test_visit_to_another_grids_household_is_404(tree, users):
    before = counts()
    other = tree.resident_b1.household
    data = visit_data(tree, TWO, building=building_of(tree.unit_b1).pk, unit=tree.unit_b1.pk, household=other.pk)
    assert login(users["grid_a1"]).post(reverse("matters-intake:visit"), data).status_code == 404
    data = visit_data(tree, TWO, household=other.pk)  # own unit, another grid's household id
    assert login(users["grid_a1"]).post(reverse("matters-intake:visit"), data).status_code == 404
    assert counts() == before


def test_visit_done_page_of_another_grid_is_404(tree, users):
    login(users["grid_a1"]).post(reverse("matters-intake:visit"), visit_data(tree, TWO))
    visit = Visit.objects.get()
    assert login(users["grid_b1"]).get(reverse("matters-intake:visit-done", args=[visit.pk])).status_code == 404
    assert login(users["village_a"]).get(reverse("matters-intake:visit-done", args=[visit.pk])).status_code == 403
    for matter in visit.matters.all():
        assert login(users["grid_b1"]).get(reverse("matters:detail", args=[matter.pk])).status_code == 404
        assert login(users["grid_a1"]).get(reverse("matters:detail", args=[matter.pk])).status_code == 200


def test_recent_visits_are_the_workers_own_paginated(tree, users, django_assert_max_num_queries):
    worker = users["grid_a1"]
    colleague = UserFactory(role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    household = Household.objects.get(pk=tree.resident_a1.household_id)
    from grassroots.matters.services.intake import VisitMatter, visit_log

    for i in range(23):
        visit_log(actor=worker, household=household, notes=f"第{i}次走访", matters=[])
    visit_log(
        actor=worker,
        household=household,
        notes="带事项",
        matters=[VisitMatter(title="漏水", description="顶楼漏水严重")],
    )
    visit_log(actor=colleague, household=household, notes="同事的走访", matters=[])
    client = login(worker)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("matters-intake:visits"))
    html = first.content.decode()
    assert html.count('href="/intake/visits/') == 20
    assert "带事项" in html and "同事的走访" not in html
    assert Matter.objects.get().number in html
    second = client.get(reverse("matters-intake:visits"), {"page": 2}).content.decode()
    assert second.count('href="/intake/visits/') == 4
    assert "同事的走访" not in second
