"""Applications: online by the applicant or at the window on their behalf
(帮办), materials per requirement with sha256, the agent's authorisation
letter, submission with the Art. 32 clock, resubmission and withdrawal."""

from __future__ import annotations

import datetime
import hashlib

import pytest

from grassroots.accounts.roles import Role
from grassroots.core.audit import Action as AuditAction
from grassroots.core.errors import DomainError
from grassroots.core.models import AuditEntry, Notification
from grassroots.registration.models import Application, ApplicationEvent, ApplicationMaterial, MaterialRequirement
from grassroots.registration.selectors.applications import application_checklist, case_requirements
from grassroots.registration.services import applications as apps
from grassroots.registration.services.workflow import (
    TRACKING_ALPHABET,
    format_tracking_code,
    parse_tracking_code,
)
from grassroots.registration.states import State
from grassroots.testing.factories import UserFactory

from . import support_applications as support

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    return support.Clock(monkeypatch)


def _requirement(application: Application, code: str) -> MaterialRequirement:
    return MaterialRequirement.objects.get(service=application.service, code=code)


# --- Create ---------------------------------------------------------------------


def test_applicant_creates_a_draft_online(clock):
    application = support.draft()
    assert application.state == State.DRAFT
    assert application.assisted is False
    assert application.created_by is None
    assert len(application.tracking_code) == 12
    assert set(application.tracking_code) <= set(TRACKING_ALPHABET)
    assert application.answers["funds_proof"] == "capital_report"
    assert application.answers["pne_form"] == "legal"
    event = application.events.get()
    assert event.action == "create"
    assert event.actor is None
    assert event.actor_label == "申请人王秀英"
    assert event.on_behalf_of == ""
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="registration.Application").count() == 1


def test_staff_files_on_the_applicants_behalf(clock):
    user = support.staff()
    application = apps.application_create(
        service=support.pne_service(), data=support.pne_input(), actor=user, on_behalf_of="王秀英"
    )
    assert application.assisted is True
    assert application.created_by == user
    event = application.events.get()
    assert event.actor == user
    assert event.actor_label == "窗口李芳"
    assert event.on_behalf_of == "王秀英"


def test_staff_from_an_appointment(clock):
    from grassroots.registration.models import Window
    from grassroots.registration.services.appointments import appointment_book
    from grassroots.registration.services.slots import slots_for

    service = support.pne_service()
    window = Window.objects.get()
    slot = next(s for s in slots_for(window=window, date=datetime.date(2026, 9, 29)) if not s.full)
    appointment, _token = appointment_book(
        slot=slot.slot, date=datetime.date(2026, 9, 29), service=service, name="王秀英", phone=support.PHONE
    )
    application = apps.application_create(
        service=service, data=support.pne_input(), actor=support.staff(), appointment=appointment
    )
    assert application.appointment == appointment
    assert application.events.get().data["appointment"] == appointment.pk


def test_window_role_is_needed_to_file_for_someone(clock):
    grid_worker = UserFactory(role=Role.GRID_WORKER)
    with pytest.raises(DomainError) as caught:
        apps.application_create(service=support.pne_service(), data=support.pne_input(), actor=grid_worker)
    assert caught.value.status == 403
    assert Application.objects.count() == 0


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"org_name": "  "}, "org_name", "请填写组织名称"),
        ({"applicant_phone": "0533-1234"}, "applicant_phone", "手机号码"),
        ({"applicant_id_number": "110105194912310021"}, "applicant_id_number", "身份证号码不正确"),
        ({"org_type": "social_group"}, "org_type", "只适用于"),
        ({"answers": {"funds_proof": "cash"}}, "funds_proof", "资金证明方式无效"),
        ({"answers": {"premises": "castle"}}, "premises", "住所情况无效"),
        ({"funds": -1}, "funds", "不小于0"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message(clock, override, field, message):
    with pytest.raises(DomainError) as caught:
        support.draft(**override)
    assert caught.value.field == field
    assert message in caught.value.message
    assert Application.objects.count() == 0


def test_a_service_not_online_cannot_be_applied_for_online(clock):
    change = support.services()["change"]
    with pytest.raises(DomainError, match="不能网上申请"):
        apps.application_create(service=change, data=support.pne_input(org_type=""))
    assert Application.objects.count() == 0


def test_tracking_codes_read_out_and_parse_back():
    assert format_tracking_code("7K3M9QX2PAB4") == "7K3M-9QX2-PAB4"
    assert parse_tracking_code(" 7k3m-9qx2 pab4 ") == "7K3M9QX2PAB4"


def test_update_while_draft_records_the_changed_fields(clock):
    application = support.draft()
    apps.application_update(
        application=application,
        data=support.pne_input(address="张店区湖田街道店子社区 3 号", answers={"premises": "owned"}),
    )
    application.refresh_from_db()
    assert application.address == "张店区湖田街道店子社区 3 号"
    assert application.answers["premises"] == "owned"
    event = application.events.get(action="update")
    assert "address" in event.data["fields"]


def test_update_after_submission_is_refused(clock):
    application = support.submitted()
    with pytest.raises(DomainError) as caught:
        apps.application_update(application=application, data=support.pne_input(address="别处"))
    assert caught.value.status == 409
    application.refresh_from_db()
    assert application.address == "张店区湖田街道西张村 18 号"


# --- Materials ------------------------------------------------------------------


def test_material_upload_stores_sha256_and_who_for_whom(clock):
    user = support.staff()
    application = support.draft(user)
    upload = support.pdf("申请书.pdf")
    content = upload.read()
    upload.seek(0)
    material = apps.material_upload(
        application=application, requirement=_requirement(application, "application"), file=upload, actor=user
    )
    assert material.sha256 == hashlib.sha256(content).hexdigest()
    assert material.content_type == "application/pdf"
    assert material.uploaded_by == user
    assert material.on_behalf_of == "王秀英"
    assert material.file.read() == content
    event = application.events.get(action="upload")
    assert event.on_behalf_of == "王秀英"
    assert event.data["sha256"] == material.sha256


def test_a_new_upload_supersedes_the_old_file_of_the_same_requirement(clock):
    application = support.draft()
    requirement = _requirement(application, "charter")
    first = apps.material_upload(application=application, requirement=requirement, file=support.pdf("章程1.pdf"))
    second = apps.material_upload(application=application, requirement=requirement, file=support.pdf("章程2.pdf"))
    first.refresh_from_db()
    assert first.superseded is True
    assert second.superseded is False
    item = next(i for i in application_checklist(application).items if i.requirement == requirement)
    assert item.material == second
    assert item.history == [first]


def test_a_file_that_is_not_a_photo_or_pdf_is_refused(clock):
    application = support.draft()
    with pytest.raises(DomainError) as caught:
        apps.material_upload(
            application=application, requirement=_requirement(application, "charter"), file=support.not_a_pdf()
        )
    assert caught.value.field == "file"
    assert ApplicationMaterial.objects.count() == 0


def test_a_requirement_of_another_service_is_refused(clock):
    application = support.draft()
    other = MaterialRequirement.objects.get(service__code="social-group-establish", code="charter")
    with pytest.raises(DomainError, match="不属于本申请事项"):
        apps.material_upload(application=application, requirement=other, file=support.pdf())
    assert ApplicationMaterial.objects.count() == 0


def test_the_commitment_material_is_signed_not_uploaded(clock):
    application = support.draft(answers={"funds_proof": "commitment"})
    with pytest.raises(DomainError, match="告知承诺书"):
        apps.material_upload(
            application=application, requirement=_requirement(application, "funds-commitment"), file=support.pdf()
        )
    assert ApplicationMaterial.objects.count() == 0


def test_an_agent_must_upload_an_authorisation_letter_first(clock):
    application = support.draft(agent_name="王小明")
    charter = _requirement(application, "charter")
    with pytest.raises(DomainError) as caught:
        apps.material_upload(application=application, requirement=charter, file=support.pdf())
    assert caught.value.code == "authorisation_required"
    assert ApplicationMaterial.objects.count() == 0
    material = apps.material_upload(
        application=application,
        requirement=charter,
        file=support.pdf("章程.pdf"),
        authorisation_letter=support.pdf("授权委托书.pdf"),
    )
    assert material.on_behalf_of == "王秀英"
    letter = ApplicationMaterial.objects.get(extra_kind="authorisation")
    assert letter.original_name == "授权委托书.pdf"
    upload_events = application.events.filter(action="upload")
    assert {e.actor_label for e in upload_events} == {"代理人王小明"}
    assert {e.on_behalf_of for e in upload_events} == {"王秀英"}


def test_staff_need_no_authorisation_letter(clock):
    user = support.staff()
    application = support.draft(user, agent_name="王小明")
    apps.material_upload(
        application=application, requirement=_requirement(application, "charter"), file=support.pdf(), actor=user
    )
    assert ApplicationMaterial.objects.count() == 1


def test_an_agent_cannot_submit_without_the_letter(clock):
    application = support.draft(agent_name="王小明")
    with pytest.raises(DomainError, match="授权委托书"):
        apps.application_submit(application=application)
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_no_uploads_after_submission(clock):
    application = support.submitted()
    count = ApplicationMaterial.objects.count()
    with pytest.raises(DomainError) as caught:
        apps.material_upload(
            application=application, requirement=_requirement(application, "charter"), file=support.pdf()
        )
    assert caught.value.status == 409
    assert ApplicationMaterial.objects.count() == count


# --- Case requirements ----------------------------------------------------------


def test_case_requirements_follow_the_answers(clock):
    leased = support.draft(answers={"needs_supervisor": True, "funds_proof": "capital_report", "premises": "leased"})
    codes = [r.code for r in case_requirements(leased)]
    assert "supervisor-approval" in codes
    assert "capital-report" in codes
    assert "premises-use" in codes
    direct = support.draft(
        org_name="湖田社区服务中心",
        answers={"needs_supervisor": False, "funds_proof": "bank_voucher", "premises": "owned"},
    )
    codes = [r.code for r in case_requirements(direct)]
    assert "supervisor-approval" not in codes
    assert "capital-report" not in codes
    assert "bank-voucher" in codes
    assert "premises-use" not in codes


# --- Submit, resubmit, withdraw -------------------------------------------------


def test_submit_starts_the_five_working_day_review_clock(clock, django_capture_on_commit_callbacks):
    support.staff()
    application = support.draft()
    support.upload_all(application)
    with django_capture_on_commit_callbacks(execute=True):
        apps.application_submit(application=application)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    # Received Monday 28 September 2026: 29, 30 Sep, 8, 9 and the make-up Saturday 10 Oct.
    assert application.review_due == datetime.date(2026, 10, 10)
    assert application.first_submitted_at == application.submitted_at
    sms = Notification.objects.get(channel="sms", dedupe_key=f"reg-app-{application.pk}-submitted-1")
    assert "5个工作日" in sms.body
    assert sms.link == f"/socialorg/track/{application.tracking_code}/"
    staff_message = Notification.objects.get(channel="inapp")
    assert application.org_name in staff_message.subject


def test_resubmission_restarts_review_and_keeps_the_first_submission_time(clock):
    user = support.staff()
    application = support.returned(user)
    first = application.first_submitted_at
    clock.day(datetime.date(2026, 10, 12))
    apps.material_upload(
        application=application,
        requirement=_requirement(application, "supervisor-approval"),
        file=support.pdf(),
        actor=user,
    )
    apps.application_resubmit(application=application, actor=user)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert application.first_submitted_at == first
    assert application.review_due == datetime.date(2026, 10, 19)
    assert ApplicationEvent.objects.filter(application=application, action="resubmit").exists()


def test_applicant_withdraws_with_a_reason(clock):
    application = support.submitted()
    apps.application_withdraw(application=application, reason="决定暂缓成立")
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    event = application.events.get(action="withdraw")
    assert event.data["reason"] == "决定暂缓成立"
    assert event.actor is None
