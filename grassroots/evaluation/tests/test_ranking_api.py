"""评事考评排行 API: the computed lists, the rule (read / save), the publication draft;
bad input (400 problems in Chinese, nothing changed), anonymous 401, roles
without RUN_APPRAISALS 403, village staff read-only, and a subdistrict staff
member of another subdistrict who only ever sees their own subdistrict."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry
from grassroots.core.months import MONTH_ERROR
from grassroots.evaluation.models import RankingRule
from grassroots.matters.tests import factories as f
from grassroots.publicity.models import Kind as PublicationKind
from grassroots.publicity.models import Publication
from grassroots.publicity.models import State as PublicationState
from grassroots.regions.models import Level, Node
from grassroots.testing.factories import UserFactory

from .test_ranking import VALID, closed_session, person

pytestmark = pytest.mark.django_db
D = datetime.date
AUG, SEP, OCT = D(2026, 8, 1), D(2026, 9, 1), D(2026, 10, 1)
DEFAULT_RULE = {"months": 3, "min_months": 2, "red_min": 90, "yellow_below": 70, "unsatisfied_share_max": 30}


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def staff(tree: Any, monkeypatch: Any) -> Any:
    f.freeze(monkeypatch)  # Mon 2026-11-30: "last month" is October
    return f.make_staff(tree)


@pytest.fixture
def urls() -> dict[str, str]:
    return {
        "ranking": reverse("api:evaluation-ranking"),
        "rule": reverse("api:evaluation-ranking-rule"),
        "publish": reverse("api:evaluation-ranking-publish"),
    }


def month_data(tree: Any) -> dict[str, Any]:
    """August–October in 西张村: 王 red, 赵 yellow, 钱 normal (October's 93.75 % is
    shown cut as 93.7), 孙 never reaches the anonymity threshold (not ranked)."""
    people = {name: person(name, tree.village_a) for name in ("王办理", "赵办理", "钱办理", "孙办理")}
    wang, zhao, qian, sun = people.values()
    closed_session(tree.village_a, AUG, [(wang, (10, 0, 0)), (zhao, (4, 2, 4)), (qian, (7, 2, 1))])
    closed_session(tree.village_a, SEP, [(wang, (10, 0, 0)), (zhao, (4, 2, 4)), (qian, (7, 2, 1))])
    closed_session(tree.village_a, OCT, [(wang, (10, 0, 0)), (zhao, (4, 2, 4)), (qian, (14, 2, 0)), (sun, (3, 0, 0))])
    return people


def names(rows: list[dict[str, Any]]) -> list[str]:
    return [row["name"] for row in rows]


def assert_problem(response: Any, status: int, detail: str, field: str | None = None) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["detail"] == detail
    if field is not None:
        assert body["field"] == field


# --- GET /ranking ------------------------------------------------------------------


def test_ranking_for_subdistrict_staff_defaults_to_last_month(api, tree, staff, urls, django_assert_max_num_queries):
    people = month_data(tree)
    api.force_authenticate(staff.street)
    with django_assert_max_num_queries(20):
        response = api.get(urls["ranking"])
    assert response.status_code == 200
    body = response.json()
    assert body["subdistrict"] == {"id": tree.subdistrict.pk, "name": "湖田街道"}
    assert body["month"] == "2026-10"
    assert body["period"] == {"from": "2026-08", "to": "2026-10", "label": "2026年8月—10月"}
    assert body["months"] == ["2026-08", "2026-09", "2026-10"]
    assert body["rule"] == DEFAULT_RULE and body["session_count"] == 3 and body["can_manage"] is True
    assert body["rule_sentence"].startswith("满意度 ≥ 90% 上表扬名单,< 70% 或单月不满意票占比 ≥ 30% 上督促名单")
    assert body["min_ballots"] == 5
    assert body["red"] == [
        {
            "staff_id": people["王办理"].pk,
            "name": "王办理",
            "villages": ["西张村"],
            "status": "red",
            "status_label": "表扬名单",
            "satisfaction": "100.0",
            "months_with_results": 3,
            "ballots": 30,
            "reasons": [],
            "monthly": [
                {"month": "2026-08", "satisfaction": "100.0", "ballots": 10},
                {"month": "2026-09", "satisfaction": "100.0", "ballots": 10},
                {"month": "2026-10", "satisfaction": "100.0", "ballots": 10},
            ],
        }
    ]
    (zhao,) = body["yellow"]
    assert (zhao["name"], zhao["status_label"], zhao["satisfaction"]) == ("赵办理", "督促名单", "50.0")
    assert zhao["reasons"] == [
        "满意度低于 70%",
        "单月不满意票占比 ≥ 30%(2026年8月 40.0%、9月 40.0%、10月 40.0%)",
    ]
    (qian,) = body["normal"]
    # (7 + 1) × 2 + (14 + 1) = 31 of 36 ballots = 86.11 %; October (14 + 1) / 16 = 93.75 % is cut, not rounded.
    assert (qian["name"], qian["satisfaction"], qian["ballots"]) == ("钱办理", "86.1", 36)
    assert [m["satisfaction"] for m in qian["monthly"]] == ["80.0", "80.0", "93.7"]
    (sun,) = body["not_ranked"]
    assert (sun["name"], sun["status"], sun["status_label"]) == ("孙办理", "unranked", "未达到统计条件")
    assert sun["satisfaction"] is None and sun["months_with_results"] == 0 and sun["ballots"] == 0
    # Three ballots in October: suppressed, shown as nothing at all.
    assert sun["monthly"][2] == {"month": "2026-10", "satisfaction": None, "ballots": 0}


def test_ranking_for_a_chosen_month_and_an_empty_window(api, tree, staff, urls):
    month_data(tree)
    api.force_authenticate(staff.street)
    body = api.get(urls["ranking"], {"month": "2026-11"}).json()
    assert body["period"] == {"from": "2026-09", "to": "2026-11", "label": "2026年9月—11月"}
    assert body["session_count"] == 2 and names(body["red"]) == ["王办理"]
    # November has no closed session yet: no figure for anyone.
    assert body["red"][0]["monthly"][2] == {"month": "2026-11", "satisfaction": None, "ballots": 0}
    empty = api.get(urls["ranking"], {"month": "2026-05"}).json()
    assert empty["session_count"] == 0 and empty["period"]["label"] == "2026年3月—5月"
    assert empty["red"] == empty["yellow"] == empty["normal"] == empty["not_ranked"] == []
    # An empty parameter is no month at all: last month.
    assert api.get(urls["ranking"], {"month": ""}).json()["month"] == "2026-10"


@pytest.mark.parametrize("month", ["2026-13", "2026/10", "十月", "2026-10-01", "1999-12"])
def test_ranking_bad_month_is_a_chinese_problem(api, tree, staff, urls, month):
    month_data(tree)
    api.force_authenticate(staff.street)
    assert_problem(api.get(urls["ranking"], {"month": month}), 400, MONTH_ERROR, "month")
    assert not RankingRule.objects.exists() and not Publication.objects.exists()


def test_ranking_follows_the_saved_rule(api, tree, staff, urls):
    month_data(tree)
    api.force_authenticate(staff.street)
    assert api.put(urls["rule"], {**DEFAULT_RULE, "red_min": 80}, format="json").status_code == 200
    body = api.get(urls["ranking"]).json()
    assert body["rule"]["red_min"] == 80 and names(body["red"]) == ["王办理", "钱办理"]
    assert body["normal"] == []


# --- Roles -------------------------------------------------------------------------

CALLS = [
    ("ranking", "get", None),
    ("rule", "get", None),
    ("rule", "put", VALID),
    ("publish", "post", {"month": "2026-10"}),
]


def no_rights_users(tree: Any, staff: Any) -> list[Any]:
    made = [
        UserFactory(username="window", role=Role.WINDOW_STAFF, jurisdiction=tree.subdistrict),
        UserFactory(username="auditor", role=Role.AUDIT_ADMIN, jurisdiction=None),
        UserFactory(username="sysadmin", role=Role.SYSTEM_ADMIN, jurisdiction=tree.subdistrict),
    ]
    return [staff.grid_a1, staff.mediator, *made]


@pytest.mark.parametrize(("url", "method", "body"), CALLS)
def test_anonymous_401_and_roles_without_run_appraisals_403(api, tree, staff, urls, url, method, body):
    month_data(tree)
    call = getattr(api, method)
    assert_problem(call(urls[url], body, format="json"), 401, "请先登录,或提供有效的令牌。")
    for user in no_rights_users(tree, staff):
        api.force_authenticate(user)
        assert_problem(call(urls[url], body, format="json"), 403, "您没有执行此操作的权限。")
    assert not RankingRule.objects.exists() and not Publication.objects.exists()
    assert AuditEntry.objects.filter(action="access.denied").count() == 5


def test_village_staff_read_both_but_change_nothing(api, tree, staff, urls):
    month_data(tree)
    for user in (staff.village_a, staff.village_b):  # the list is the whole subdistrict's
        api.force_authenticate(user)
        body = api.get(urls["ranking"], {"month": "2026-10"}).json()
        assert body["subdistrict"]["name"] == "湖田街道" and body["can_manage"] is False
        assert names(body["red"]) == ["王办理"] and names(body["yellow"]) == ["赵办理"]
        rule = api.get(urls["rule"]).json()
        assert rule["can_manage"] is False and rule["saved"] is False
    denied = AuditEntry.objects.filter(action="access.denied").count()
    assert_problem(api.put(urls["rule"], VALID, format="json"), 403, "只有街道工作人员可以修改评事考评排行规则。")
    bad = {**VALID, "months": 0}  # refused for the role before the values are looked at
    assert_problem(api.put(urls["rule"], bad, format="json"), 403, "只有街道工作人员可以修改评事考评排行规则。")
    response = api.post(urls["publish"], {"month": "2026-10"}, format="json")
    assert_problem(response, 403, "只有街道工作人员可以生成评事考评排行公示。")
    assert AuditEntry.objects.filter(action="access.denied").count() == denied + 3
    assert not RankingRule.objects.exists() and not Publication.objects.exists()


def test_staff_outside_any_subdistrict_get_404(api, tree, staff, urls):
    loose = UserFactory(username="loose", role=Role.VILLAGE_STAFF, jurisdiction=None)
    api.force_authenticate(loose)
    assert_problem(api.get(urls["ranking"]), 404, "您的辖区不属于任何街道。")
    assert_problem(api.get(urls["rule"]), 404, "您的辖区不属于任何街道。")


def test_staff_of_another_subdistrict_only_ever_see_their_own(api, tree, staff, urls):
    month_data(tree)
    other = Node.objects.add_root(instance=Node(name="齐都街道", level=Level.SUBDISTRICT))
    village = Node.objects.add_child(other, instance=Node(name="外村", level=Level.VILLAGE, kind="village"))
    closed_session(village, OCT, [(person("外村干部", village), (10, 0, 0))])
    qidu = UserFactory(username="qidu", role=Role.SUBDISTRICT_STAFF, jurisdiction=other)
    qidu_village = UserFactory(username="waicun", role=Role.VILLAGE_STAFF, jurisdiction=village)

    for user in (qidu, qidu_village):
        api.force_authenticate(user)
        response = api.get(urls["ranking"], {"month": "2026-10"})
        body = response.json()
        assert body["subdistrict"] == {"id": other.pk, "name": "齐都街道"} and body["session_count"] == 1
        assert names(body["not_ranked"]) == ["外村干部"] and body["red"] == body["yellow"] == []
        text = response.content.decode()
        assert "王办理" not in text and "赵办理" not in text and "西张村" not in text
    api.force_authenticate(staff.street)
    assert "外村干部" not in api.get(urls["ranking"], {"month": "2026-10"}).content.decode()

    # Their rule and their publication are their own subdistrict's, never 湖田街道's.
    api.force_authenticate(qidu)
    saved = api.put(urls["rule"], VALID, format="json").json()
    assert saved["subdistrict"]["name"] == "齐都街道" and saved["can_manage"] is True
    assert RankingRule.objects.get().subdistrict_id == other.pk
    api.force_authenticate(staff.street)
    assert api.get(urls["rule"]).json()["saved"] is False
    api.force_authenticate(qidu)
    published = api.post(urls["publish"], {"month": "2026-10"}, format="json")
    assert published.status_code == 201 and published.json()["title"] == "齐都街道2026年5月—10月工作人员评事考评排行"
    assert list(Publication.objects.values_list("node_id", flat=True)) == [other.pk]


# --- Rule ----------------------------------------------------------------------------


def test_rule_default_then_saved(api, tree, staff, urls):
    api.force_authenticate(staff.street)
    default = api.get(urls["rule"]).json()
    assert default == {
        **DEFAULT_RULE,
        "subdistrict": {"id": tree.subdistrict.pk, "name": "湖田街道"},
        "saved": False,
        "updated_at": None,
        "updated_by": None,
        "sentence": (
            "满意度 ≥ 90% 上表扬名单,< 70% 或单月不满意票占比 ≥ 30% 上督促名单,近 3 个月中至少 2 个月有评议结果"
        ),
        "can_manage": True,
    }
    response = api.put(urls["rule"], VALID, format="json")
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in VALID} == VALID
    assert body["saved"] is True and body["updated_by"] == "张街道" and body["updated_at"]
    assert body["sentence"].startswith("满意度 ≥ 95% 上表扬名单,< 60% 或单月不满意票占比 ≥ 25% 上督促名单")
    rule = RankingRule.objects.get()
    assert rule.subdistrict_id == tree.subdistrict.pk and rule.updated_by == staff.street
    assert {name: getattr(rule, name) for name in VALID} == VALID
    entry = AuditEntry.objects.get(object_type="evaluation.RankingRule")
    request_id = response["X-Request-ID"]  # the audit row names the request (ADR 0027)
    assert entry.detail == {"before": {}, "after": VALID, "request_id": request_id}
    assert entry.actor_id == staff.street.pk
    again = api.get(urls["rule"]).json()
    assert again["saved"] is True and again["red_min"] == 95 and again["updated_by"] == "张街道"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({**VALID, "months": 13}, "months", "统计月数须在 1 至 12 之间。"),
        ({**VALID, "min_months": 7}, "min_months", "至少有结果的月数须在 1 至统计月数(6)之间。"),
        ({**VALID, "red_min": 101}, "red_min", "表扬名单满意度须在 0% 至 100% 之间。"),
        ({**VALID, "yellow_below": 96}, "yellow_below", "督促名单满意度须在 0% 至表扬名单满意度(95%)之间。"),
        ({**VALID, "unsatisfied_share_max": 0}, "unsatisfied_share_max", "单月不满意票占比须在 1% 至 100% 之间。"),
        ({**VALID, "months": "6"}, "months", "请将统计月数填写为整数。"),
        ({**VALID, "red_min": True}, "red_min", "请将表扬名单满意度填写为整数。"),
        ({**VALID, "red_min": 90.5}, "red_min", "请将表扬名单满意度填写为整数。"),
        ({k: v for k, v in VALID.items() if k != "yellow_below"}, "yellow_below", "请将督促名单满意度填写为整数。"),
        ({**VALID, "colour": "red"}, None, "规则中有无法识别的项目。"),
        ({**VALID, "actor": 1}, None, "规则中有无法识别的项目。"),
        ([VALID], None, "请求内容应为 JSON 对象。"),
    ],
)
def test_rule_put_bad_values_change_nothing(api, tree, staff, urls, body, field, message):
    api.force_authenticate(staff.street)
    first = {**VALID, "red_min": 90}
    assert api.put(urls["rule"], first, format="json").status_code == 200
    audits = AuditEntry.objects.count()
    response = api.put(urls["rule"], body, format="json")
    assert_problem(response, 400, message, field)
    if field is None:
        assert "field" not in response.json()
    rule = RankingRule.objects.get()
    assert {name: getattr(rule, name) for name in VALID} == first
    assert AuditEntry.objects.count() == audits
    assert api.get(urls["rule"]).json()["red_min"] == 90


# --- Publish -------------------------------------------------------------------------


def test_publish_creates_the_draft_once(api, tree, staff, urls):
    month_data(tree)
    api.force_authenticate(staff.street)
    response = api.post(urls["publish"], {"month": "2026-10"}, format="json")
    assert response.status_code == 201
    publication = Publication.objects.get()
    assert response.json() == {
        "id": publication.pk,
        "title": "湖田街道2026年8月—10月工作人员评事考评排行",
        "state": "draft",
        "state_display": "草稿",
        "url": f"/publicity/{publication.pk}/",
    }
    assert (publication.kind, publication.state, publication.node_id) == (
        PublicationKind.RANKING,
        PublicationState.DRAFT,
        tree.subdistrict.pk,
    )
    assert [e["name"] for e in publication.data["red"]] == ["王**"]  # masked once published
    # The same, unchanged list again: the same draft, 200.
    again = api.post(urls["publish"], {"month": "2026-10"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == publication.pk
    assert Publication.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"month": "2026-05"}, "2026年3月—5月没有已结束的月度评议,不能生成评事考评排行。"),
        ({"month": "2026-13"}, MONTH_ERROR),
        ({"month": 202610}, MONTH_ERROR),
        ({"month": ""}, "请填写截止月份(YYYY-MM)。"),
        ({}, "请填写截止月份(YYYY-MM)。"),
    ],
)
def test_publish_bad_input_creates_nothing(api, tree, staff, urls, body, message):
    month_data(tree)
    api.force_authenticate(staff.street)
    assert_problem(api.post(urls["publish"], body, format="json"), 400, message, "month")
    assert not Publication.objects.exists()


def test_publish_needs_a_json_object(api, tree, staff, urls):
    month_data(tree)
    api.force_authenticate(staff.street)
    assert_problem(api.post(urls["publish"], ["2026-10"], format="json"), 400, "请求内容应为 JSON 对象。")
    assert not Publication.objects.exists()
