"""The matters API: an authorisation matrix for every endpoint (anonymous 401,
wrong role 403, other subtree 404, allowed), bad input (400 with field
errors, nothing changed), forbidden transitions (409), idempotent create."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry
from grassroots.matters.models import Channel, EventKind, Matter, MatterEvent, ReopenRequest
from grassroots.matters.services.feedback import matter_reopen_request
from grassroots.matters.states import State
from grassroots.publicity.models import Publication

from .staff_setup import LEAKAGE, accepted, category, handler, handling, new_matter, resolved
from .uploads import png_upload

# Every place of the small tree has handling staff (ADR 0021).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("served")]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def staff(tree):
    return handler(tree.village_a, "staff_a")


@pytest.fixture
def matter(tree, staff):
    return new_matter(tree.unit_a1, actor=staff)


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    return body


def state_of(matter: Matter) -> str:
    return Matter.objects.values_list("state", flat=True).get(pk=matter.pk)


# --- The matrix: every endpoint ------------------------------------------------------

# (method, path template, the role without the capability the endpoint needs)
ENDPOINTS = [
    ("get", "/api/v1/matters/{id}", Role.WINDOW_STAFF),
    ("post", "/api/v1/matters/{id}/accept", Role.GRID_WORKER),
    ("post", "/api/v1/matters/{id}/reject", Role.GRID_WORKER),
    ("post", "/api/v1/matters/{id}/merge", Role.GRID_WORKER),
    ("post", "/api/v1/matters/{id}/assign", Role.GRID_WORKER),
    ("post", "/api/v1/matters/{id}/resolve", Role.WINDOW_STAFF),
    ("post", "/api/v1/matters/{id}/close", Role.GRID_WORKER),
    ("post", "/api/v1/matters/{id}/reopen", Role.GRID_WORKER),
    ("post", "/api/v1/matters/{id}/notes", Role.WINDOW_STAFF),
    ("post", "/api/v1/matters/{id}/escalate", Role.GRID_WORKER),
    ("post", "/api/v1/matters/{id}/joint-meeting", Role.GRID_WORKER),
    ("get", "/api/v1/matters/{id}/publications", Role.WINDOW_STAFF),
    ("post", "/api/v1/matters/{id}/publications", Role.GRID_WORKER),
    ("get", "/api/v1/matters/{id}/duplicates", Role.WINDOW_STAFF),
    ("get", "/api/v1/matters/{id}/events", Role.WINDOW_STAFF),
]


@pytest.mark.parametrize(("method", "template", "wrong_role"), ENDPOINTS)
def test_matrix_anonymous_wrong_role_other_subtree(api, tree, matter, method, template, wrong_role):
    url = template.format(id=matter.pk)
    events_before = MatterEvent.objects.count()

    assert problem(getattr(api, method)(url, {}, format="json"), 401)["title"] == "需要登录"

    outsider = handler(tree.village_a, role=wrong_role)
    api.force_authenticate(outsider)
    assert problem(getattr(api, method)(url, {}, format="json"), 403)["title"] == "没有权限"
    assert AuditEntry.objects.filter(action="access.denied", actor_id=outsider.pk).exists()

    api.force_authenticate(handler(tree.village_b))
    body = problem(getattr(api, method)(url, {}, format="json"), 404)
    assert body["detail"] == "未找到该对象,或您无权查看。"

    assert state_of(matter) == State.REPORTED
    assert MatterEvent.objects.count() == events_before


@pytest.mark.parametrize(
    ("method", "url", "wrong_role"),
    [
        ("get", "/api/v1/matters", Role.WINDOW_STAFF),
        ("post", "/api/v1/matters", Role.WINDOW_STAFF),
        ("get", "/api/v1/categories", Role.AUDIT_ADMIN),
    ],
)
def test_collection_endpoints_anonymous_and_wrong_role(api, tree, method, url, wrong_role):
    assert problem(getattr(api, method)(url, {}, format="json"), 401)["code"] == "not_authenticated"
    api.force_authenticate(handler(tree.village_a, role=wrong_role))
    problem(getattr(api, method)(url, {}, format="json"), 403)
    assert Matter.objects.count() == 0


# --- List and detail ---------------------------------------------------------------


def test_list_is_scoped_and_filtered(api, tree, staff):
    own = new_matter(tree.unit_a1, title="楼道堆放杂物")
    other_grid = new_matter(tree.grid_a2, title="路灯不亮", description="村口的路灯坏了三天了。")
    new_matter(tree.unit_b1, title="楼道堆放杂物")
    api.force_authenticate(staff)
    rows = api.get("/api/v1/matters").json()["results"]
    assert {r["id"] for r in rows} == {own.pk, other_grid.pk}
    assert rows[0]["state_display"] == "待受理"

    found = api.get("/api/v1/matters", {"q": "楼道"}).json()["results"]
    assert [r["id"] for r in found] == [own.pk]
    by_node = api.get("/api/v1/matters", {"node": tree.grid_a2.pk}).json()["results"]
    assert [r["id"] for r in by_node] == [other_grid.pk]
    accepted(own, staff)
    by_state = api.get("/api/v1/matters", {"state": "accepted"}).json()["results"]
    assert [r["id"] for r in by_state] == [own.pk]


def test_list_query_count_is_fixed(api, tree, staff, django_assert_max_num_queries):
    api.force_authenticate(staff)
    for i in range(2):
        handling(new_matter(tree.unit_a1, title=f"楼道问题{i}"), staff)
    with django_assert_max_num_queries(10) as few:
        api.get("/api/v1/matters", {"q": "楼道"})
    for i in range(2, 12):
        handling(new_matter(tree.grid_a2, title=f"楼道问题{i}"), staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get("/api/v1/matters", {"q": "楼道"})
    assert response.json()["count"] == 12


def test_grid_worker_sees_only_own_grid(api, tree):
    in_grid = new_matter(tree.unit_a1)
    new_matter(tree.grid_a2)
    api.force_authenticate(handler(tree.grid_a1, role=Role.GRID_WORKER))
    assert [r["id"] for r in api.get("/api/v1/matters").json()["results"]] == [in_grid.pk]


@pytest.mark.parametrize(
    "params",
    [
        {"state": "lost"},
        {"overdue": "yesterday"},
        {"date_from": "2026-13-01"},
        {"channel": "fax"},
        {"category": "abc"},
        {"q": "字" * 51},
    ],
)
def test_list_bad_filters_are_400(api, tree, staff, params):
    api.force_authenticate(staff)
    body = problem(api.get("/api/v1/matters", params), 400)
    assert set(body["errors"]) == set(params)


def test_list_filter_date_order_and_foreign_node(api, tree, staff):
    api.force_authenticate(staff)
    body = problem(api.get("/api/v1/matters", {"date_from": "2026-05-02", "date_to": "2026-05-01"}), 400)
    assert body["errors"]["date_to"] == ["结束日期不能早于开始日期。"]
    body = problem(api.get("/api/v1/matters", {"node": tree.village_b.pk}), 400)
    assert body["errors"]["node"] == ["辖区不存在,或不在您的辖区内。"]


def test_detail_masks_reporter(api, tree, staff, matter):
    api.force_authenticate(staff)
    body = api.get(f"/api/v1/matters/{matter.pk}").json()
    assert body["reporter_name"] == "王**"
    assert body["reporter_phone"] == "139****5678"
    assert body["channel_detail"]["original"] == "楼道堆满纸箱了,谁管管?"
    assert "13912345678" not in str(body)
    sent = new_matter(tree.unit_a1, channel=Channel.OPEN311, channel_detail={"email": "zhangsan@example.com"})
    assert api.get(f"/api/v1/matters/{sent.pk}").json()["channel_detail"] == {"email": "z***@example.com"}
    anonymous = new_matter(tree.unit_a1, anonymous=True, reporter_name="赵六")
    assert api.get(f"/api/v1/matters/{anonymous.pk}").json()["reporter_name"] == "匿名"


# --- Create ------------------------------------------------------------------------


def test_create_with_idempotency_key(api, tree, make_user):
    worker = make_user(Role.GRID_WORKER, tree.grid_a1)
    api.force_authenticate(worker)
    body = {
        "node": tree.unit_a1.pk,
        "title": "楼道灯不亮",
        "description": "1号楼1单元楼道灯坏了一周。",
        "channel": Channel.HOTLINE,
        "reporter_phone": "13912345678",
    }
    first = api.post("/api/v1/matters", body, format="json", HTTP_IDEMPOTENCY_KEY="phone-retry-0001")
    assert first.status_code == 201, first.content
    again = api.post("/api/v1/matters", body, format="json", HTTP_IDEMPOTENCY_KEY="phone-retry-0001")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Matter.objects.count() == 1
    matter = Matter.objects.get()
    assert matter.created_by == worker and matter.channel == Channel.HOTLINE
    assert first.json()["reporter_phone"] == "139****5678"
    third = api.post("/api/v1/matters", body, format="json", HTTP_IDEMPOTENCY_KEY="phone-retry-0002")
    assert third.status_code == 201
    assert Matter.objects.count() == 2


def test_create_records_consent_to_publish_off_by_default(api, tree, staff):
    api.force_authenticate(staff)
    body = {"node": tree.unit_a1.pk, "title": "路灯坏了", "description": "村口路灯坏了三天。", "channel": "hotline"}
    first = api.post("/api/v1/matters", body, format="json")
    assert first.status_code == 201 and first.json()["public_consent"] is False
    second = api.post("/api/v1/matters", {**body, "public_consent": True}, format="json")
    assert second.status_code == 201 and second.json()["public_consent"] is True
    assert sorted(Matter.objects.values_list("public_consent", flat=True)) == [False, True]


def test_create_with_attachment(api, tree, staff):
    api.force_authenticate(staff)
    response = api.post(
        "/api/v1/matters",
        {
            "node": tree.unit_a1.pk,
            "title": "垃圾桶满了",
            "description": "小区东门垃圾桶两天没清运。",
            "channel": Channel.WALK_IN,
            "attachments": [png_upload()],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert [a["content_type"] for a in response.json()["attachments"]] == ["image/png"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"channel": "web"}, "channel"),
        ({"node": 999999}, "node"),
        ({"urgency": "whenever"}, "urgency"),
    ],
)
def test_create_bad_input_400_nothing_created(api, tree, staff, body, field):
    api.force_authenticate(staff)
    payload = {"node": tree.unit_a1.pk, "title": "路灯坏了", "description": "村口路灯坏了三天。", "channel": "wechat"}
    payload.update(body)
    response = problem(api.post("/api/v1/matters", payload, format="json"), 400)
    assert field in response["errors"]
    assert Matter.objects.count() == 0


def test_create_rules_of_the_service_are_400(api, tree, staff):
    api.force_authenticate(staff)
    payload = {"node": tree.unit_a1.pk, "title": "路灯", "description": "坏了", "channel": "wechat"}
    body = problem(api.post("/api/v1/matters", payload, format="json"), 400)
    assert body["code"] == "description_required" and body["field"] == "description"
    payload.update(description="村口路灯坏了三天。", node=tree.unit_b1.pk)
    assert "node" in problem(api.post("/api/v1/matters", payload, format="json"), 400)["errors"]
    assert Matter.objects.count() == 0


def test_idempotency_key_of_another_subtree_is_409(api, tree, staff):
    new_matter(tree.unit_b1)
    Matter.objects.update(idempotency_key="shared-key-123456")
    api.force_authenticate(staff)
    payload = {"node": tree.unit_a1.pk, "title": "路灯坏了", "description": "村口路灯坏了三天。", "channel": "wechat"}
    body = problem(api.post("/api/v1/matters", payload, format="json", HTTP_IDEMPOTENCY_KEY="shared-key-123456"), 409)
    assert body["code"] == "idempotency_key_reused"
    assert Matter.objects.count() == 1


# --- Transitions: success, bad input, forbidden --------------------------------------


def test_accept(api, tree, staff, matter):
    api.force_authenticate(staff)
    response = api.post(f"/api/v1/matters/{matter.pk}/accept", {"category": category().pk}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == State.ACCEPTED
    assert body["due_date"] and body["deadline_days"] == 3
    assert body["responsible_unit_name"]


def test_accept_bad_input_changes_nothing(api, tree, staff, matter):
    api.force_authenticate(staff)
    body = problem(api.post(f"/api/v1/matters/{matter.pk}/accept", {}, format="json"), 400)
    assert body["errors"]["category"] == ["请选择分类。"]
    body = problem(api.post(f"/api/v1/matters/{matter.pk}/accept", {"category": 999999}, format="json"), 400)
    assert "category" in body["errors"]
    parent = category().parent_id
    body = problem(api.post(f"/api/v1/matters/{matter.pk}/accept", {"category": parent}, format="json"), 400)
    assert "category" in body["errors"]
    matter.refresh_from_db()
    assert matter.state == State.REPORTED and matter.due_date is None and matter.category is None


def test_accept_twice_is_409(api, tree, staff, matter):
    accepted(matter, staff)
    api.force_authenticate(staff)
    body = problem(api.post(f"/api/v1/matters/{matter.pk}/accept", {"category": category().pk}, format="json"), 409)
    assert body["code"] == "transition_not_allowed"
    assert body["detail"] == "事项当前为“已受理”,不能受理。"


def test_reject(api, tree, staff, matter):
    api.force_authenticate(staff)
    problem(api.post(f"/api/v1/matters/{matter.pk}/reject", {"reason": ""}, format="json"), 400)
    assert state_of(matter) == State.REPORTED
    response = api.post(f"/api/v1/matters/{matter.pk}/reject", {"reason": "属于个人私事,不在受理范围。"}, format="json")
    assert response.status_code == 200
    assert response.json()["rejection_reason"] == "属于个人私事,不在受理范围。"
    problem(api.post(f"/api/v1/matters/{matter.pk}/reject", {"reason": "再次"}, format="json"), 409)


def test_merge(api, tree, staff, matter):
    target = new_matter(tree.unit_a1, title="楼道杂物堆积")
    api.force_authenticate(staff)
    foreign = new_matter(tree.unit_b1)
    body = problem(api.post(f"/api/v1/matters/{matter.pk}/merge", {"into": foreign.pk}, format="json"), 400)
    assert "into" in body["errors"]
    body = problem(api.post(f"/api/v1/matters/{matter.pk}/merge", {"into": matter.pk}, format="json"), 400)
    assert body["code"] == "merge_self"
    assert state_of(matter) == State.REPORTED
    response = api.post(f"/api/v1/matters/{matter.pk}/merge", {"into": target.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == State.MERGED and response.json()["merged_into_number"] == target.number
    assert MatterEvent.objects.filter(matter=target, kind=EventKind.MERGED_IN).exists()


def test_merge_from_handling_is_409(api, tree, staff, matter):
    handling(matter, staff)
    target = new_matter(tree.unit_a1)
    api.force_authenticate(staff)
    problem(api.post(f"/api/v1/matters/{matter.pk}/merge", {"into": target.pk}, format="json"), 409)
    assert state_of(matter) == State.HANDLING


def test_assign(api, tree, staff, matter, make_user):
    worker = make_user(Role.GRID_WORKER, tree.grid_a1)
    stranger = make_user(Role.GRID_WORKER, tree.grid_b1)
    api.force_authenticate(staff)
    problem(
        api.post(f"/api/v1/matters/{matter.pk}/assign", {"assignee": worker.pk, "plan": "清理"}, format="json"), 409
    )
    accepted(matter, staff)
    body = problem(
        api.post(f"/api/v1/matters/{matter.pk}/assign", {"assignee": stranger.pk, "plan": "清理"}, format="json"), 400
    )
    assert "assignee" in body["errors"]
    problem(api.post(f"/api/v1/matters/{matter.pk}/assign", {"assignee": worker.pk, "plan": ""}, format="json"), 400)
    assert state_of(matter) == State.ACCEPTED
    response = api.post(
        f"/api/v1/matters/{matter.pk}/assign", {"assignee": worker.pk, "plan": "网格员督促清理。"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["assignee"] == worker.pk and response.json()["state"] == State.HANDLING


def test_resolve_by_assignee_and_not_by_another_grid_worker(api, tree, staff, matter, make_user):
    worker = make_user(Role.GRID_WORKER, tree.grid_a1)
    colleague = make_user(Role.GRID_WORKER, tree.grid_a1)
    accepted(matter, staff)
    api.force_authenticate(staff)
    problem(api.post(f"/api/v1/matters/{matter.pk}/resolve", {"result": "已清理"}, format="json"), 409)
    api.force_authenticate(worker)
    problem(api.post(f"/api/v1/matters/{matter.pk}/resolve", {"result": "已清理"}, format="json"), 403)
    handling(matter, staff, assignee=worker)
    api.force_authenticate(colleague)
    problem(api.post(f"/api/v1/matters/{matter.pk}/resolve", {"result": "已清理"}, format="json"), 403)
    api.force_authenticate(worker)
    assert "result" in problem(api.post(f"/api/v1/matters/{matter.pk}/resolve", {}, format="json"), 400)["errors"]
    assert state_of(matter) == State.HANDLING
    response = api.post(
        f"/api/v1/matters/{matter.pk}/resolve", {"result": "杂物已清理。", "files": [png_upload()]}, format="multipart"
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == State.RESOLVED
    assert [a["public"] for a in response.json()["attachments"]] == [True]


def test_close_and_publicity_rule(api, tree, staff, matter):
    api.force_authenticate(staff)
    problem(api.post(f"/api/v1/matters/{matter.pk}/close", {}, format="json"), 409)
    resolved(matter, staff)
    assert api.post(f"/api/v1/matters/{matter.pk}/close", {}, format="json").json()["state"] == State.CLOSED

    collective = new_matter(tree.unit_a1, touches_collective=True)
    resolved(collective, staff)
    body = problem(api.post(f"/api/v1/matters/{collective.pk}/close", {}, format="json"), 400)
    assert body["code"] == "publicity_required" and "理事方案" in body["detail"]
    assert state_of(collective) == State.RESOLVED


def test_reopen(api, tree, staff, matter):
    api.force_authenticate(staff)
    handling(matter, staff)
    problem(api.post(f"/api/v1/matters/{matter.pk}/reopen", {"reason": "群众不满意"}, format="json"), 409)
    resolved(matter, staff)
    problem(api.post(f"/api/v1/matters/{matter.pk}/reopen", {"reason": ""}, format="json"), 400)
    assert state_of(matter) == State.RESOLVED
    response = api.post(f"/api/v1/matters/{matter.pk}/reopen", {"reason": "楼道又堆满了"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == State.HANDLING


def test_notes_internal_and_public(api, tree, matter, make_user):
    worker = make_user(Role.GRID_WORKER, tree.grid_a1)
    api.force_authenticate(worker)
    problem(api.post(f"/api/v1/matters/{matter.pk}/notes", {"text": ""}, format="json"), 400)
    internal = api.post(f"/api/v1/matters/{matter.pk}/notes", {"text": "已电话联系物业"}, format="json")
    assert internal.status_code == 201 and internal.json()["public"] is False
    public = api.post(f"/api/v1/matters/{matter.pk}/notes", {"text": "正在协调", "public": True}, format="json")
    assert public.json()["public"] is True and public.json()["kind"] == EventKind.REPLY
    events = api.get(f"/api/v1/matters/{matter.pk}/events").json()
    assert [e["text"] for e in events][-2:] == ["已电话联系物业", "正在协调"]
    assert events[0]["kind"] == EventKind.CREATED


def test_escalate(api, tree, staff, matter):
    api.force_authenticate(staff)
    accepted(matter, staff, LEAKAGE)
    problem(api.post(f"/api/v1/matters/{matter.pk}/escalate", {"reason": ""}, format="json"), 400)
    response = api.post(f"/api/v1/matters/{matter.pk}/escalate", {"reason": "村里协调不动"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["escalation_level"] == 1
    assert response.json()["escalated_to"] == tree.subdistrict.pk
    body = problem(api.post(f"/api/v1/matters/{matter.pk}/escalate", {"reason": "再升"}, format="json"), 400)
    assert body["code"] == "escalation_top"


def test_joint_meeting(api, tree, staff, matter):
    api.force_authenticate(staff)
    body = problem(api.post(f"/api/v1/matters/{matter.pk}/joint-meeting", {"reason": "需统筹"}, format="json"), 400)
    assert body["code"] == "joint_meeting_state"
    accepted(matter, staff)
    response = api.post(f"/api/v1/matters/{matter.pk}/joint-meeting", {"reason": "涉及多个部门"}, format="json")
    assert response.status_code == 200
    assert response.json()["joint_meeting_reason"] == "涉及多个部门"


def test_publications(api, tree, staff, matter):
    handling(matter, staff)
    api.force_authenticate(staff)
    today = timezone.localdate()
    payload = {
        "kind": "plan",
        "title": "楼道清理方案公示",
        "content": "物业三日内清理。",
        "starts_on": today.isoformat(),
        "ends_on": (today - datetime.timedelta(days=1)).isoformat(),
        "channels": ["notice"],
    }
    body = problem(api.post(f"/api/v1/matters/{matter.pk}/publications", payload, format="json"), 400)
    assert body["errors"]["ends_on"] == ["公示结束日期不能早于开始日期。"]
    payload["ends_on"] = (today + datetime.timedelta(days=5)).isoformat()
    body = problem(
        api.post(f"/api/v1/matters/{matter.pk}/publications", {**payload, "kind": "result"}, format="json"), 400
    )
    assert body["code"] == "result_missing"
    assert Publication.objects.count() == 0
    response = api.post(f"/api/v1/matters/{matter.pk}/publications", payload, format="json")
    assert response.status_code == 201, response.content
    rows = api.get(f"/api/v1/matters/{matter.pk}/publications").json()
    assert [r["title"] for r in rows] == ["楼道清理方案公示"]
    assert rows[0]["channels"] == ["notice"]


def test_duplicates(api, tree, staff, matter):
    twin = new_matter(tree.unit_a1, title="楼道堆放杂物", description="2号楼楼道又堆满了纸箱和旧家具。")
    new_matter(tree.unit_a1, title="路灯不亮", description="村口的路灯坏了三天了。")
    api.force_authenticate(staff)
    rows = api.get(f"/api/v1/matters/{matter.pk}/duplicates").json()
    assert [r["matter"]["id"] for r in rows] == [twin.pk]
    assert 0 < rows[0]["score"] <= 1


def test_categories(api, tree, staff):
    api.force_authenticate(staff)
    rows = api.get("/api/v1/categories").json()
    littering = next(r for r in rows if r["code"] == "littering")
    assert littering["deadline_days"] == 3 and littering["full_name"] == "环境卫生 / 乱堆乱放"


# --- Reopen requests ---------------------------------------------------------------


@pytest.fixture
def reopen_request(tree, staff, matter):
    resolved(matter, staff)
    return matter_reopen_request(matter=matter, reason="楼道又堆满了")


def test_reopen_request_answer_grant(api, staff, matter, reopen_request):
    api.force_authenticate(staff)
    url = f"/api/v1/reopen-requests/{reopen_request.pk}/answer"
    response = api.post(url, {"grant": True, "answer": "已安排重新清理。"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == ReopenRequest.Status.GRANTED
    assert state_of(matter) == State.HANDLING
    body = problem(api.post(url, {"grant": False, "answer": "再答"}, format="json"), 400)
    assert body["code"] == "reopen_request_answered"


def test_reopen_request_answer_matrix(api, tree, staff, matter, reopen_request, make_user):
    url = f"/api/v1/reopen-requests/{reopen_request.pk}/answer"
    problem(api.post(url, {"grant": True, "answer": "好"}, format="json"), 401)
    api.force_authenticate(make_user(Role.GRID_WORKER, tree.grid_a1))
    problem(api.post(url, {"grant": True, "answer": "好"}, format="json"), 403)
    api.force_authenticate(make_user(Role.VILLAGE_STAFF, tree.village_b))
    problem(api.post(url, {"grant": True, "answer": "好"}, format="json"), 404)
    api.force_authenticate(staff)
    body = problem(api.post(url, {"answer": ""}, format="json"), 400)
    assert set(body["errors"]) == {"grant", "answer"}
    reopen_request.refresh_from_db()
    assert reopen_request.status == ReopenRequest.Status.OPEN
    assert state_of(matter) == State.RESOLVED
