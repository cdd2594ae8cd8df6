"""Notification and commitment (告知承诺): the generated commitment replaces
the capital-verification report, is signed, verified after approval (a
follow-up for window staff when due) and revokes the registration if false."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from grassroots.accounts.roles import Role
from grassroots.core.errors import DomainError
from grassroots.core.models import AuditEntry, Notification
from grassroots.registration.models import Certificate, Commitment, MaterialStatus, Organisation
from grassroots.registration.selectors.applications import application_checklist, case_requirements
from grassroots.registration.services import applications as apps
from grassroots.registration.services import commitments
from grassroots.registration.states import COMMITMENT_TABLE, CommitmentAction, CommitmentState, State
from grassroots.testing.factories import UserFactory
from grassroots.testing.workflow import all_pairs, assert_table, check_pair, pair_ids

from . import support_applications as support

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    return support.Clock(monkeypatch)


@pytest.fixture
def user(db):
    return support.staff()


def test_create_replaces_the_capital_report_and_switches_the_funds_proof(clock):
    application = support.draft()
    commitment = commitments.commitment_create(actor=None, application=application)
    assert commitment.status == Commitment.Status.PENDING_SIGNATURE
    assert [r.code for r in commitment.replaces.all()] == ["capital-report"]
    assert "以本承诺书替代《验资报告》" in commitment.text
    assert "人民币100,000.00元" in commitment.text
    application.refresh_from_db()
    assert application.answers["funds_proof"] == "commitment"
    codes = [r.code for r in case_requirements(application)]
    assert "capital-report" not in codes
    assert "funds-commitment" in codes
    assert commitments.commitment_pdf(commitment=commitment).startswith(b"%PDF")


def test_create_again_regenerates_an_unsigned_commitment(clock):
    application = support.draft()
    first = commitments.commitment_create(actor=None, application=application)
    apps.application_update(
        application=application, data=support.pne_input(funds="200000", answers={"funds_proof": "commitment"})
    )
    second = commitments.commitment_create(actor=None, application=application)
    assert second.pk == first.pk
    assert "人民币200,000.00元" in second.text


def test_nothing_replaceable_nothing_to_commit(clock):
    services = support.services()
    renewal = apps.application_create(service=services["renewal"], data=support.pne_input())
    with pytest.raises(DomainError, match="没有可以告知承诺替代"):
        commitments.commitment_create(actor=None, application=renewal)
    assert Commitment.objects.count() == 0


def test_sign_makes_the_signed_copy_the_commitment_material(clock, user):
    application = support.draft(user)
    commitment = support.sign_commitment(application, user)
    assert commitment.status == Commitment.Status.SIGNED
    assert commitment.signed_copy is not None
    assert commitment.signed_copy.extra_kind == "commitment"
    item = next(i for i in application_checklist(application).items if i.code == "funds-commitment")
    assert item.material == commitment.signed_copy
    assert item.status == MaterialStatus.PENDING
    event = application.events.get(action="commitment_sign")
    assert event.actor == user
    assert event.on_behalf_of == "王秀英"


def test_sign_twice_is_refused(clock):
    application = support.draft()
    commitment = support.sign_commitment(application)
    with pytest.raises(DomainError) as caught:
        commitments.commitment_sign(actor=None, commitment=commitment, signed_copy_file=support.pdf())
    assert caught.value.status == 409
    assert application.materials.filter(extra_kind="commitment").count() == 1


def test_a_signed_commitment_cannot_be_regenerated(clock):
    application = support.draft()
    commitment = support.sign_commitment(application)
    with pytest.raises(DomainError, match="已签署"):
        commitments.commitment_create(actor=None, application=application)
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.SIGNED


def test_a_signed_commitment_stays_the_funds_proof_when_the_form_changes(clock):
    application = support.draft()
    support.sign_commitment(application)
    apps.application_update(application=application, data=support.pne_input(answers={"funds_proof": "capital_report"}))
    application.refresh_from_db()
    assert application.answers["funds_proof"] == "commitment"


def test_an_agent_signs_only_with_an_authorisation_letter(clock):
    application = support.draft(agent_name="王小明")
    with pytest.raises(DomainError, match="授权委托书"):
        commitments.commitment_create(actor=None, application=application)
    assert Commitment.objects.count() == 0


def _approved_with_commitment(user, clock):
    application = support.draft(user)
    support.upload_all(application, actor=user, skip=("capital-report",))
    support.sign_commitment(application, user)
    apps.application_submit(application=application, actor=user)
    support.review_all_ok(application, user)
    apps.application_accept(actor=user, application=application)
    apps.application_approve(actor=user, application=application)
    application.refresh_from_db()
    return application


def test_approval_sets_the_verification_due_date_in_working_days(clock, user):
    application = _approved_with_commitment(user, clock)
    assert application.state == State.ISSUED
    commitment = Commitment.objects.get(application=application)
    # 20 working days after Monday 28 September 2026, across National Day.
    assert commitment.verification_due == datetime.date(2026, 10, 30)


def test_follow_up_notifies_window_staff_once_when_due(clock, user):
    colleague = support.staff("window2", display_name="窗口赵敏")
    application = _approved_with_commitment(user, clock)
    assert commitments.commitments_follow_up(today=datetime.date(2026, 10, 29)) == 0
    assert commitments.commitments_follow_up(today=datetime.date(2026, 10, 30)) == 2
    assert commitments.commitments_follow_up(today=datetime.date(2026, 11, 2)) == 0
    messages = Notification.objects.filter(channel="inapp", subject__startswith="告知承诺待核查")
    assert {m.recipient for m in messages} == {user, colleague}
    assert messages.get(recipient=user).link == f"/registration/applications/{application.pk}/"


def test_verified_true_closes_the_follow_up(clock, user):
    application = _approved_with_commitment(user, clock)
    commitment = Commitment.objects.get(application=application)
    commitments.commitment_verify(actor=user, commitment=commitment, truthful=True, note="银行流水显示资金已到位")
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.VERIFIED
    assert commitment.verified_by == user
    assert commitments.commitments_follow_up(today=datetime.date(2026, 11, 30)) == 0


def test_found_false_revokes_the_registration(clock, user):
    application = _approved_with_commitment(user, clock)
    commitment = Commitment.objects.get(application=application)
    commitments.commitment_verify(actor=user, commitment=commitment, truthful=False, note="开办资金未到位")
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.FALSE
    organisation = Organisation.objects.get(pk=application.organisation_id)
    assert organisation.status == Organisation.Status.REVOKED
    assert Certificate.objects.get(organisation=organisation).status == Certificate.Status.REVOKED
    assert "撤销登记" in application.events.get(action="commitment_verify").text


def test_false_needs_a_note_and_the_decide_capability(clock, user):
    application = _approved_with_commitment(user, clock)
    commitment = Commitment.objects.get(application=application)
    with pytest.raises(DomainError, match="必须写明"):
        commitments.commitment_verify(actor=user, commitment=commitment, truthful=False, note="")
    other = UserFactory(role=Role.SUBDISTRICT_STAFF)
    with pytest.raises(DomainError) as caught:
        commitments.commitment_verify(actor=other, commitment=commitment, truthful=False, note="不实")
    assert caught.value.status == 403
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.SIGNED
    assert Organisation.objects.get(pk=application.organisation_id).status == Organisation.Status.ACTIVE


def test_verification_waits_for_approval(clock, user):
    application = support.draft(user)
    commitment = support.sign_commitment(application, user)
    with pytest.raises(DomainError, match="准予登记后"):
        commitments.commitment_verify(actor=user, commitment=commitment, truthful=True, note="")
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.SIGNED


def test_the_beat_task_runs_the_follow_up(clock, user):
    from grassroots.registration.tasks.applications import follow_up_commitments

    _approved_with_commitment(user, clock)
    clock.day(datetime.date(2026, 11, 2))
    assert follow_up_commitments.delay().get() == 1
    assert follow_up_commitments.delay().get() == 0


# --- The bank deposit voucher under 告知承诺制 ----------------------------------------------


def test_bank_voucher_is_a_labelled_material_with_a_commitment(clock, user):
    # 验资报告告知承诺制: the commitment replaces the report, a bank deposit voucher proves the funds.
    application = support.draft(answers={"needs_supervisor": True, "funds_proof": "commitment", "premises": "leased"})
    checklist = application_checklist(application)
    assert checklist.funds_by_commitment
    assert "银行存款凭证" not in [item.name for item in checklist.all_items]  # optional: no gap when absent
    material = apps.material_upload(
        application=application, extra_kind="bank_voucher", file=support.pdf("存款凭证.pdf")
    )
    line = next(item for item in application_checklist(application).extras if item.material == material)
    assert line.name == "银行存款凭证"
    assert line.status == MaterialStatus.PENDING
    assert application.events.filter(action="upload", text__contains="上传材料:银行存款凭证").exists()
    # A second voucher replaces the first (one current file), unlike 其他材料.
    newer = apps.material_upload(application=application, extra_kind="bank_voucher", file=support.pdf("新凭证.pdf"))
    vouchers = [item for item in application_checklist(application).extras if item.name == "银行存款凭证"]
    assert [item.material for item in vouchers] == [newer]
    # The window reviews it like any material.
    apps.application_submit(application=application, actor=user, confirm_incomplete=True)
    apps.application_review(
        actor=user, application=application, verdicts=[apps.Verdict(status="ok", material_id=newer.pk)]
    )
    newer.refresh_from_db()
    assert newer.status == MaterialStatus.OK


def test_bank_voucher_extra_needs_a_commitment_case(clock):
    application = support.draft()  # proves its funds with a capital-verification report
    assert not application_checklist(application).funds_by_commitment
    with pytest.raises(DomainError) as caught:
        apps.material_upload(application=application, extra_kind="bank_voucher", file=support.pdf())
    assert caught.value.code == "bank_voucher_not_commitment"
    assert not application.materials.exists()
    # Generating a commitment switches the case: the voucher may go with it.
    commitments.commitment_create(actor=None, application=application)
    assert application_checklist(application).funds_by_commitment
    apps.material_upload(application=application, extra_kind="bank_voucher", file=support.pdf())
    assert application.materials.filter(extra_kind="bank_voucher").count() == 1


def test_upload_form_offers_the_voucher_only_with_a_commitment(client, clock):
    with_commitment = support.draft(
        answers={"needs_supervisor": True, "funds_proof": "commitment", "premises": "leased"}
    )
    html = client.get(f"/socialorg/track/{with_commitment.tracking_code}/").content.decode()
    assert '<option value="bank_voucher">银行存款凭证' in html
    with_report = support.draft(org_name="湖田书画院")
    html = client.get(f"/socialorg/track/{with_report.tracking_code}/").content.decode()
    assert 'value="bank_voucher"' not in html
    response = client.post(
        f"/socialorg/track/{with_commitment.tracking_code}/act/upload/",
        {"upload-target": "bank_voucher", "upload-file": support.pdf("存款凭证.pdf")},
    )
    assert response.status_code == 302
    assert with_commitment.materials.get().extra_kind == "bank_voucher"


def test_api_accepts_the_voucher_kind(clock):
    from rest_framework.test import APIClient

    application = support.draft(answers={"needs_supervisor": True, "funds_proof": "commitment", "premises": "leased"})
    response = APIClient().post(
        f"/api/v1/registration/public/applications/{application.tracking_code}/materials",
        {"extra_kind": "bank_voucher", "file": support.pdf("存款凭证.pdf")},
        format="multipart",
    )
    assert response.status_code == 201
    checklist = response.json()["checklist"]
    assert checklist["funds_by_commitment"] is True
    assert "银行存款凭证" in [item["name"] for item in checklist["extras"]]


# --- The commitment's table (states.COMMITMENT_TABLE), every pair ------------------

COMMITMENT_PAIRS = all_pairs(CommitmentAction, CommitmentState)


def _commitment_in(state: str, user: Any, clock: Any) -> Commitment:
    if state == CommitmentState.PENDING_SIGNATURE:
        return commitments.commitment_create(actor=user, application=support.draft(user))
    if state == CommitmentState.SIGNED:
        return Commitment.objects.get(application=_approved_with_commitment(user, clock))
    commitment = Commitment.objects.get(application=_approved_with_commitment(user, clock))
    truthful = state == CommitmentState.VERIFIED
    return commitments.commitment_verify(actor=user, commitment=commitment, truthful=truthful, note="已核查银行流水")


def test_commitment_table():
    expected = {
        (CommitmentAction.SIGN, CommitmentState.PENDING_SIGNATURE),
        (CommitmentAction.CONFIRM, CommitmentState.SIGNED),
        (CommitmentAction.REFUTE, CommitmentState.SIGNED),
    }
    assert_table(COMMITMENT_TABLE, actions=CommitmentAction, states=CommitmentState, expected=expected)


@pytest.mark.parametrize(("action", "state"), COMMITMENT_PAIRS, ids=pair_ids(COMMITMENT_PAIRS))
def test_commitment_every_pair(clock, user, action, state):
    commitment = _commitment_in(state, user, clock)
    if action == CommitmentAction.SIGN:

        def perform() -> Any:
            return commitments.commitment_sign(actor=user, commitment=commitment, signed_copy_file=support.pdf())
    else:
        truthful = action == CommitmentAction.CONFIRM

        def perform() -> Any:
            return commitments.commitment_verify(actor=user, commitment=commitment, truthful=truthful, note="核查")

    check_pair(
        COMMITMENT_TABLE,
        action=action,
        state=state,
        obj=commitment,
        perform=perform,
        snapshot=lambda: (
            Commitment.objects.values_list("status", "signed_at", "verified_at").get(pk=commitment.pk),
            commitment.application.events.count(),
            AuditEntry.objects.count(),
        ),
        state_field="status",
        code=None,  # an application that is no longer editable refuses a signature first
    )
