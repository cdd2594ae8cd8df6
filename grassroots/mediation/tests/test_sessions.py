"""Sessions (scheduled, held, cancelled) and judicial confirmation."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from grassroots.mediation.errors import MediationError
from grassroots.mediation.models import Agreement, DisputeCase, JudicialStatus, Party, Session, SessionStatus
from grassroots.mediation.services import sessions
from grassroots.mediation.states import State

pytestmark = pytest.mark.django_db


def _schedule(centre, case, *, days=1):
    return sessions.session_schedule(
        actor=centre.mediator, case=case, scheduled_at=timezone.now() + datetime.timedelta(days=days), place="调解室"
    )


def test_recording_the_first_session_starts_mediation(centre):
    case = centre.case(State.ACCEPTED)
    session = _schedule(centre, case, days=-0)
    parties = list(case.parties.all())
    sessions.session_record(
        actor=centre.mediator,
        session=session,
        notes="双方陈述,调解员释法说理。",
        parties_present=parties,
        staff_present=[centre.mediator, centre.adviser],
        other_attendees="网格员",
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD and session.held_at is not None
    assert set(session.parties_present.all()) == set(parties)
    assert set(session.staff_present.all()) == {centre.mediator, centre.adviser}
    case.refresh_from_db()
    assert case.state == State.MEDIATING
    assert case.events.filter(kind="transition", action="start").count() == 1


def test_record_defaults_staff_to_the_actor_and_keeps_mediating(centre):
    case = centre.case(State.MEDIATING)
    session = _schedule(centre, case)
    sessions.session_record(
        actor=centre.mediator2, session=session, notes="第二次调解。", parties_present=list(case.parties.all()[:1])
    )
    assert list(Session.objects.get(pk=session.pk).staff_present.all()) == [centre.mediator2]
    assert DisputeCase.objects.get(pk=case.pk).state == State.MEDIATING


@pytest.mark.parametrize("problem", ["notes", "no_parties", "foreign_party", "foreign_staff", "future"])
def test_record_bad_input_changes_nothing(centre, problem):
    case = centre.case(State.ACCEPTED)
    other = centre.case(State.REGISTERED, title="另一件")
    session = _schedule(centre, case)
    kwargs: dict[str, Any] = {"notes": "记录内容完整。", "parties_present": list(case.parties.all())}
    if problem == "notes":
        kwargs["notes"] = "短"
    elif problem == "no_parties":
        kwargs["parties_present"] = []
    elif problem == "foreign_party":
        kwargs["parties_present"] = [Party.objects.filter(case=other).first()]
    elif problem == "foreign_staff":
        kwargs["staff_present"] = [centre.adviser2]
    else:
        kwargs["held_at"] = timezone.now() + datetime.timedelta(hours=2)
    with pytest.raises(MediationError):
        sessions.session_record(actor=centre.mediator, session=session, **kwargs)
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED and session.notes == ""
    assert DisputeCase.objects.get(pk=case.pk).state == State.ACCEPTED


def test_schedule_rules(centre):
    case = centre.case(State.ACCEPTED)
    with pytest.raises(MediationError):
        sessions.session_schedule(actor=centre.mediator, case=case, scheduled_at=timezone.now(), place="")
    with pytest.raises(MediationError):
        sessions.session_schedule(
            actor=centre.mediator, case=case, scheduled_at=timezone.now() + datetime.timedelta(days=400), place="调解室"
        )
    assert not Session.objects.exists()


def test_cancel_and_no_second_record(centre):
    case = centre.case(State.MEDIATING)
    session = _schedule(centre, case)
    with pytest.raises(MediationError):
        sessions.session_cancel(actor=centre.mediator, session=session, reason="")
    sessions.session_cancel(actor=centre.mediator, session=session, reason="一方生病")
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED and session.cancel_reason == "一方生病"
    with pytest.raises(MediationError) as info:
        sessions.session_record(
            actor=centre.mediator, session=session, notes="已取消又记录", parties_present=list(case.parties.all())
        )
    assert info.value.code == "session_not_scheduled"
    with pytest.raises(MediationError):
        sessions.session_cancel(actor=centre.mediator, session=session, reason="再次取消")


def test_judicial_confirmation_apply_and_confirm(centre):
    case = centre.case(State.AGREED)
    today = timezone.localdate()
    sessions.judicial_confirmation_apply(actor=centre.mediator, case=case, applied_on=today, court="张店区人民法院")
    agreement = Agreement.objects.get(case=case)
    assert agreement.judicial_status == JudicialStatus.APPLIED and agreement.judicial_court == "张店区人民法院"
    with pytest.raises(MediationError):
        sessions.judicial_confirmation_apply(actor=centre.mediator, case=case, applied_on=today, court="另一法院")
    sessions.judicial_confirmation_decide(actor=centre.adviser, case=case, confirmed=True, decided_on=today)
    agreement.refresh_from_db()
    assert agreement.judicial_status == JudicialStatus.CONFIRMED and agreement.judicial_decided_on == today
    with pytest.raises(MediationError):
        sessions.judicial_confirmation_decide(
            actor=centre.adviser, case=case, confirmed=False, decided_on=today, note="x"
        )
    assert case.events.filter(kind="judicial").count() == 2


def test_judicial_confirmation_within_thirty_days(centre):
    case = centre.case(State.AGREED)
    signed = timezone.localdate() - datetime.timedelta(days=40)
    Agreement.objects.filter(case=case).update(signed_on=signed)
    with pytest.raises(MediationError) as info:
        sessions.judicial_confirmation_apply(
            actor=centre.mediator, case=case, applied_on=signed + datetime.timedelta(days=31), court="张店区人民法院"
        )
    assert info.value.code == "judicial_too_late" and "第三十三条" in info.value.message
    sessions.judicial_confirmation_apply(
        actor=centre.mediator, case=case, applied_on=signed + datetime.timedelta(days=30), court="张店区人民法院"
    )
    assert Agreement.objects.get(case=case).judicial_status == JudicialStatus.APPLIED


def test_judicial_rejection_needs_a_note(centre):
    case = centre.case(State.FOLLOWING_UP)
    today = timezone.localdate()
    sessions.judicial_confirmation_apply(actor=centre.mediator, case=case, applied_on=today, court="张店区人民法院")
    with pytest.raises(MediationError):
        sessions.judicial_confirmation_decide(actor=centre.mediator, case=case, confirmed=False, decided_on=today)
    with pytest.raises(MediationError):
        sessions.judicial_confirmation_decide(
            actor=centre.mediator, case=case, confirmed=True, decided_on=today - datetime.timedelta(days=1)
        )
    assert Agreement.objects.get(case=case).judicial_status == JudicialStatus.APPLIED
    sessions.judicial_confirmation_decide(
        actor=centre.mediator, case=case, confirmed=False, decided_on=today, note="协议内容违反法律规定"
    )
    assert Agreement.objects.get(case=case).judicial_status == JudicialStatus.REJECTED


def test_judicial_needs_an_agreement(centre):
    case = centre.case(State.FOLLOWING_UP)
    Agreement.objects.filter(case=case).delete()
    with pytest.raises(MediationError) as info:
        sessions.judicial_confirmation_apply(
            actor=centre.mediator, case=case, applied_on=timezone.localdate(), court="张店区人民法院"
        )
    assert info.value.code == "agreement_missing"
