"""Application pages: the staff queue, 帮办 filing, the detail page and its
htmx actions, documents; the applicant's apply and tracking pages."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.registration.models import Application, Commitment, MaterialRequirement, MaterialStatus
from grassroots.registration.selectors.applications import application_checklist
from grassroots.registration.services import applications as apps
from grassroots.registration.states import State
from grassroots.testing.factories import UserFactory

from . import support_applications as support

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def clock(monkeypatch):
    return support.Clock(monkeypatch)


@pytest.fixture
def user(db):
    return support.staff()


@pytest.fixture
def staff_client(client, user):
    client.force_login(user)
    return client


# --- Queue ----------------------------------------------------------------------


def test_queue_needs_login_and_the_window_role(client, clock):
    url = reverse("registration:app-list")
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    client.force_login(UserFactory(role=Role.GRID_WORKER))
    assert client.get(url).status_code == 403


def test_queue_lists_with_clocks_and_filters(staff_client, user, clock, django_assert_max_num_queries):
    late = support.submitted(user, org_name="逾期初审的协会")
    support.draft(None, org_name="网上自填草稿协会")
    assisted_draft = support.draft(user, org_name="帮办草稿")
    accepted = support.accepted(user, org_name="已受理的艺术团")
    clock.day(datetime.date(2026, 10, 12))
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("registration:app-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "逾期初审的协会" in html
    assert "帮办草稿" in html
    assert "网上自填草稿协会" not in html  # the applicant's own until submitted
    assert "逾期未告知,视为受理" in html
    response = staff_client.get(reverse("registration:app-list"), {"overdue": "review"}, **HTMX)
    rows = response.context["rows"]
    assert [row.application for row in rows] == [late]
    response = staff_client.get(reverse("registration:app-list"), {"state": "accepted"})
    assert [row.application for row in response.context["rows"]] == [accepted]
    response = staff_client.get(reverse("registration:app-list"), {"assisted": "0", "state": "draft"})
    assert list(response.context["rows"]) == []
    response = staff_client.get(reverse("registration:app-list"), {"q": assisted_draft.tracking_code})
    assert [row.application for row in response.context["rows"]] == [assisted_draft]


def test_queue_warns_one_working_day_before_the_review_due(staff_client, user, clock):
    support.submitted(user)
    clock.day(datetime.date(2026, 10, 9))  # due Saturday 10 October (make-up working day)
    html = staff_client.get(reverse("registration:app-list")).content.decode()
    assert "剩 1 个工作日" in html
    assert "text-bg-warning" in html


# --- 帮办 -------------------------------------------------------------------------


def test_new_shows_the_services_then_the_form(staff_client, clock):
    response = staff_client.get(reverse("registration:app-new"))
    assert "民办非企业单位(法人)成立登记" in response.content.decode()
    response = staff_client.get(reverse("registration:app-new"), {"service": "pne-establish"})
    assert response.status_code == 200
    assert "资金用什么证明?" in response.content.decode()
    assert "agent_name" not in response.context["form"].fields


def _form_data(**overrides):
    data = {
        "org_name": "湖田颐养服务中心",
        "field": "养老服务",
        "address": "张店区湖田街道西张村 18 号",
        "supervising_unit": "张店区民政局",
        "funds": "100000",
        "legal_representative": "王秀英",
        "applicant_name": "王秀英",
        "applicant_phone": support.PHONE,
        "pne_form": "legal",
        "direct": "no",
        "funds_proof": "capital_report",
        "premises": "leased",
    }
    data.update(overrides)
    return data


def test_new_from_an_appointment_is_prefilled_and_linked(staff_client, user, clock):
    from grassroots.registration.models import Window
    from grassroots.registration.services.appointments import appointment_book
    from grassroots.registration.services.slots import slots_for

    service = support.pne_service()
    slot = next(s for s in slots_for(window=Window.objects.get(), date=datetime.date(2026, 9, 29)) if not s.full)
    appointment, _ = appointment_book(
        slot=slot.slot, date=datetime.date(2026, 9, 29), service=service, name="王秀英", phone=support.PHONE
    )
    url = reverse("registration:app-new") + f"?appointment={appointment.pk}"
    response = staff_client.get(url)
    form = response.context["form"]
    assert form.initial["applicant_name"] == "王秀英"
    assert form.initial["applicant_phone"] == support.PHONE
    response = staff_client.post(url, {**_form_data(), "appointment": appointment.pk})
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registration:app-detail", args=[application.pk])
    assert application.assisted is True
    assert application.appointment == appointment
    assert application.events.get().on_behalf_of == "王秀英"


def test_new_with_bad_input_shows_errors_and_creates_nothing(staff_client, clock):
    url = reverse("registration:app-new") + "?service=pne-establish"
    response = staff_client.post(url, _form_data(applicant_phone="12345", funds_proof=""))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "funds_proof" in errors
    assert Application.objects.count() == 0
    response = staff_client.post(url, _form_data(applicant_phone="12345"))
    assert response.status_code == 400
    assert "手机号码" in response.context["form"].errors["applicant_phone"][0]
    assert Application.objects.count() == 0


def test_unknown_appointment_is_404(staff_client, clock):
    assert staff_client.get(reverse("registration:app-new") + "?appointment=999").status_code == 404


# --- Detail and actions ---------------------------------------------------------


def test_detail_shows_only_what_the_state_allows(staff_client, user, clock):
    application = support.submitted(user)
    response = staff_client.get(reverse("registration:app-detail", args=[application.pk]))
    assert response.status_code == 200
    names = response.context["action_names"]
    assert names == ["review", "return", "accept", "withdraw"]
    html = response.content.decode()
    assert 'data-testid="review-form"' in html
    assert "初审期限" in html
    assert "2026年10月10日" in html


def test_detail_of_unknown_application_is_404(staff_client, clock):
    assert staff_client.get(reverse("registration:app-detail", args=[999])).status_code == 404


def _post(client, application, name, data=None, **extra):
    url = reverse("registration:app-action", args=[application.pk, name])
    return client.post(url, {"seen_state": application.state, **(data or {})}, **extra)


def test_review_return_and_notice_through_htmx(staff_client, user, clock):
    application = support.submitted(user, skip=("supervisor-approval",))
    checklist = application_checklist(application)
    data: dict[str, str] = {}
    for item in checklist.all_items:
        if item.material is not None:
            data[f"review-s_{item.key}"] = MaterialStatus.OK
    supervisor = next(i for i in checklist.items if i.code == "supervisor-approval")
    data[f"review-s_{supervisor.key}"] = MaterialStatus.MISSING
    data[f"review-why_{supervisor.key}"] = "请提交张店区民政局的审查同意文件"
    response = _post(staff_client, application, "review", data, **HTMX)
    assert response.status_code == 200
    assert response.context["notice"] == "审查结论已记录。"
    response = _post(staff_client, application, "return", **HTMX)
    assert "已退回补正" in response.context["notice"]
    application.refresh_from_db()
    assert application.state == State.RETURNED
    notice = application.return_notices.get()
    pdf = staff_client.get(reverse("registration:app-return-notice-pdf", args=[application.pk, notice.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_forbidden_action_is_409_and_changes_nothing(staff_client, user, clock):
    application = support.submitted(user)
    response = _post(staff_client, application, "approve")
    assert response.status_code == 409
    assert "不能准予登记" in response.context["error"]
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_stale_page_is_refused(staff_client, user, clock):
    application = support.submitted(user)
    support.review_all_ok(application, user)
    response = staff_client.post(
        reverse("registration:app-action", args=[application.pk, "accept"]), {"seen_state": "draft"}
    )
    assert response.status_code == 409
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_action_needs_the_capability(client, user, clock):
    application = support.submitted(user)
    client.force_login(UserFactory(role=Role.VILLAGE_STAFF))
    response = _post(client, application, "accept")
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_domain_error_becomes_a_form_error(staff_client, user, clock):
    application = support.submitted(user)
    response = _post(staff_client, application, "accept", **HTMX)
    assert response.status_code == 200
    assert "尚未审查" in response.context["error"]
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_upload_commitment_and_approve_without_javascript(staff_client, user, clock):
    application = support.draft(user)
    requirement = MaterialRequirement.objects.get(service=application.service, code="charter")
    response = _post(
        staff_client, application, "upload", {"upload-target": f"r{requirement.pk}", "upload-file": support.pdf()}
    )
    assert response.status_code == 302
    assert application.materials.count() == 1
    _post(staff_client, application, "commitment-create")
    assert Commitment.objects.filter(application=application).exists()
    pdf = staff_client.get(reverse("registration:app-commitment-pdf", args=[application.pk]))
    assert pdf.content.startswith(b"%PDF")
    response = _post(
        staff_client, application, "commitment-sign", {"commitment_sign-signed_copy": support.pdf("签字.pdf")}
    )
    assert response.status_code == 302
    assert Commitment.objects.get(application=application).status == Commitment.Status.SIGNED


def test_decisions_through_the_page(staff_client, user, clock):
    application = support.accepted(user)
    response = _post(
        staff_client, application, "suspend", {"suspend-kind": "hearing", "suspend-reason": "举行听证"}, **HTMX
    )
    assert response.context["notice"] == "已中止计时。"
    application.refresh_from_db()
    response = _post(staff_client, application, "resume", {}, **HTMX)
    assert response.context["notice"] == "已恢复计时,期限已顺延。"
    application.refresh_from_db()
    response = _post(staff_client, application, "approve", {"approve-reason": "符合条件"}, **HTMX)
    assert response.context["notice"] == "已准予登记。"
    application.refresh_from_db()
    assert application.state == State.ISSUED
    html = response.content.decode()
    assert application.organisation is not None
    assert application.organisation.credit_code in html
    acceptance = staff_client.get(reverse("registration:app-acceptance-pdf", args=[application.pk]))
    assert acceptance.content.startswith(b"%PDF")


def test_edit_page(staff_client, user, clock):
    application = support.draft(user)
    url = reverse("registration:app-edit", args=[application.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, _form_data(org_name="湖田颐养中心"))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.org_name == "湖田颐养中心"
    submitted = support.submitted(user, org_name="已提交的")
    response = staff_client.get(reverse("registration:app-edit", args=[submitted.pk]))
    assert response.status_code == 302


def test_material_file_is_served_to_staff(staff_client, user, clock):
    application = support.submitted(user)
    material = application.materials.get(requirement__code="charter")
    response = staff_client.get(reverse("registration:app-material", args=[application.pk, material.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert staff_client.get(reverse("registration:app-material", args=[application.pk, 99999])).status_code == 404


# --- Applicant pages ------------------------------------------------------------


def test_apply_online_and_get_a_tracking_page(client, clock):
    support.services()
    response = client.get(reverse("registration-public:app-apply"))
    assert "民办非企业单位(法人)成立登记" in response.content.decode()
    url = reverse("registration-public:app-apply-form", args=["pne-establish"])
    assert client.get(url).status_code == 200
    response = client.post(url, _form_data())
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/socialorg/track/{application.tracking_code}/"
    assert application.assisted is False
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "业务主管单位的批准文件" in html
    assert 'data-testid="missing-materials"' in html  # nothing uploaded yet: the warning, not "材料已备齐"


def test_unknown_service_or_code_is_404(client, clock):
    support.services()
    assert client.get(reverse("registration-public:app-apply-form", args=["nope"])).status_code == 404
    assert client.get(reverse("registration-public:app-track", args=["AAAABBBBCCCC"])).status_code == 404
    response = client.post(reverse("registration-public:app-track-lookup"), {"code": "AAAA-BBBB-CCCC"})
    assert response.status_code == 404


def test_lookup_redirects_to_the_tracking_page(client, clock):
    application = support.draft()
    response = client.post(reverse("registration-public:app-track-lookup"), {"code": application.tracking_code.lower()})
    assert response.status_code == 302
    assert response["Location"] == f"/socialorg/track/{application.tracking_code}/"


def test_applicant_uploads_signs_and_submits(client, clock):
    application = support.draft()
    checklist = application_checklist(application)
    act = lambda name: reverse("registration-public:app-public-action", args=[application.tracking_code, name])  # noqa: E731
    for item in checklist.items:
        if item.code == "capital-report":
            continue
        response = client.post(act("upload"), {"upload-target": item.key, "upload-file": support.pdf()})
        assert response.status_code == 302
    assert application.materials.count() == len([i for i in checklist.items if i.code != "capital-report"])
    client.post(act("commitment-create"))
    pdf = client.get(reverse("registration-public:app-public-commitment-pdf", args=[application.tracking_code]))
    assert pdf.content.startswith(b"%PDF")
    client.post(act("commitment-sign"), {"commitment_sign-signed_copy": support.pdf("签字.pdf")})
    response = client.post(act("submit"))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert all(e.actor is None for e in application.events.all())
    page = client.get(reverse("registration-public:app-track", args=[application.tracking_code]))
    assert "窗口正在初审" in page.content.decode()


def test_applicant_action_errors_show_on_the_page(client, clock):
    application = support.draft()
    url = reverse("registration-public:app-public-action", args=[application.tracking_code, "upload"])
    response = client.post(url, {"upload-target": "other", "upload-file": support.not_a_pdf()})
    assert response.status_code == 400
    assert "不是照片或 PDF" in response.content.decode()
    assert application.materials.count() == 0
    submitted = support.submitted(org_name="已提交的协会")
    url = reverse("registration-public:app-public-action", args=[submitted.tracking_code, "submit"])
    events = submitted.events.count()
    assert client.post(url).status_code == 409
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED
    assert submitted.events.count() == events  # refused: nothing written


def test_returned_applicant_sees_every_item_and_the_notice(client, user, clock):
    application = support.returned(user)
    page = client.get(reverse("registration-public:app-track", args=[application.tracking_code]))
    html = page.content.decode()
    assert "补正告知书" in html
    assert "业务主管单位的批准文件" in html
    notice = application.return_notices.get()
    pdf = client.get(
        reverse("registration-public:app-public-return-notice-pdf", args=[application.tracking_code, notice.pk])
    )
    assert pdf.content.startswith(b"%PDF")
    assert (
        client.get(
            reverse("registration-public:app-public-return-notice-pdf", args=["AAAABBBBCCCC", notice.pk])
        ).status_code
        == 404
    )


def test_large_type_is_remembered_in_a_cookie(client, clock):
    application = support.draft()
    client.cookies["largetype"] = "1"
    html = client.get(reverse("registration-public:app-track", args=[application.tracking_code])).content.decode()
    assert 'class="reg-public large-type"' in html
    assert "registration/largetype.js" in html


def test_public_pages_show_no_staff_names(client, user, clock):
    application = support.returned(user)
    html = client.get(reverse("registration-public:app-track", args=[application.tracking_code])).content.decode()
    assert "窗口李芳" not in html
    assert "登记窗口" in html


def test_public_edit(client, clock):
    application = support.draft()
    url = reverse("registration-public:app-public-edit", args=[application.tracking_code])
    assert client.get(url).status_code == 200
    response = client.post(url, _form_data(agent_name=""))
    assert response.status_code == 302
    apps.application_submit(application=application, confirm_incomplete=True)
    assert client.get(url).status_code == 302


def test_queue_survives_a_clock_in_an_uncovered_year(staff_client, user, clock):
    clock.day(datetime.date(2026, 11, 25))
    application = support.accepted(user)
    assert application.statutory_due is None  # 2027 is not in the calendar
    apps.clock_suspend(actor=user, application=application, kind="hearing", reason="听证")
    response = staff_client.get(reverse("registration:app-list"))
    assert response.status_code == 200
    assert 'data-testid="clock-unknown"' in response.content.decode()
    detail = staff_client.get(reverse("registration:app-detail", args=[application.pk]))
    assert "节假日安排尚未录入" in detail.content.decode()
