"""The mediation API: for every endpoint success, bad input, anonymous (401),
wrong role (403), another subtree (404) and, for transitions, a state the
table forbids (409). Negative answers change nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.core.models import AuditEntry
from grassroots.matters.models import Matter
from grassroots.mediation.models import (
    CaseEvent,
    Committee,
    Consultation,
    DisputeCase,
    GridAdviser,
    JudicialStatus,
    Session,
    SessionStatus,
)
from grassroots.mediation.services import consultations, sessions
from grassroots.mediation.states import State

from .conftest import RESPONDENT_ID

pytestmark = pytest.mark.django_db
BASE = "/api/v1/mediation"


@pytest.fixture
def api():
    return APIClient()


def _today() -> str:
    return timezone.localdate().isoformat()


# name → (start state, acting user, good body, bad body or None, a state that forbids it or None, resulting state)
TRANSITIONS: dict[str, tuple[str, str, Any, Any, str | None, str]] = {
    "accept": (State.REGISTERED, "manager", {}, None, State.MEDIATING, State.ACCEPTED),
    "decline": (
        State.REGISTERED,
        "manager",
        {"reason": "已向法院起诉", "referral": "court"},
        {"reason": "", "referral": "moon"},
        State.ACCEPTED,
        State.DECLINED,
    ),
    "start": (State.ACCEPTED, "mediator", {}, None, State.REGISTERED, State.MEDIATING),
    "agree": (
        State.MEDIATING,
        "mediator",
        {"facts": "楼上渗漏。", "terms": "赔偿 2000 元。", "performance_method": "转账", "performance_deadline": None},
        {"facts": "楼上渗漏。", "terms": "", "performance_method": "转账"},
        State.REGISTERED,
        State.AGREED,
    ),
    "fail": (
        State.MEDIATING,
        "mediator",
        {"reason": "差距过大", "referral": "arbitration"},
        {"reason": "", "referral": "moon"},
        State.REGISTERED,
        State.FAILED,
    ),
    "follow-up": (
        State.AGREED,
        "mediator",
        {"visited_on": "TODAY", "method": "phone", "performance": "performed", "note": "已履行。"},
        {"visited_on": "not a date", "method": "phone", "performance": "performed", "note": "已履行。"},
        State.MEDIATING,
        State.FOLLOWING_UP,
    ),
    "close": (
        State.FOLLOWING_UP,
        "manager",
        {"summary": "已履行,结案。"},
        {"summary": ""},
        State.MEDIATING,
        State.CLOSED,
    ),
    "extend": (
        State.MEDIATING,
        "mediator",
        {"days": 10, "reason": "双方同意"},
        {"days": 0, "reason": "x"},
        State.AGREED,
        State.MEDIATING,
    ),
    "team": (
        State.ACCEPTED,
        "manager",
        "TEAM",
        {"committee": 999999, "legal_adviser": 0, "mediators": []},
        State.REGISTERED,
        State.ACCEPTED,
    ),
    "parties": (
        State.ACCEPTED,
        "manager",
        {"side": "third", "name": "某物业公司", "kind": "organisation"},
        {"side": "boss", "name": "x"},
        State.CLOSED,
        State.ACCEPTED,
    ),
    "sessions": (
        State.MEDIATING,
        "mediator",
        "SESSION",
        {"scheduled_at": "tomorrow", "place": ""},
        State.CLOSED,
        State.MEDIATING,
    ),
    "judicial-confirmation": (
        State.AGREED,
        "mediator",
        {"applied_on": "TODAY", "court": "张店区人民法院"},
        {"applied_on": "TODAY", "court": ""},
        State.MEDIATING,
        State.AGREED,
    ),
    "notes": (State.MEDIATING, "adviser", {"text": "已释法说理。"}, {"text": ""}, None, State.MEDIATING),
}


def _body(centre, body):
    if body == "TEAM":
        return {
            "committee": centre.committee.pk,
            "legal_adviser": centre.adviser.pk,
            "mediators": [centre.mediator2.pk],
        }
    if body == "SESSION":
        return {"scheduled_at": (timezone.now() + datetime.timedelta(days=1)).isoformat(), "place": "调解室"}
    if isinstance(body, dict):
        return {k: (_today() if v == "TODAY" else v) for k, v in body.items()}
    return body


def _snapshot(case: DisputeCase) -> tuple[Any, ...]:
    case.refresh_from_db()
    return (
        case.state,
        case.due_date,
        case.committee_id,
        CaseEvent.objects.filter(case=case).count(),
        case.parties.count(),
    )


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_transition_success(api, centre, name):
    state, who, body, _bad, _wrong, result = TRANSITIONS[name]
    case = centre.case(state)
    api.force_authenticate(getattr(centre, who))
    response = api.post(f"{BASE}/cases/{case.pk}/{name}", _body(centre, body), format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["state"] == result and data["id"] == case.pk
    assert DisputeCase.objects.get(pk=case.pk).state == result
    assert RESPONDENT_ID not in response.content.decode()  # parties are masked in every answer


@pytest.mark.parametrize("name", [n for n, spec in TRANSITIONS.items() if spec[3] is not None])
def test_transition_bad_input(api, centre, name):
    state, who, _good, bad, _wrong, _result = TRANSITIONS[name]
    case = centre.case(state)
    before = _snapshot(case)
    api.force_authenticate(getattr(centre, who))
    response = api.post(f"{BASE}/cases/{case.pk}/{name}", _body(centre, bad), format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "invalid" and response.json()["errors"]
    assert _snapshot(case) == before


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_transition_anonymous_wrong_role_other_subtree(api, centre, name):
    state, _who, body, _bad, _wrong, _result = TRANSITIONS[name]
    case = centre.case(state)
    before = _snapshot(case)
    url = f"{BASE}/cases/{case.pk}/{name}"
    assert api.post(url, _body(centre, body), format="json").status_code == 401
    api.force_authenticate(centre.outsider)
    response = api.post(url, _body(centre, body), format="json")
    assert response.status_code == 403 and response.json()["title"] == "没有权限"
    assert AuditEntry.objects.filter(action="access.denied", actor_id=centre.outsider.pk).exists()
    api.force_authenticate(centre.other_mediator)
    response = api.post(url, _body(centre, body), format="json")
    # Centre actions check the capability first (a village mediator holds it), then scope.
    assert response.status_code == 404
    assert response.json()["detail"] == "未找到该对象,或您无权查看。"
    assert _snapshot(case) == before


@pytest.mark.parametrize("name", [n for n, spec in TRANSITIONS.items() if spec[4] is not None])
def test_transition_forbidden_by_state_is_409(api, centre, name):
    _state, who, body, _bad, wrong, _result = TRANSITIONS[name]
    assert wrong is not None
    case = centre.case(wrong, title="状态不符")
    before = _snapshot(case)
    api.force_authenticate(getattr(centre, who))
    response = api.post(f"{BASE}/cases/{case.pk}/{name}", _body(centre, body), format="json")
    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "transition_not_allowed"
    assert _snapshot(case) == before


def test_fail_referral_is_limited_by_the_domain(api, centre):
    case = centre.case(State.MEDIATING)
    api.force_authenticate(centre.mediator)
    response = api.post(f"{BASE}/cases/{case.pk}/fail", {"reason": "差距过大", "referral": "police"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "referral_invalid"
    assert response.json()["field"] == "referral"
    assert DisputeCase.objects.get(pk=case.pk).state == State.MEDIATING


def test_team_work_by_non_member_is_403(api, centre):
    case = centre.case(State.MEDIATING)
    api.force_authenticate(centre.adviser2)  # MEDIATE, but not on this case's team
    response = api.post(f"{BASE}/cases/{case.pk}/fail", {"reason": "x", "referral": "court"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert DisputeCase.objects.get(pk=case.pk).state == State.MEDIATING


def test_judicial_result(api, centre):
    case = centre.case(State.AGREED)
    url = f"{BASE}/cases/{case.pk}/judicial-confirmation/result"
    api.force_authenticate(centre.mediator)
    body = {"confirmed": True, "decided_on": _today()}
    assert api.post(url, body, format="json").status_code == 400  # not applied for yet (domain rule)
    sessions.judicial_confirmation_apply(
        actor=centre.mediator, case=case, applied_on=timezone.localdate(), court="法院"
    )
    assert api.post(url, {"confirmed": "maybe"}, format="json").status_code == 400
    api.force_authenticate(centre.other_mediator)
    assert api.post(url, body, format="json").status_code == 404
    api.force_authenticate(centre.outsider)
    assert api.post(url, body, format="json").status_code == 403
    api.force_authenticate(None)
    assert api.post(url, body, format="json").status_code == 401
    api.force_authenticate(centre.mediator)
    response = api.post(url, body, format="json")
    assert response.status_code == 200
    assert response.json()["agreement"]["judicial_status"] == JudicialStatus.CONFIRMED


# --- Cases: list, create, retrieve, from-matter ---------------------------------------


def test_case_list_scoped_filtered_and_bounded(api, centre, django_assert_max_num_queries):
    for i in range(6):
        centre.case(State.MEDIATING if i % 2 else State.REGISTERED, title=f"纠纷{i}")
    centre.case(title="店子社区", node=centre.tree.grid_b1)
    api.force_authenticate(centre.manager)
    with django_assert_max_num_queries(8):
        response = api.get(f"{BASE}/cases")
    assert response.status_code == 200 and response.json()["count"] == 7
    assert api.get(f"{BASE}/cases", {"state": "mediating"}).json()["count"] == 3
    assert api.get(f"{BASE}/cases", {"village": centre.tree.village_b.pk}).json()["count"] == 1
    row = api.get(f"{BASE}/cases", {"state": "mediating"}).json()["results"][0]
    assert row["due"]["level"] == "ok" and row["source_display"] == "警源(公安移交)"
    api.force_authenticate(centre.other_mediator)
    assert api.get(f"{BASE}/cases").json()["count"] == 1
    assert api.get(f"{BASE}/cases", {"village": centre.tree.village_a.pk}).status_code == 404


@pytest.mark.parametrize(
    "params", [{"state": "x"}, {"source": "rumour"}, {"due": "later"}, {"village": "abc"}, {"q": "x" * 51}]
)
def test_case_list_bad_input(api, centre, params):
    api.force_authenticate(centre.manager)
    response = api.get(f"{BASE}/cases", params)
    assert response.status_code == 400 and set(response.json()["errors"]) == set(params)


def test_case_list_and_detail_roles(api, centre):
    case = centre.case()
    assert api.get(f"{BASE}/cases").status_code == 401
    assert api.get(f"{BASE}/cases/{case.pk}").status_code == 401
    api.force_authenticate(centre.grid_worker)
    assert api.get(f"{BASE}/cases").status_code == 403
    api.force_authenticate(centre.other_mediator)
    assert api.get(f"{BASE}/cases/{case.pk}").status_code == 404
    api.force_authenticate(centre.adviser)
    body = api.get(f"{BASE}/cases/{case.pk}").json()
    assert body["number"] == case.number and body["actions"] == []  # an adviser does not accept
    api.force_authenticate(centre.manager)
    assert "accept" in api.get(f"{BASE}/cases/{case.pk}").json()["actions"]


def _create_body(centre, **overrides):
    body = {
        "source": "police",
        "source_reference": "张公湖田警移〔2026〕021号",
        "title": "停车位纠纷",
        "description": "两户因车位占用发生争执,派出所移交。",
        "dispute_type": "property",
        "node": centre.tree.grid_a1.pk,
        "amount": "500.00",
        "parties": [
            {"side": "applicant", "name": "", "resident": centre.tree.resident_a1.pk},
            {"side": "respondent", "name": "王五", "id_number": RESPONDENT_ID, "phone": "13912345678"},
        ],
    }
    body.update(overrides)
    return body


def test_case_create(api, centre):
    api.force_authenticate(centre.manager)
    response = api.post(f"{BASE}/cases", _create_body(centre), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["state"] == "registered" and data["number"].startswith("TJ")
    assert [p["name"] for p in data["parties"]] == ["张三", "王五"]
    assert data["parties"][1]["id_number"] == RESPONDENT_ID[:3] + "*" * 13 + RESPONDENT_ID[-2:]
    assert data["parties"][1]["phone"] == "139****5678"


@pytest.mark.parametrize(
    "overrides",
    [
        {"source": "matter"},
        {"title": ""},
        {"parties": []},
        {"amount": "-1"},
        {"parties": [{"side": "applicant", "name": "甲"}, {"side": "respondent", "name": "乙", "id_number": "123"}]},
        {"node": 999999},
    ],
)
def test_case_create_bad_input(api, centre, overrides):
    api.force_authenticate(centre.manager)
    response = api.post(f"{BASE}/cases", _create_body(centre, **overrides), format="json")
    assert response.status_code == 400
    assert not DisputeCase.objects.exists()


def test_case_create_roles(api, centre):
    assert api.post(f"{BASE}/cases", _create_body(centre), format="json").status_code == 401
    api.force_authenticate(centre.adviser)
    assert api.post(f"{BASE}/cases", _create_body(centre), format="json").status_code == 403
    api.force_authenticate(centre.other_mediator)
    assert api.post(f"{BASE}/cases", _create_body(centre), format="json").status_code == 404
    assert not DisputeCase.objects.exists()


def test_from_matter(api, centre):
    matter = Matter.objects.create(
        number="SX20260105-0009",
        tracking_code="ZZZZZZZZZZ",
        node=centre.tree.unit_a1,
        title="邻里噪音纠纷",
        description="楼上夜间噪音,多次协商无果。",
        channel="web",
        reporter_name="张三",
    )
    url = f"{BASE}/cases/from-matter"
    assert api.post(url, {"matter": matter.pk}, format="json").status_code == 401
    api.force_authenticate(centre.adviser)
    assert api.post(url, {"matter": matter.pk}, format="json").status_code == 403
    api.force_authenticate(centre.other_mediator)
    assert api.post(url, {"matter": matter.pk}, format="json").status_code == 404
    api.force_authenticate(centre.manager)
    assert api.post(url, {"matter": "x"}, format="json").status_code == 400
    assert not DisputeCase.objects.exists()
    response = api.post(url, {"matter": matter.pk, "dispute_type": "neighbour"}, format="json")
    assert response.status_code == 201 and response.json()["source"] == "matter"
    assert response.json()["source_matter"] == matter.pk
    again = api.post(url, {"matter": matter.pk}, format="json")
    assert again.status_code == 200 and again.json()["id"] == response.json()["id"]


# --- Sessions, parties, agreement -------------------------------------------------------


def _session(centre, state=State.MEDIATING):
    case = centre.case(state)
    session = sessions.session_schedule(
        actor=centre.mediator, case=case, scheduled_at=timezone.now() - datetime.timedelta(hours=1), place="调解室"
    )
    return case, session


def test_session_record(api, centre):
    case, session = _session(centre, State.ACCEPTED)
    url = f"{BASE}/sessions/{session.pk}/record"
    parties = list(case.parties.values_list("pk", flat=True))
    body = {"notes": "双方到场,达成初步共识。", "parties_present": parties}
    assert api.post(url, body, format="json").status_code == 401
    api.force_authenticate(centre.outsider)
    assert api.post(url, body, format="json").status_code == 403
    api.force_authenticate(centre.other_mediator)
    assert api.post(url, body, format="json").status_code == 404
    api.force_authenticate(centre.mediator)
    assert api.post(url, {"notes": "", "parties_present": parties}, format="json").status_code == 400
    assert Session.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED
    response = api.post(url, body, format="json")
    assert response.status_code == 200 and response.json()["state"] == State.MEDIATING
    assert response.json()["sessions"][0]["status"] == "held"
    assert api.post(url, body, format="json").status_code == 400  # already held (domain rule)


def test_session_cancel_409_when_case_moved_on(api, centre):
    case, session = _session(centre)
    from grassroots.mediation.services import workflow

    workflow.dispute_fail(actor=centre.mediator, case=case, reason="放弃", referral="court")
    api.force_authenticate(centre.mediator)
    response = api.post(f"{BASE}/sessions/{session.pk}/cancel", {"reason": "不再需要"}, format="json")
    assert response.status_code == 409
    assert Session.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED
    assert api.post(f"{BASE}/sessions/{session.pk}/cancel", {"reason": ""}, format="json").status_code == 400


def test_party_reveal(api, centre):
    case = centre.case(State.MEDIATING)
    party = case.parties.get(name="王五")
    url = f"{BASE}/parties/{party.pk}/reveal"
    assert api.post(url, {"reason": "制作协议"}, format="json").status_code == 401
    api.force_authenticate(centre.outsider)
    assert api.post(url, {"reason": "制作协议"}, format="json").status_code == 403
    api.force_authenticate(centre.other_mediator)
    assert api.post(url, {"reason": "制作协议"}, format="json").status_code == 404
    api.force_authenticate(centre.adviser2)
    assert api.post(url, {"reason": "好奇"}, format="json").status_code == 403
    api.force_authenticate(centre.adviser)
    response = api.post(url, {"reason": ""}, format="json")
    assert response.status_code == 400 and response.json()["errors"]["reason"] == ["请填写查看事由。"]
    response = api.post(url, {"reason": "制作协议"}, format="json")
    assert response.status_code == 200 and response.json() == {"id_number": RESPONDENT_ID, "phone": "13912345678"}
    assert AuditEntry.objects.filter(action="data.reveal", result="success").count() == 1
    assert AuditEntry.objects.filter(action="data.reveal", result="denied").count() == 1


def test_agreement_pdf(api, centre):
    case = centre.case(State.AGREED)
    url = f"{BASE}/cases/{case.pk}/agreement"
    assert api.get(url).status_code == 401
    api.force_authenticate(centre.outsider)
    assert api.get(url).status_code == 403
    api.force_authenticate(centre.other_mediator)
    assert api.get(url).status_code == 404
    api.force_authenticate(centre.mediator)
    no_agreement = centre.case(State.MEDIATING, title="无协议")
    assert api.get(f"{BASE}/cases/{no_agreement.pk}/agreement").status_code == 404
    response = api.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="data.export", object_id=str(case.pk)).count() == 1


# --- Teams, consultations, workloads, statistics ---------------------------------------------


def test_committees(api, centre, django_assert_max_num_queries):
    url = f"{BASE}/committees"
    assert api.get(url).status_code == 401
    api.force_authenticate(centre.outsider)
    assert api.get(url).status_code == 403
    api.force_authenticate(centre.adviser)
    with django_assert_max_num_queries(4):
        assert [c["name"] for c in api.get(url).json()["results"]] == ["湖田街道人民调解委员会"]
    assert api.post(url, {"name": "西张村调委会", "node": centre.tree.village_a.pk}, format="json").status_code == 403
    api.force_authenticate(centre.other_mediator)
    assert api.post(url, {"name": "西张村调委会", "node": centre.tree.village_a.pk}, format="json").status_code == 404
    api.force_authenticate(centre.manager)
    assert api.post(url, {"name": "", "node": centre.tree.village_a.pk}, format="json").status_code == 400
    response = api.post(url, {"name": "西张村调委会", "node": centre.tree.village_a.pk}, format="json")
    assert response.status_code == 201 and response.json()["node_label"] == "西张村"
    assert Committee.objects.count() == 2


def test_grid_advisers(api, centre, django_assert_max_num_queries):
    url = f"{BASE}/grid-advisers"
    assert api.get(url).status_code == 401
    api.force_authenticate(centre.grid_worker)
    assert api.get(url).status_code == 403
    api.force_authenticate(centre.mediator)
    with django_assert_max_num_queries(4):
        rows = api.get(url).json()["results"]
    assert [(r["grid"], r["adviser"]) for r in rows] == [(centre.tree.grid_a1.pk, centre.adviser.pk)]
    body = {"grid": centre.tree.grid_a2.pk, "adviser": centre.adviser2.pk}
    api.force_authenticate(centre.adviser)
    assert api.post(url, body, format="json").status_code == 403
    api.force_authenticate(centre.other_mediator)
    assert api.post(url, body, format="json").status_code == 404
    api.force_authenticate(centre.manager)
    assert (
        api.post(url, {"grid": centre.tree.grid_a2.pk, "adviser": centre.mediator.pk}, format="json").status_code == 400
    )
    assert api.post(url, body, format="json").status_code == 201
    assert GridAdviser.objects.get(grid=centre.tree.grid_a2, until__isnull=True).adviser == centre.adviser2


def test_consultations(api, centre, make_user, django_assert_max_num_queries):
    from grassroots.accounts.roles import Role

    url = f"{BASE}/consultations"
    body = {
        "grid": centre.tree.grid_a1.pk,
        "consulted_on": _today(),
        "category": "labour",
        "topic": "工伤认定",
        "asker_name": "王秀兰",
        "advice": "先申请工伤认定,再主张赔偿。",
    }
    assert api.post(url, body, format="json").status_code == 401
    api.force_authenticate(centre.mediator)  # no LEGAL_CONSULT
    assert api.post(url, body, format="json").status_code == 403
    api.force_authenticate(make_user(Role.LEGAL_ADVISER, centre.tree.village_b, username="lawyer_b"))
    assert api.post(url, body, format="json").status_code == 404
    api.force_authenticate(centre.adviser)
    assert api.post(url, {**body, "category": "astrology"}, format="json").status_code == 400
    assert not Consultation.objects.exists()
    response = api.post(url, body, format="json")
    assert response.status_code == 201 and response.json()["asker_name"] == "王**"
    consultations.consultation_log(
        actor=centre.adviser,
        grid=centre.tree.grid_a1,
        consulted_on=timezone.localdate(),
        category="family",
        topic="继承",
        asker_name="李四",
        advice="按法定继承处理。",
    )
    with django_assert_max_num_queries(4):
        assert api.get(url).json()["count"] == 2
    api.force_authenticate(centre.adviser2)
    assert api.get(url).json()["count"] == 0  # an adviser sees their own
    api.force_authenticate(centre.grid_worker)
    assert api.get(url).status_code == 403


def test_workloads(api, centre, django_assert_max_num_queries):
    centre.case(State.MEDIATING)
    url = f"{BASE}/workloads"
    assert api.get(url).status_code == 401
    api.force_authenticate(centre.outsider)
    assert api.get(url).status_code == 403
    api.force_authenticate(centre.manager)
    with django_assert_max_num_queries(8):
        rows = {r["user"]["username"]: r for r in api.get(url).json()}
    assert rows["mediator"]["open_cases"] == 1 and rows["lawyer"]["grids"] == 1
    api.force_authenticate(centre.other_mediator)
    assert {r["user"]["username"]: r["open_cases"] for r in api.get(url).json()}["mediator"] == 0


def test_stats(api, centre, django_assert_max_num_queries):
    centre.case(State.CLOSED)
    centre.case(State.FAILED, title="不成", node=centre.tree.grid_b1)
    url = f"{BASE}/stats"
    assert api.get(url).status_code == 401
    api.force_authenticate(centre.adviser)
    assert api.get(url).status_code == 403
    api.force_authenticate(centre.manager)
    assert api.get(url, {"start": "yesterday"}).status_code == 400
    assert api.get(url, {"start": "2026-02-01", "end": "2026-01-01"}).status_code == 400
    with django_assert_max_num_queries(14):
        body = api.get(url).json()
    assert body["total"]["total"] == 2 and body["total"]["agreement_rate"] == 50.0
    assert {r["key"]: r["total"] for r in body["by_source"]}["police"] == 2
    api.force_authenticate(centre.other_mediator)
    assert api.get(url).json()["total"]["total"] == 1


def test_openapi_documents_the_mediation_api(api):
    response = api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path in (
        "/api/v1/mediation/cases",
        "/api/v1/mediation/cases/{id}/accept",
        "/api/v1/mediation/cases/{id}/judicial-confirmation/result",
        "/api/v1/mediation/sessions/{id}/record",
        "/api/v1/mediation/parties/{id}/reveal",
        "/api/v1/mediation/stats",
    ):
        assert path in paths, path
    tags = {tag for item in paths["/api/v1/mediation/cases/{id}/accept"].values() for tag in item.get("tags", [])}
    assert tags == {"矛盾纠纷调解"}
