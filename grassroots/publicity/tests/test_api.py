"""API /api/v1/publicity/publications: success, bad input (400, Chinese
message, nothing changed), every role (grid worker 403, village staff in
their own village, other village 404, street staff everywhere, window staff
and the audit administrator 403, anonymous 401) and another subtree's
sources 404."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry
from grassroots.matters.models import EventKind
from grassroots.matters.states import State as MatterState
from grassroots.matters.tests import factories as f
from grassroots.testing.factories import UserFactory

from .. import services
from ..models import Publication
from ..models import State as PubState
from ..services import ObjectionInput
from .staff_helpers import closed_appraisal, closed_meeting, draft_of

pytestmark = pytest.mark.django_db
BASE = "/api/v1/publicity/publications"
D = datetime.date


@pytest.fixture
def staff(tree, monkeypatch):
    f.freeze(monkeypatch)  # Monday 2026-11-30
    return f.make_staff(tree)


@pytest.fixture
def matter(tree, staff):
    return f.matter_in_state(MatterState.HANDLING, node=tree.unit_a1, handler=staff.village_a)


@pytest.fixture
def api():
    return APIClient()


def _as(api: APIClient, user: Any) -> APIClient:
    api.force_authenticate(user)
    return api


def _plan(source: Any, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "plan",
        "matter": source.pk,
        "title": "关于西张村集体厂房出租的理事方案",
        "content": "厂房按公开招租方式出租,租金收入纳入村集体账户。",
        "channels": ["portal", "notice"],
    }
    body.update(overrides)
    return body


def _counts() -> tuple[int, int]:
    return Publication.objects.count(), AuditEntry.objects.filter(object_type="publicity.Publication").count()


def test_create_a_draft_then_update_publish_and_withdraw(api, staff, matter):
    _as(api, staff.village_a)
    created = api.post(BASE, _plan(matter), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["state"], body["state_display"], body["kind_display"]) == ("draft", "草稿", "理事方案")
    assert body["period"] == "公示期未定" and body["matter_number"] == matter.number
    assert body["created_by_name"] == "李村务" and body["public_path"] == f"/notices/{body['id']}/"
    url = f"{BASE}/{body['id']}"

    patched = api.patch(url, {"title": "西张村厂房出租理事方案(修订)"}, format="json")
    assert patched.status_code == 200 and patched.json()["title"] == "西张村厂房出租理事方案(修订)"
    assert patched.json()["channels"] == ["portal", "notice"]
    put = api.put(url, {"title": "西张村厂房出租理事方案", "content": "公开招租。", "channels": ["led"]}, format="json")
    assert put.status_code == 200 and put.json()["content"] == "公开招租。" and put.json()["channels"] == ["led"]

    published = api.post(f"{url}/publish", {}, format="json")
    assert published.status_code == 200
    body = published.json()
    assert (body["state"], body["starts_on"], body["ends_on"]) == ("published", "2026-11-30", "2026-12-07")
    assert body["published_by_name"] == "李村务"
    assert matter.events.filter(kind=EventKind.PUBLISHED).count() == 1

    withdrawn = api.post(f"{url}/withdraw", {"reason": "方案金额写错"}, format="json")
    assert withdrawn.status_code == 200
    assert (withdrawn.json()["state"], withdrawn.json()["withdraw_reason"]) == ("withdrawn", "方案金额写错")
    assert withdrawn.json()["withdrawn_by_name"] == "李村务"


def test_create_and_publish_at_once_with_dates(api, staff, matter):
    response = _as(api, staff.village_a).post(
        BASE, _plan(matter, publish=True, starts_on="2026-12-01", ends_on="2026-12-20"), format="json"
    )
    assert response.status_code == 201
    pub = Publication.objects.get()
    assert (pub.state, pub.starts_on, pub.ends_on) == (PubState.PUBLISHED, D(2026, 12, 1), D(2026, 12, 20))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "请填写公示标题。"),
        ({"channels": []}, "channels", "请至少选择一个公示渠道。"),
        ({"channels": ["radio"]}, "channels", "“radio”不是有效的公示渠道。"),
        ({"kind": "rumour"}, "kind", "“rumour”不是有效的公示内容。"),
        ({"starts_on": "明天"}, "starts_on", "日期格式应为 YYYY-MM-DD。"),
    ],
)
def test_bad_input_is_400_in_chinese(api, staff, matter, overrides, field, message):
    before = _counts()
    response = _as(api, staff.village_a).post(BASE, _plan(matter, **overrides), format="json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["detail"] == "提交的数据未通过校验,请按各字段的提示修改。"
    assert message in str(problem["errors"][field])
    assert _counts() == before


@pytest.mark.parametrize(
    ("overrides", "code", "message"),
    [
        ({"kind": "result"}, "result_missing", "事项办结后才能公示理事结果。"),
        ({"kind": "resolution", "matter": None}, "meeting_required", "请选择要公示决议的会议。"),
        (
            {"publish": True, "starts_on": "2026-12-10", "ends_on": "2026-12-01"},
            "period_order",
            "公示结束日期不能早于开始日期。",
        ),
        ({"publish": True, "starts_on": "2026-11-01"}, "period_before_basis", "不能早于事项受理的日期"),
    ],
)
def test_rule_violations_are_400_problems_and_change_nothing(api, staff, matter, overrides, code, message):
    before = _counts()
    response = _as(api, staff.village_a).post(BASE, _plan(matter, **overrides), format="json")
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == code and message in problem["detail"]
    assert _counts() == before
    assert not matter.events.filter(kind=EventKind.PUBLISHED).exists()


def test_state_rules_over_the_api(api, staff, matter):
    pub = draft_of(staff.village_a, matter)
    url = f"{BASE}/{pub.pk}"
    _as(api, staff.village_a)
    response = api.post(f"{url}/withdraw", {"reason": "不要了"}, format="json")
    # A state the workflow does not allow is a conflict (409), as in every other app.
    assert response.status_code == 409 and response.json()["detail"] == "公示当前为“草稿”,不能撤回。"
    assert api.post(f"{url}/withdraw", {}, format="json").json()["errors"]["reason"] == ["请填写撤回原因。"]
    api.post(f"{url}/publish", {}, format="json")
    response = api.post(f"{url}/publish", {}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "not_draft"
    response = api.patch(url, {"title": "改一下"}, format="json")
    assert response.status_code == 400 and "只有草稿可以修改" in response.json()["detail"]
    assert Publication.objects.get(pk=pub.pk).title == "关于西张村集体厂房出租的理事方案"


def test_list_filters_and_subtree(api, tree, staff, matter):
    draft_of(staff.village_a, matter)
    published = draft_of(staff.village_a, matter, title="已发布的方案")
    services.publication_publish(actor=staff.village_a, publication=published)
    other = f.matter_in_state(MatterState.HANDLING, node=tree.unit_b1, handler=staff.village_b)
    draft_of(staff.village_b, other, title="店子社区方案")

    def titles(user: Any, **params: Any) -> list[str]:
        response = _as(api, user).get(BASE, params)
        assert response.status_code == 200
        return [row["title"] for row in response.json()["results"]]

    assert titles(staff.village_a) == ["关于西张村集体厂房出租的理事方案", "已发布的方案"]
    assert titles(staff.village_a, state="published") == ["已发布的方案"]
    assert titles(staff.village_a, kind="result") == []
    assert titles(staff.village_b) == ["店子社区方案"]
    assert sorted(titles(staff.street)) == sorted(["关于西张村集体厂房出租的理事方案", "已发布的方案", "店子社区方案"])
    assert titles(staff.street, q="店子") == ["店子社区方案"]
    response = api.get(BASE, {"state": "bogus"})
    assert response.status_code == 400 and "“bogus”不是有效的状态。" in str(response.json()["errors"]["state"])


def test_list_query_count_does_not_grow(api, staff, matter, django_assert_max_num_queries):
    for n in range(5):
        pub = draft_of(staff.village_a, matter, title=f"方案{n}")
        services.publication_publish(actor=staff.village_a, publication=pub)
    _as(api, staff.village_a)
    with django_assert_max_num_queries(4):
        response = api.get(BASE)
    assert response.json()["count"] == 5 and response.json()["results"][0]["objection_count"] == 0


def test_roles(api, tree, staff, matter):
    pub = draft_of(staff.village_a, matter)
    detail = f"{BASE}/{pub.pk}"
    window = UserFactory(role=Role.WINDOW_STAFF, jurisdiction=tree.subdistrict)
    auditor = UserFactory(role=Role.AUDIT_ADMIN, jurisdiction=tree.subdistrict)
    calls = [
        ("get", BASE, None),
        ("post", BASE, _plan(matter)),
        ("get", detail, None),
        ("patch", detail, {"title": "改"}),
        ("post", f"{detail}/publish", {}),
        ("post", f"{detail}/withdraw", {"reason": "撤"}),
        ("get", f"{detail}/objections", None),
    ]
    before = _counts()
    for method, url, body in calls:
        assert getattr(APIClient(), method)(url, body, format="json").status_code == 401, url
        for user in (staff.grid_a1, window, auditor, staff.mediator):
            response = getattr(_as(APIClient(), user), method)(url, body, format="json")
            assert response.status_code == 403, (user, url)
            assert response.json()["detail"] == "您没有执行此操作的权限。"
    for method, url, body in calls[2:]:
        response = getattr(_as(APIClient(), staff.village_b), method)(url, body, format="json")
        assert response.status_code == 404, url
    assert _counts() == before
    assert Publication.objects.get(pk=pub.pk).state == PubState.DRAFT
    # Street staff may act everywhere in the subdistrict.
    street = _as(APIClient(), staff.street)
    assert street.get(detail).status_code == 200
    assert street.post(f"{detail}/publish", {}, format="json").json()["published_by_name"] == "张街道"


def test_sources_of_another_subtree_are_404(api, tree, staff, matter):
    meeting = closed_meeting(staff.village_a, tree.village_a, tree.unit_a1)
    _as(api, staff.village_b)
    before = _counts()
    assert api.post(BASE, _plan(matter), format="json").status_code == 404
    body = {"kind": "resolution", "meeting": meeting.pk, "title": "决议", "content": "决议内容", "channels": ["portal"]}
    assert api.post(BASE, body, format="json").status_code == 404
    ranking = {
        "kind": "ranking",
        "node": tree.subdistrict.pk,
        "title": "评事考评排行",
        "content": "表扬名单",
        "channels": ["portal"],
    }
    assert api.post(BASE, ranking, format="json").status_code == 404
    assert api.post(BASE, {**body, "meeting": 999999}, format="json").status_code == 404
    assert _counts() == before
    # Village A's staff can publish the meeting's resolutions.
    response = _as(APIClient(), staff.village_a).post(BASE, body, format="json")
    assert response.status_code == 201 and response.json()["meeting"] == meeting.pk
    # Street staff publish the red/yellow list for the subdistrict.
    response = _as(APIClient(), staff.street).post(BASE, {**ranking, "publish": True}, format="json")
    assert response.status_code == 201 and response.json()["node_name"] == tree.subdistrict.label


def test_appraisal_over_the_api(api, tree, staff):
    handler = UserFactory(username="h_a", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="王办理")
    session = closed_appraisal(tree, staff.village_a, [handler])
    body = {
        "kind": "appraisal",
        "appraisal": session.pk,
        "title": "评议结果",
        "content": "王办理 83.3%",
        "channels": ["portal"],
    }
    assert _as(api, staff.village_b).post(BASE, body, format="json").status_code == 404
    response = _as(APIClient(), staff.village_a).post(BASE, {**body, "publish": True}, format="json")
    assert response.status_code == 201 and response.json()["appraisal"] == session.pk
    assert response.json()["state"] == "published"


def test_objections(api, staff, matter):
    pub = services.publication_publish(actor=staff.village_a, publication=draft_of(staff.village_a, matter))
    objection = services.objection_file(
        publication=pub, data=ObjectionInput(text="租金低于周边市场价。", phone="13812345678", name="王某")
    )
    response = _as(api, staff.village_a).get(f"{BASE}/{pub.pk}/objections")
    assert response.status_code == 200
    (row,) = response.json()
    assert row["matter"] == objection.matter.pk and row["matter_number"] == objection.matter.number
    assert row["matter_state_display"] == "待受理"
    assert "13812345678" not in response.content.decode() and "王某" not in response.content.decode()
    assert api.get(f"{BASE}/{pub.pk}").json()["objection_count"] == 1
