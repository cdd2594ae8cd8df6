"""Registering cases and parties, and the workflow services' own rules
(the state table itself is covered by test_states.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from grassroots.core.crypto import blind_index
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.models import AuditEntry
from grassroots.mediation.errors import MediationError, TransitionNotAllowed
from grassroots.mediation.models import (
    Agreement,
    CaseEvent,
    DisputeCase,
    FollowUpMethod,
    Outcome,
    Party,
    PartyKind,
    PartySide,
    Performance,
    Referral,
    Source,
)
from grassroots.mediation.services import cases, workflow
from grassroots.mediation.states import State

from .conftest import RESPONDENT_ID, case_input

pytestmark = pytest.mark.django_db


def test_register_police_case_copies_path_and_numbers_by_year(centre):
    case = cases.dispute_register(actor=centre.manager, data=case_input(centre))
    year = timezone.localdate().year
    assert case.number == f"TJ{year}-0001"
    assert case.state == State.REGISTERED and case.source == Source.POLICE
    assert case.path == centre.tree.unit_a1.path
    assert case.amount == Decimal("3000.00")
    second = cases.dispute_register(actor=centre.manager, data=case_input(centre, title="另一件"))
    assert second.number == f"TJ{year}-0002"
    created = CaseEvent.objects.get(case=case, kind="created")
    assert created.actor == centre.manager and created.to_state == State.REGISTERED
    assert AuditEntry.objects.filter(action="data.create", object_type="mediation.DisputeCase").count() == 2


def test_register_copies_resident_and_encrypts_personal_data(centre):
    case = cases.dispute_register(actor=centre.manager, data=case_input(centre))
    applicant = case.parties.get(side=PartySide.APPLICANT)
    resident = centre.tree.resident_a1
    assert applicant.name == resident.name and applicant.resident == resident
    assert applicant.id_number == resident.id_number
    respondent = case.parties.get(side=PartySide.RESPONDENT)
    assert respondent.path == case.path
    assert respondent.id_number_index == blind_index(RESPONDENT_ID, purpose="mediation.party.id_number")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM mediation_party WHERE id = %s", [respondent.pk])
        raw_id, raw_phone = cursor.fetchone()
    assert RESPONDENT_ID not in raw_id and "13912345678" not in raw_phone


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"title": ""}, "title_required"),
        ({"title": "长" * 101}, "title_too_long"),
        ({"description": "短"}, "description_required"),
        ({"source": "matter"}, "source_invalid"),
        ({"source": "nonsense"}, "source_invalid"),
        ({"dispute_type": "war"}, "type_invalid"),
        ({"risk_level": "extreme"}, "risk_invalid"),
        ({"amount": "-5"}, "amount_invalid"),
        ({"amount": "abc"}, "amount_invalid"),
        ({"amount": "1e20"}, "amount_invalid"),
    ],
)
def test_register_bad_input_creates_nothing(centre, overrides, code):
    with pytest.raises(MediationError) as info:
        cases.dispute_register(actor=centre.manager, data=case_input(centre, **overrides))
    assert info.value.code == code
    assert not DisputeCase.objects.exists() and not Party.objects.exists()


def test_register_requires_both_sides(centre):
    data = case_input(centre)
    data.parties = data.parties[:1]
    with pytest.raises(MediationError) as info:
        cases.dispute_register(actor=centre.manager, data=data)
    assert info.value.code == "parties_incomplete"
    assert not DisputeCase.objects.exists()


@pytest.mark.parametrize(
    ("party", "code"),
    [
        (cases.PartyInput(side="respondent", name="王五", id_number="110105194912310021"), "id_number_invalid"),
        (cases.PartyInput(side="respondent", name="王五", phone="12345"), "phone_invalid"),
        (cases.PartyInput(side="respondent", name=""), "party_name_required"),
        (cases.PartyInput(side="boss", name="王五"), "party_side_invalid"),
        (
            cases.PartyInput(
                side="respondent", name="某公司", kind=PartyKind.ORGANISATION, credit_code="91350100M000100Y4Z"
            ),
            "credit_code_invalid",
        ),
    ],
)
def test_register_bad_party_creates_nothing(centre, party, code):
    data = case_input(centre)
    data.parties = [data.parties[0], party]
    with pytest.raises(MediationError) as info:
        cases.dispute_register(actor=centre.manager, data=data)
    assert info.value.code == code
    assert not DisputeCase.objects.exists()


def test_register_organisation_and_landline(centre):
    data = case_input(centre)
    data.parties[1] = cases.PartyInput(
        side=PartySide.RESPONDENT,
        kind=PartyKind.ORGANISATION,
        name="淄博某物业服务有限公司",
        credit_code="91350100m000100y43",
        representative="王经理",
        phone="0533-2188888",
        id_number="should be dropped",
    )
    case = cases.dispute_register(actor=centre.manager, data=data)
    org = case.parties.get(kind=PartyKind.ORGANISATION)
    assert org.credit_code == "91350100M000100Y43" and org.id_number == "" and org.phone == "0533-2188888"


def test_register_needs_manage_capability_and_scope(centre, make_user):
    with pytest.raises(PermissionDenied):
        cases.dispute_register(actor=centre.adviser, data=case_input(centre))
    with pytest.raises(NotFound):
        cases.dispute_register(actor=centre.other_mediator, data=case_input(centre))
    with pytest.raises(MediationError) as info:
        cases.dispute_register(actor=centre.manager, data=case_input(centre, node=centre.tree.subdistrict))
    assert info.value.code == "node_too_high"
    assert not DisputeCase.objects.exists()


def test_party_add_and_its_state_rule(centre):
    case = centre.case(State.ACCEPTED)
    party = cases.party_add(
        actor=centre.manager,
        case=case,
        data=cases.PartyInput(side=PartySide.THIRD, name="物业公司", kind="organisation"),
    )
    assert party.path == case.path and case.events.filter(kind="party").count() == 1
    closed = centre.case(State.CLOSED, title="已结案")
    with pytest.raises(TransitionNotAllowed) as info:
        cases.party_add(actor=centre.manager, case=closed, data=cases.PartyInput(side=PartySide.THIRD, name="某人"))
    assert info.value.status == 409
    assert closed.parties.count() == 2


def test_accept_starts_calendar_day_period(centre):
    case = centre.case()
    workflow.dispute_accept(actor=centre.manager, case=case)
    today = timezone.localdate()
    case.refresh_from_db()
    # 《民法典》第201条: the day of acceptance is not counted; 30 calendar days follow.
    assert case.accepted_on == today and case.period_days == 30
    assert case.due_date == today + datetime.timedelta(days=30)
    assert workflow.due_date_for(datetime.date(2026, 3, 1), 30) == datetime.date(2026, 3, 31)


@override_settings(MEDIATION_PERIOD_DAYS=15)
def test_period_is_configurable(centre):
    case = centre.case(State.ACCEPTED)
    assert case.period_days == 15 and case.due_date == timezone.localdate() + datetime.timedelta(days=15)


def test_accept_refuses_a_case_without_both_sides(centre):
    case = centre.case()
    case.parties.filter(side=PartySide.RESPONDENT).delete()
    with pytest.raises(MediationError) as info:
        workflow.dispute_accept(actor=centre.manager, case=case)
    assert info.value.code == "parties_incomplete"
    case.refresh_from_db()
    assert case.state == State.REGISTERED and case.due_date is None


def test_decline_needs_reason_and_referral(centre):
    case = centre.case()
    with pytest.raises(MediationError):
        workflow.dispute_decline(actor=centre.manager, case=case, reason=" ", referral=Referral.COURT)
    with pytest.raises(MediationError) as info:
        workflow.dispute_decline(actor=centre.manager, case=case, reason="已起诉", referral="moon")
    assert info.value.field == "referral"
    workflow.dispute_decline(
        actor=centre.manager, case=case, reason="已起诉", referral=Referral.COURT, referral_note="张店区法院"
    )
    case.refresh_from_db()
    assert case.state == State.DECLINED and case.outcome == Outcome.DECLINED and case.referral == Referral.COURT


def test_decline_and_accept_are_for_the_centre_only(centre):
    case = centre.case()
    with pytest.raises(PermissionDenied):
        workflow.dispute_accept(actor=centre.adviser, case=case)
    with pytest.raises(NotFound):
        workflow.dispute_accept(actor=centre.other_mediator, case=case)
    case.refresh_from_db()
    assert case.state == State.REGISTERED


def test_start_needs_a_team(centre):
    case = centre.case()
    workflow.dispute_accept(actor=centre.manager, case=case)
    with pytest.raises(MediationError) as info:
        workflow.dispute_start(actor=centre.manager, case=case)
    assert info.value.code == "team_required"
    assert DisputeCase.objects.get(pk=case.pk).state == State.ACCEPTED


def test_team_work_is_for_the_team(centre, make_user):
    case = centre.case(State.MEDIATING)
    with pytest.raises(PermissionDenied):
        workflow.dispute_fail(actor=centre.adviser2, case=case, reason="x", referral=Referral.COURT)
    # The case's own legal adviser (no MANAGE_MEDIATION) may.
    workflow.dispute_fail(actor=centre.adviser, case=case, reason="差距过大", referral=Referral.PETITION)
    assert DisputeCase.objects.get(pk=case.pk).state == State.FAILED


def test_fail_refers_only_to_court_arbitration_or_petition(centre):
    case = centre.case(State.MEDIATING)
    with pytest.raises(MediationError) as info:
        workflow.dispute_fail(actor=centre.mediator, case=case, reason="差距过大", referral=Referral.POLICE)
    assert info.value.code == "referral_invalid"
    assert DisputeCase.objects.get(pk=case.pk).state == State.MEDIATING


def test_agree_records_the_agreement(centre):
    case = centre.case(State.AGREED)
    agreement = Agreement.objects.get(case=case)
    assert agreement.signed_on == timezone.localdate() and agreement.path == case.path
    case.refresh_from_db()
    assert case.outcome == Outcome.AGREED and case.concluded_at is not None


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"terms": "短"}, "terms_required"),
        ({"performance_method": ""}, "performance_required"),
        ({"signed_on": datetime.date(2000, 1, 1)}, "signed_on_invalid"),
        ({"performance_deadline": datetime.date(2000, 1, 1)}, "deadline_invalid"),
    ],
)
def test_agree_bad_input_changes_nothing(centre, kwargs, code):
    case = centre.case(State.MEDIATING)
    data = {
        "facts": "事实清楚,证据充分。",
        "terms": "赔偿 1000 元。",
        "performance_method": "现金",
        "performance_deadline": None,
        **kwargs,
    }
    with pytest.raises(MediationError) as info:
        workflow.dispute_agree(actor=centre.mediator, case=case, **data)
    assert info.value.code == code
    assert not Agreement.objects.filter(case=case).exists()
    assert DisputeCase.objects.get(pk=case.pk).state == State.MEDIATING


def test_follow_up_performance_must_match_the_outcome(centre):
    agreed = centre.case(State.AGREED)
    with pytest.raises(MediationError):
        workflow.dispute_follow_up(
            actor=centre.mediator,
            case=agreed,
            visited_on=timezone.localdate(),
            method=FollowUpMethod.PHONE,
            performance=Performance.NOT_APPLICABLE,
            note="无",
        )
    failed = centre.case(State.FAILED, title="调解不成的案件")
    with pytest.raises(MediationError):
        workflow.dispute_follow_up(
            actor=centre.mediator,
            case=failed,
            visited_on=timezone.localdate(),
            method=FollowUpMethod.PHONE,
            performance=Performance.PERFORMED,
            note="无",
        )
    with pytest.raises(MediationError) as info:
        workflow.dispute_follow_up(
            actor=centre.mediator,
            case=agreed,
            visited_on=timezone.localdate() + datetime.timedelta(days=1),
            method=FollowUpMethod.PHONE,
            performance=Performance.PERFORMED,
            note="无",
        )
    assert info.value.code == "visited_on_future"
    assert not agreed.follow_ups.exists() and not failed.follow_ups.exists()


def test_second_follow_up_keeps_the_state(centre):
    case = centre.case(State.FOLLOWING_UP)
    workflow.dispute_follow_up(
        actor=centre.mediator,
        case=case,
        visited_on=timezone.localdate(),
        method=FollowUpMethod.VISIT,
        performance=Performance.PERFORMED,
        note="再次回访,已全部履行。",
    )
    assert case.follow_ups.count() == 2
    assert DisputeCase.objects.get(pk=case.pk).state == State.FOLLOWING_UP


def test_close_needs_summary_and_records_it(centre):
    case = centre.case(State.FOLLOWING_UP)
    with pytest.raises(MediationError):
        workflow.dispute_close(actor=centre.manager, case=case, summary="")
    workflow.dispute_close(actor=centre.manager, case=case, summary="已履行完毕。")
    case.refresh_from_db()
    assert case.state == State.CLOSED and case.closed_at is not None and case.close_summary == "已履行完毕。"


def test_extend_moves_the_due_date(centre):
    case = centre.case(State.MEDIATING)
    due = case.due_date
    workflow.dispute_extend(actor=centre.mediator, case=case, days=15, reason="双方同意延长")
    case.refresh_from_db()
    assert case.due_date == due + datetime.timedelta(days=15) and case.extended_days == 15
    for days in (0, 31):
        with pytest.raises(MediationError):
            workflow.dispute_extend(actor=centre.mediator, case=case, days=days, reason="双方同意")
    with pytest.raises(MediationError):
        workflow.dispute_extend(actor=centre.mediator, case=case, days=5, reason="")
    assert DisputeCase.objects.get(pk=case.pk).extended_days == 15


def test_note_by_team_member(centre):
    case = centre.case(State.MEDIATING)
    event = workflow.dispute_note(actor=centre.adviser, case=case, text="已释明相关法律规定。")
    assert event.kind == "note" and event.actor == centre.adviser
    with pytest.raises(PermissionDenied):
        workflow.dispute_note(actor=centre.adviser2, case=case, text="不是本案成员")
    with pytest.raises(MediationError):
        workflow.dispute_note(actor=centre.mediator, case=case, text="  ")
