"""Preliminary review, the one return notice (补正告知书) and acceptance
(《行政许可法》第三十二条)."""

from __future__ import annotations

import datetime

import pytest

from grassroots.core.errors import DomainError
from grassroots.core.models import Notification
from grassroots.registration.models import ApplicationMaterial, MaterialRequirement, MaterialStatus, ReturnNotice
from grassroots.registration.selectors.applications import application_checklist
from grassroots.registration.services import applications as apps
from grassroots.registration.services.review_documents import (
    acceptance_context,
    acceptance_notice_pdf,
    return_notice_pdf,
)
from grassroots.registration.states import State

from . import support_applications as support

pytestmark = pytest.mark.django_db

OK, MISSING, WRONG = MaterialStatus.OK, MaterialStatus.MISSING, MaterialStatus.WRONG


@pytest.fixture
def clock(monkeypatch):
    return support.Clock(monkeypatch)


@pytest.fixture
def user(db):
    return support.staff()


def _item(application, code):
    return next(i for i in application_checklist(application).items if i.requirement and i.requirement.code == code)


def _material(application, code):
    material = _item(application, code).material
    assert material is not None
    return material


def test_verdicts_are_stored_per_material(clock, user):
    application = support.submitted(user)
    charter = _material(application, "charter")
    apps.application_review(
        actor=user,
        application=application,
        verdicts=[apps.Verdict(status=WRONG, reason="章程未写明业务范围", material_id=charter.pk)],
    )
    charter.refresh_from_db()
    assert charter.status == WRONG
    assert charter.review_reason == "章程未写明业务范围"
    event = application.events.get(action="review")
    assert event.public is False
    assert event.data["materials"][str(charter.pk)]["status"] == WRONG


def test_a_missing_or_wrong_verdict_needs_a_reason(clock, user):
    application = support.submitted(user)
    charter = _material(application, "charter")
    with pytest.raises(DomainError, match="必须写明理由"):
        apps.application_review(
            actor=user, application=application, verdicts=[apps.Verdict(status=WRONG, material_id=charter.pk)]
        )
    charter.refresh_from_db()
    assert charter.status == MaterialStatus.PENDING


def test_nothing_uploaded_cannot_be_judged_compliant(clock, user):
    application = support.submitted(user, skip=("supervisor-approval",))
    requirement = MaterialRequirement.objects.get(service=application.service, code="supervisor-approval")
    with pytest.raises(DomainError, match="尚未上传"):
        apps.application_review(
            actor=user, application=application, verdicts=[apps.Verdict(status=OK, requirement_id=requirement.pk)]
        )
    assert not application.events.filter(action="review").exists()


def test_review_needs_window_staff(clock, user):
    from grassroots.accounts.roles import Role
    from grassroots.testing.factories import UserFactory

    application = support.submitted(user)
    charter = _material(application, "charter")
    with pytest.raises(DomainError) as caught:
        apps.application_review(
            actor=UserFactory(role=Role.VILLAGE_STAFF),
            application=application,
            verdicts=[apps.Verdict(status=OK, material_id=charter.pk)],
        )
    assert caught.value.status == 403
    charter.refresh_from_db()
    assert charter.status == MaterialStatus.PENDING


def test_return_lists_every_missing_and_wrong_item_in_one_notice(clock, user, django_capture_on_commit_callbacks):
    application = support.submitted(user, skip=("supervisor-approval", "capital-report"))
    support.review_all_ok(application, user)
    charter = _material(application, "charter")
    supervisor = MaterialRequirement.objects.get(service=application.service, code="supervisor-approval")
    apps.application_review(
        actor=user,
        application=application,
        verdicts=[
            apps.Verdict(status=WRONG, reason="章程缺少理事会产生程序", material_id=charter.pk),
            apps.Verdict(status=MISSING, reason="需张店区民政局出具的审查同意文件", requirement_id=supervisor.pk),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        notice = apps.application_return(actor=user, application=application)
    application.refresh_from_db()
    assert application.state == State.RETURNED
    names = {item["name"]: item for item in notice.items}
    assert set(names) == {"业务主管单位的批准文件", "验资报告", "章程草案"}
    assert names["业务主管单位的批准文件"]["reason"] == "需张店区民政局出具的审查同意文件"
    assert names["章程草案"]["problem"] == "wrong"
    # Not reviewed explicitly, but nothing was uploaded: listed anyway, with the commitment hint.
    assert names["验资报告"]["problem"] == "missing"
    assert "告知承诺书" in names["验资报告"]["reason"]
    assert notice.number == "BZ2026092800001"
    assert notice.within_statutory_period is True
    sms = Notification.objects.get(channel="sms", dedupe_key=f"reg-app-{application.pk}-returned-{notice.pk}")
    assert "3 项" in sms.body
    assert return_notice_pdf(notice=notice).startswith(b"%PDF")


def test_return_needs_every_material_reviewed(clock, user):
    application = support.submitted(user, skip=("supervisor-approval",))
    with pytest.raises(DomainError, match="尚未审查"):
        apps.application_return(actor=user, application=application)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert ReturnNotice.objects.count() == 0


def test_nothing_to_correct_is_not_returned(clock, user):
    application = support.submitted(user)
    support.review_all_ok(application, user)
    with pytest.raises(DomainError, match="无需补正"):
        apps.application_return(actor=user, application=application)
    assert ReturnNotice.objects.count() == 0


def test_a_late_return_is_recorded_as_late(clock, user):
    application = support.submitted(user, skip=("supervisor-approval",))
    support.review_all_ok(application, user)
    clock.day(datetime.date(2026, 10, 12))  # review was due on Saturday 10 October
    notice = apps.application_return(actor=user, application=application)
    assert notice.within_statutory_period is False


def test_an_agent_without_letter_is_told_so(clock, user):
    application = support.submitted(user, agent_name="王小明", confirm=True)
    support.review_all_ok(application, user)
    notice = apps.application_return(actor=user, application=application)
    assert [item["name"] for item in notice.items] == ["授权委托书"]


def test_resubmission_supersedes_old_files_and_keeps_their_verdicts(clock, user):
    application = support.submitted(user)
    support.review_all_ok(application, user)
    charter = _material(application, "charter")
    apps.application_review(
        actor=user,
        application=application,
        verdicts=[apps.Verdict(status=WRONG, reason="缺少签字", material_id=charter.pk)],
    )
    apps.application_return(actor=user, application=application)
    requirement = MaterialRequirement.objects.get(service=application.service, code="charter")
    new = apps.material_upload(application=application, requirement=requirement, file=support.pdf("章程签字版.pdf"))
    apps.application_resubmit(application=application)
    charter.refresh_from_db()
    assert charter.superseded is True
    assert charter.status == WRONG
    assert charter.review_reason == "缺少签字"
    item = _item(application, "charter")
    assert item.material == new
    assert item.status == MaterialStatus.PENDING
    assert item.history == [charter]
    # The rest stays as judged in the first round.
    assert _item(application, "application").status == OK


def test_a_material_cleared_in_an_earlier_round_cannot_be_objected_to_later(clock, user):
    application = support.returned(user)
    requirement = MaterialRequirement.objects.get(service=application.service, code="supervisor-approval")
    apps.material_upload(application=application, requirement=requirement, file=support.pdf(), actor=user)
    apps.application_resubmit(application=application, actor=user)
    charter = _material(application, "charter")
    with pytest.raises(DomainError) as caught:
        apps.application_review(
            actor=user,
            application=application,
            verdicts=[apps.Verdict(status=WRONG, reason="新发现的问题", material_id=charter.pk)],
        )
    assert caught.value.code == "already_cleared"
    charter.refresh_from_db()
    assert charter.status == OK


def test_requirement_verdicts_of_an_earlier_round_do_not_linger(clock, user):
    application = support.returned(user)
    assert _item(application, "supervisor-approval").status == "absent"
    requirement = MaterialRequirement.objects.get(service=application.service, code="supervisor-approval")
    apps.material_upload(application=application, requirement=requirement, file=support.pdf(), actor=user)
    apps.application_resubmit(application=application, actor=user)
    assert _item(application, "supervisor-approval").status == MaterialStatus.PENDING


# --- Acceptance -----------------------------------------------------------------


def test_accept_assigns_the_number_and_working_day_due_dates(clock, user, django_capture_on_commit_callbacks):
    application = support.submitted(user)
    support.review_all_ok(application, user)
    with django_capture_on_commit_callbacks(execute=True):
        apps.application_accept(actor=user, application=application)
    application.refresh_from_db()
    assert application.state == State.ACCEPTED
    assert application.number == "SZ2026092800001"
    assert application.accepted_on == datetime.date(2026, 9, 28)
    # 36 working days across National Day (10 October is a make-up working day).
    assert application.statutory_due == datetime.date(2026, 11, 23)
    assert application.promised_due == datetime.date(2026, 9, 29)
    assert application.due_provisional is False
    sms = Notification.objects.get(channel="sms", dedupe_key=f"reg-app-{application.pk}-accepted")
    assert "SZ2026092800001" in sms.body
    assert acceptance_notice_pdf(application=application).startswith(b"%PDF")


def test_acceptance_numbers_run_per_day(clock, user):
    first = support.accepted(user)
    second = support.accepted(user, org_name="湖田书画艺术团")
    clock.day(datetime.date(2026, 9, 29))
    third = support.accepted(user, org_name="湖田健身协会")
    assert [first.number, second.number, third.number] == [
        "SZ2026092800001",
        "SZ2026092800002",
        "SZ2026092900001",
    ]


def test_incomplete_materials_are_not_accepted(clock, user):
    application = support.submitted(user, skip=("supervisor-approval",))
    support.review_all_ok(application, user)
    with pytest.raises(DomainError, match="业务主管单位的批准文件"):
        apps.application_accept(actor=user, application=application)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert application.number is None


def test_materials_must_be_reviewed_before_acceptance(clock, user):
    application = support.submitted(user)
    with pytest.raises(DomainError, match="尚未审查"):
        apps.application_accept(actor=user, application=application)
    application.refresh_from_db()
    assert application.number is None


def test_after_five_working_days_the_application_is_deemed_accepted_as_of_receipt(clock, user):
    application = support.submitted(user, skip=("supervisor-approval",))
    clock.day(datetime.date(2026, 10, 12))
    apps.application_accept(actor=user, application=application)
    application.refresh_from_db()
    assert application.state == State.ACCEPTED
    assert application.accepted_on == datetime.date(2026, 9, 28)
    assert application.statutory_due == datetime.date(2026, 11, 23)
    event = application.events.get(action="accept")
    assert event.data["deemed"] is True
    assert "视为受理" in event.text
    assert acceptance_context(application=application)["deemed"] is True


def test_uncovered_calendar_leaves_due_dates_open_but_accepts(clock, user):
    clock.day(datetime.date(2026, 12, 1))
    application = support.submitted(user)
    support.review_all_ok(application, user)
    apps.application_accept(actor=user, application=application)
    application.refresh_from_db()
    assert application.state == State.ACCEPTED
    assert application.statutory_due is None
    assert application.due_provisional is True
    assert "节假日安排尚未录入" in application.events.get(action="accept").text


def test_a_deleted_file_row_is_never_needed_for_history(clock, user):
    # Superseded rows stay: the history of a requirement is complete.
    application = support.draft(user)
    requirement = MaterialRequirement.objects.get(service=application.service, code="charter")
    for n in range(3):
        apps.material_upload(
            application=application, requirement=requirement, file=support.pdf(f"章程{n}.pdf"), actor=user
        )
    assert ApplicationMaterial.objects.filter(requirement=requirement).count() == 3
    assert ApplicationMaterial.objects.filter(requirement=requirement, superseded=False).count() == 1
