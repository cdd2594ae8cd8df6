"""/api/v1/registration/applications …: every endpoint's success, bad input,
anonymous 401, wrong role 403, unknown 404 (tracking code for the public
endpoints) and forbidden transition 409."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.registration.models import Application, Commitment, MaterialRequirement, MaterialStatus
from grassroots.registration.selectors.applications import application_checklist
from grassroots.registration.services import applications as apps
from grassroots.registration.states import State
from grassroots.testing.factories import UserFactory

from . import support_applications as support

pytestmark = pytest.mark.django_db

STAFF_ACTIONS = [
    "submit",
    "resubmit",
    "review",
    "return",
    "accept",
    "suspend",
    "resume",
    "extend",
    "approve",
    "refuse",
    "withdraw",
    "commitment",
    "commitment-sign",
    "commitment-verify",
]
PUBLIC_ACTIONS = ["submit", "resubmit", "withdraw", "commitment", "commitment-sign"]


@pytest.fixture
def clock(monkeypatch):
    return support.Clock(monkeypatch)


@pytest.fixture
def user(db):
    return support.staff()


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _url(name: str, **kwargs: Any) -> str:
    return reverse(f"api:app-{name}", kwargs=kwargs)


def _create_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "service": "pne-establish",
        "org_name": "湖田颐养服务中心",
        "supervising_unit": "张店区民政局",
        "funds": "100000.00",
        "applicant_name": "王秀英",
        "applicant_phone": support.PHONE,
        "answers": {
            "needs_supervisor": True,
            "funds_proof": "capital_report",
            "premises": "leased",
            "pne_form": "legal",
        },
    }
    body.update(overrides)
    return body


# --- Authorisation matrix ---------------------------------------------------------


def _staff_endpoints(pk: int) -> list[tuple[str, str]]:
    endpoints = [("get", _url("list")), ("post", _url("list")), ("get", _url("detail", pk=pk))]
    endpoints += [("post", _url("update", pk=pk)), ("post", _url("materials", pk=pk))]
    endpoints += [("post", _url(name, pk=pk)) for name in STAFF_ACTIONS]
    return endpoints


def test_every_staff_endpoint_refuses_anonymous_with_401(clock):
    application = support.draft()
    client = APIClient()
    for method, url in _staff_endpoints(application.pk):
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code == 401, url
        assert response["Content-Type"] == "application/problem+json"
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_every_staff_endpoint_refuses_a_wrong_role_with_403(clock):
    application = support.draft()
    client = APIClient()
    client.force_authenticate(UserFactory(role=Role.GRID_WORKER))
    for method, url in _staff_endpoints(application.pk):
        assert getattr(client, method)(url, {}, format="json").status_code == 403, url
    application.refresh_from_db()
    assert application.state == State.DRAFT


@pytest.mark.parametrize("name", ["extend", "approve", "refuse"])
def test_decisions_need_window_decide_before_anything_else(clock, name, monkeypatch):
    from grassroots.accounts import roles

    # An installation that separates clerks from approvers.
    monkeypatch.setitem(roles.ROLE_CAPABILITIES, Role.WINDOW_STAFF, frozenset({roles.Capability.WINDOW_WORK}))
    clerk = support.staff("clerk")
    application = support.accepted(clerk)
    client = APIClient()
    client.force_authenticate(clerk)
    assert client.post(_url(name, pk=application.pk), {"reason": "x"}, format="json").status_code == 403
    application.refresh_from_db()
    assert application.state == State.ACCEPTED


def test_unknown_application_is_404_everywhere(api, clock):
    for method, url in _staff_endpoints(99999)[2:]:
        assert getattr(api, method)(url, {}, format="json").status_code == 404, url


# --- Staff success and input ------------------------------------------------------


def test_list_with_filters(api, user, clock):
    support.submitted(user, org_name="初审中的协会")
    support.accepted(user, org_name="已受理的中心")
    response = api.get(_url("list"), {"state": "accepted"})
    assert response.status_code == 200
    assert [row["org_name"] for row in response.json()["results"]] == ["已受理的中心"]
    assert len(api.get(_url("list"), {"assisted": "true"}).json()["results"]) == 2
    assert api.get(_url("list"), {"assisted": "false"}).json()["results"] == []


def test_staff_create_is_assisted(api, user, clock):
    response = api.post(_url("list"), _create_body(), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["assisted"] is True
    assert body["applicant_phone"] == "138****8000"
    assert body["events"][0]["on_behalf_of"] == "王秀英"
    assert [item["requirement_code"] for item in body["checklist"]["items"]][:2] == [
        "application",
        "supervisor-approval",
    ]


def test_staff_create_bad_input(api, clock):
    response = api.post(_url("list"), _create_body(service="nope", applicant_phone=""), format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"service", "applicant_phone"}
    response = api.post(_url("list"), _create_body(applicant_phone="123"), format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "applicant_phone"
    assert Application.objects.count() == 0


def test_update_and_upload(api, user, clock):
    application = support.draft(user)
    response = api.post(
        _url("update", pk=application.pk), {**_create_body(), "address": "店子社区 1 号"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["address"] == "店子社区 1 号"
    requirement = MaterialRequirement.objects.get(service=application.service, code="charter")
    response = api.post(
        _url("materials", pk=application.pk), {"requirement": requirement.pk, "file": support.pdf()}, format="multipart"
    )
    assert response.status_code == 201
    item = next(i for i in response.json()["checklist"]["items"] if i["requirement_code"] == "charter")
    assert item["status"] == "pending"
    assert len(item["material"]["sha256"]) == 64


def test_upload_bad_input(api, user, clock):
    application = support.draft(user)
    assert (
        api.post(_url("materials", pk=application.pk), {"extra_kind": "other"}, format="multipart").status_code == 400
    )
    response = api.post(
        _url("materials", pk=application.pk), {"extra_kind": "other", "file": support.not_a_pdf()}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "file"
    other = MaterialRequirement.objects.get(service__code="social-group-establish", code="charter")
    response = api.post(
        _url("materials", pk=application.pk), {"requirement": other.pk, "file": support.pdf()}, format="multipart"
    )
    assert response.status_code == 400
    assert application.materials.count() == 0


def test_the_whole_flow_through_the_api(api, user, clock):
    application = support.draft(user)
    support.upload_all(application, actor=user, skip=("supervisor-approval",))
    assert api.post(_url("submit", pk=application.pk), {"confirm_incomplete": True}, format="json").status_code == 200
    checklist = application_checklist(Application.objects.get(pk=application.pk))
    verdicts = [{"material": i.material.pk, "status": "ok"} for i in checklist.all_items if i.material]
    supervisor = next(i for i in checklist.items if i.code == "supervisor-approval")
    supervisor_pk = int(supervisor.key[1:])
    verdicts.append({"requirement": supervisor_pk, "status": "missing", "reason": "缺少业务主管单位批准文件"})
    assert api.post(_url("review", pk=application.pk), {"verdicts": verdicts}, format="json").status_code == 200
    body = api.post(_url("return", pk=application.pk), format="json").json()
    assert body["state"] == "returned"
    assert body["return_notices"][0]["items"][0]["reason"] == "缺少业务主管单位批准文件"
    response = api.post(
        _url("materials", pk=application.pk),
        {"requirement": supervisor_pk, "file": support.pdf("批准文件.pdf")},
        format="multipart",
    )
    assert response.status_code == 201
    assert api.post(_url("resubmit", pk=application.pk), format="json").json()["state"] == "submitted"
    support.review_all_ok(Application.objects.get(pk=application.pk), user)
    body = api.post(_url("accept", pk=application.pk), format="json").json()
    assert body["number"] == "SZ2026092800001"
    assert body["clock"]["statutory"]["level"] == "ok"
    clock.day(datetime.date(2026, 9, 30))
    body = api.post(_url("suspend", pk=application.pk), {"kind": "expert", "reason": "专家评审"}, format="json").json()
    assert body["state"] == "suspended"
    assert body["clock"]["statutory"]["level"] == "stopped"
    clock.day(datetime.date(2026, 10, 9))
    body = api.post(_url("resume", pk=application.pk), {}, format="json").json()
    assert body["statutory_due"] == "2026-11-26"
    body = api.post(_url("extend", pk=application.pk), {"reason": "需实地核查"}, format="json").json()
    assert body["statutory_due"] == "2026-12-10"
    body = api.post(_url("approve", pk=application.pk), {"reason": "符合条件"}, format="json").json()
    assert body["state"] == "issued"
    assert len(body["credit_code"]) == 18


def test_refuse_and_withdraw(api, user, clock):
    accepted = support.accepted(user)
    assert api.post(_url("refuse", pk=accepted.pk), {"reason": ""}, format="json").status_code == 400
    body = api.post(_url("refuse", pk=accepted.pk), {"reason": "不符合登记条件"}, format="json").json()
    assert body["state"] == "refused"
    draft = support.draft(user, org_name="撤回的协会")
    assert api.post(_url("withdraw", pk=draft.pk), {}, format="json").json()["state"] == "withdrawn"


def test_review_bad_input(api, user, clock):
    application = support.submitted(user)
    assert api.post(_url("review", pk=application.pk), {"verdicts": []}, format="json").status_code == 400
    material = application.materials.get(requirement__code="charter")
    response = api.post(
        _url("review", pk=application.pk), {"verdicts": [{"material": material.pk, "status": "wrong"}]}, format="json"
    )
    assert response.status_code == 400
    assert "理由" in response.json()["detail"]
    material.refresh_from_db()
    assert material.status == MaterialStatus.PENDING


def test_suspend_bad_input(api, user, clock):
    application = support.accepted(user)
    assert (
        api.post(_url("suspend", pk=application.pk), {"kind": "extension", "reason": "x"}, format="json").status_code
        == 400
    )
    assert api.post(_url("extend", pk=application.pk), {}, format="json").status_code == 400
    application.refresh_from_db()
    assert application.state == State.ACCEPTED


def test_commitment_endpoints(api, user, clock):
    application = support.draft(user)
    body = api.post(_url("commitment", pk=application.pk), format="json").json()
    assert body["commitment"]["status"] == "pending"
    assert body["commitment"]["replaces"] == ["capital-report"]
    assert api.post(_url("commitment-sign", pk=application.pk), {}, format="multipart").status_code == 400
    response = api.post(_url("commitment-sign", pk=application.pk), {"signed_copy": support.pdf()}, format="multipart")
    assert response.json()["commitment"]["status"] == "signed"
    assert api.post(_url("commitment-verify", pk=application.pk), {"truthful": True}, format="json").status_code == 409
    assert api.post(_url("commitment-verify", pk=application.pk), {}, format="json").status_code == 400
    assert Commitment.objects.get().status == Commitment.Status.SIGNED


def test_commitment_sign_without_commitment_is_refused(api, user, clock):
    application = support.draft(user)
    response = api.post(_url("commitment-sign", pk=application.pk), {"signed_copy": support.pdf()}, format="multipart")
    assert response.status_code == 400
    assert application.materials.count() == 0


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("submit", {}),
        ("resubmit", {}),
        ("return", {}),
        ("accept", {}),
        ("suspend", {"kind": "hearing", "reason": "听证"}),
        ("resume", {}),
        ("extend", {"reason": "需要更多时间"}),
        ("approve", {}),
        ("refuse", {"reason": "不符合条件"}),
        ("commitment", {}),
    ],
)
def test_forbidden_transitions_are_409(api, user, clock, name, body):
    application = (
        support.submitted(user)
        if name in {"submit", "resubmit", "suspend", "resume", "extend", "approve", "refuse", "commitment"}
        else support.draft(user)
    )
    before = application.state
    response = api.post(_url(name, pk=application.pk), body, format="json")
    assert response.status_code == 409, response.json()
    assert response["Content-Type"] == "application/problem+json"
    application.refresh_from_db()
    assert application.state == before


def test_withdraw_after_the_decision_is_409(api, user, clock):
    application = support.accepted(user)
    apps.application_refuse(actor=user, application=application, reason="不符合条件")
    assert api.post(_url("withdraw", pk=application.pk), {}, format="json").status_code == 409


# --- Public -----------------------------------------------------------------------


def _public_endpoints(code: str) -> list[tuple[str, str]]:
    endpoints = [("get", _url("public-detail", code=code)), ("post", _url("public-update", code=code))]
    endpoints += [("post", _url("public-materials", code=code))]
    endpoints += [("post", _url(f"public-{name}", code=code)) for name in PUBLIC_ACTIONS]
    return endpoints


def test_unknown_tracking_code_is_404_everywhere(clock):
    support.draft()
    client = APIClient()
    for method, url in _public_endpoints("AAAABBBBCCCC"):
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"


def test_public_create_and_read_by_code(clock):
    support.services()
    client = APIClient()
    response = client.post(_url("public-create"), _create_body(), format="json")
    assert response.status_code == 201
    body = response.json()
    code = body["tracking_code"]
    assert len(code) == 14
    assert body["actions"] == ["edit", "upload", "commitment-create", "submit", "withdraw"]
    assert "applicant_phone" not in body
    response = client.get(_url("public-detail", code=code.replace("-", "").lower()))
    assert response.status_code == 200
    assert response.json()["org_name"] == "湖田颐养服务中心"


def test_public_create_bad_input(clock):
    support.services()
    client = APIClient()
    response = client.post(_url("public-create"), _create_body(service="change"), format="json")
    assert response.status_code == 400
    response = client.post(_url("public-create"), _create_body(answers={"funds_proof": "cash"}), format="json")
    assert response.status_code == 400
    assert Application.objects.count() == 0


def test_public_flow_with_an_agent(user, clock):
    support.services()
    client = APIClient()
    code = client.post(_url("public-create"), _create_body(agent_name="王小明"), format="json").json()["tracking_code"]
    application = Application.objects.get()
    charter = MaterialRequirement.objects.get(service=application.service, code="charter")
    response = client.post(
        _url("public-materials", code=code), {"requirement": charter.pk, "file": support.pdf()}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "authorisation_required"
    response = client.post(
        _url("public-materials", code=code),
        {"requirement": charter.pk, "file": support.pdf(), "authorisation_letter": support.pdf("委托书.pdf")},
        format="multipart",
    )
    assert response.status_code == 201
    assert client.post(_url("public-commitment", code=code), format="json").status_code == 200
    response = client.post(
        _url("public-commitment-sign", code=code), {"signed_copy": support.pdf()}, format="multipart"
    )
    assert response.json()["commitment"]["status"] == "signed"
    missing = client.post(_url("public-submit", code=code), format="json")
    assert missing.status_code == 409 and missing.json()["code"] == "materials_missing"
    body = client.post(_url("public-submit", code=code), {"confirm_incomplete": True}, format="json").json()
    assert body["state"] == "submitted"
    uploads = [event for event in body["events"] if event["action"] == "upload"]
    assert {event["actor_label"] for event in uploads} == {"代理人王小明"}
    assert {event["on_behalf_of"] for event in uploads} == {"王秀英"}
    assert client.post(_url("public-submit", code=code), format="json").status_code == 409
    assert (
        client.post(_url("public-withdraw", code=code), {"reason": "暂缓"}, format="json").json()["state"]
        == "withdrawn"
    )


def test_public_events_hide_staff_names(user, clock):
    application = support.returned(user)
    body = APIClient().get(_url("public-detail", code=application.tracking_code)).json()
    labels = {event["actor_label"] for event in body["events"]}
    assert "窗口李芳" not in labels
    assert "登记窗口" in labels
    assert all(event["action"] != "review" for event in body["events"])


def test_public_writes_are_rate_limited(clock, monkeypatch):
    support.services()
    client = APIClient()
    monkeypatch.setattr("grassroots.registration.api.applications_public.CREATE_RATE", "1/h")
    assert client.post(_url("public-create"), _create_body(), format="json").status_code == 201
    response = client.post(_url("public-create"), _create_body(org_name="第二个"), format="json")
    assert response.status_code == 429
    assert Application.objects.count() == 1
