"""Referrals (转介): grid workers and village staff refer a matter; the centre
accepts it (a case) or returns it with a reason (the matter goes back to the
referrer, on its timeline and in a notification)."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.accounts.roles import Role
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.models import AuditEntry, Notification
from grassroots.matters.models import MatterEvent
from grassroots.mediation.errors import MediationError, ReferralConflict
from grassroots.mediation.models import DisputeCase, DisputeReferral, PartySide, Source
from grassroots.mediation.services import referrals
from grassroots.mediation.services.cases import dispute_from_matter
from grassroots.mediation.states import ReferralState, State
from grassroots.testing.factories import UserFactory

from .test_transfer import make_matter

pytestmark = pytest.mark.django_db

REASON = "两户因楼上漏水多次争吵,网格员上门协调两次未果,双方同意到调解中心调解。"


def refer(actor, matter, **overrides):
    data: dict[str, Any] = {
        "dispute_type": "neighbour",
        "reason": REASON,
        "other_party": "王五",
        "other_party_phone": "13912345678",
    }
    data.update(overrides)
    return referrals.referral_create(actor=actor, matter=matter, data=referrals.ReferralInput(**data))


@pytest.fixture
def village_staff(centre):
    return UserFactory(
        username="village", role=Role.VILLAGE_STAFF, jurisdiction=centre.tree.village_a, display_name="李村务"
    )


def test_grid_worker_refers_and_the_centre_is_told(centre):
    matter = make_matter(centre)
    referral = refer(centre.grid_worker, matter)
    assert referral.state == ReferralState.PENDING and referral.path == matter.path
    assert referral.other_party_phone == "13912345678"
    note = MatterEvent.objects.get(matter=matter, kind="note")
    assert note.actor == centre.grid_worker and REASON in note.text
    told = set(Notification.objects.filter(subject="新的纠纷转介待接收").values_list("recipient__username", flat=True))
    # Centre staff whose jurisdiction contains the matter; not the mediator of another village.
    assert told == {"street", "mediator", "mediator2"}
    assert AuditEntry.objects.filter(action="data.create", object_type="mediation.DisputeReferral").exists()


def test_accept_registers_a_case_with_both_parties_and_tells_the_referrer(centre):
    matter = make_matter(centre)
    referral = refer(centre.grid_worker, matter, escalation_risk=True)
    case = referrals.referral_accept(actor=centre.mediator, referral=referral)
    referral.refresh_from_db()
    assert referral.state == ReferralState.ACCEPTED and referral.case == case
    assert referral.decided_by == centre.mediator and referral.decided_at is not None
    assert case.source == Source.MATTER and case.source_matter == matter and case.state == State.REGISTERED
    assert case.escalation_risk and case.dispute_type == "neighbour"
    sides = {p.side: p for p in case.parties.all()}
    assert sides[PartySide.APPLICANT].resident == centre.tree.resident_a1
    assert sides[PartySide.RESPONDENT].name == "王五" and sides[PartySide.RESPONDENT].phone == "13912345678"
    assert f"{centre.grid_worker} 转介" in case.events.get(kind="created").text
    texts = list(MatterEvent.objects.filter(matter=matter).values_list("text", flat=True))
    assert f"调解中心已接收转介,案号 {case.number}" in texts
    told = Notification.objects.get(recipient=centre.grid_worker)
    assert case.number in told.body and told.link == f"/matters/{matter.pk}/"
    # Both parties are there, so the centre can accept the case straight away.
    from grassroots.mediation.services import workflow

    workflow.dispute_accept(actor=centre.manager, case=case)
    assert case.state == State.ACCEPTED


def test_return_puts_the_reason_on_the_matter_and_tells_the_referrer(centre, village_staff):
    matter = make_matter(centre)
    referral = refer(village_staff, matter)
    referrals.referral_return(actor=centre.manager, referral=referral, reason="不属于民间纠纷,请按物业问题继续办理。")
    referral.refresh_from_db()
    assert referral.state == ReferralState.RETURNED and referral.return_reason.startswith("不属于民间纠纷")
    assert not DisputeCase.objects.exists()
    last = MatterEvent.objects.filter(matter=matter).last()
    assert last is not None
    assert last.text == "调解中心退回转介:不属于民间纠纷,请按物业问题继续办理。" and last.actor == centre.manager
    told = Notification.objects.get(recipient=village_staff)
    assert "不属于民间纠纷" in told.body and told.subject == "转介被调解中心退回"
    # The referrer may refer it again, as a new attempt.
    again = refer(village_staff, matter, reason=REASON + "已补充对方当事人信息。")
    assert again.pk != referral.pk and again.state == ReferralState.PENDING


def test_return_needs_a_reason_and_changes_nothing(centre):
    referral = refer(centre.grid_worker, make_matter(centre))
    events = MatterEvent.objects.count()
    with pytest.raises(MediationError) as info:
        referrals.referral_return(actor=centre.manager, referral=referral, reason="  ")
    assert info.value.field == "reason"
    referral.refresh_from_db()
    assert referral.state == ReferralState.PENDING and MatterEvent.objects.count() == events


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("grid_worker", None),
        ("village_staff", None),
        ("grid_worker_b", NotFound),  # another grid: the matter does not exist for them
        ("manager", PermissionDenied),  # the centre takes matters over directly (transfer)
        ("mediator", PermissionDenied),
        ("adviser", PermissionDenied),
        ("outsider", PermissionDenied),
    ],
)
def test_who_may_refer(centre, village_staff, who, error):
    users = {
        "village_staff": village_staff,
        "grid_worker_b": UserFactory(username="grid_b", role=Role.GRID_WORKER, jurisdiction=centre.tree.grid_a2),
    }
    actor = users.get(who) or getattr(centre, who)
    matter = make_matter(centre)
    if error is None:
        assert refer(actor, matter).state == ReferralState.PENDING
    else:
        with pytest.raises(error):
            refer(actor, matter)
        assert not DisputeReferral.objects.exists() and not MatterEvent.objects.exists()


@pytest.mark.parametrize("operation", ["accept", "return"])
@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("manager", None),
        ("mediator", None),
        ("other_mediator", NotFound),  # village B's mediator: outside their subtree
        ("adviser", PermissionDenied),
        ("grid_worker", PermissionDenied),
        ("outsider", PermissionDenied),
    ],
)
def test_who_may_accept_or_return(centre, who, error, operation):
    actor = getattr(centre, who)
    referral = refer(centre.grid_worker, make_matter(centre))
    events = MatterEvent.objects.count()

    def call():
        if operation == "accept":
            return referrals.referral_accept(actor=actor, referral=referral)
        return referrals.referral_return(actor=actor, referral=referral, reason="请补充对方当事人信息。")

    if error is None:
        call()
        referral.refresh_from_db()
        assert referral.state == (ReferralState.ACCEPTED if operation == "accept" else ReferralState.RETURNED)
    else:
        with pytest.raises(error):
            call()
        referral.refresh_from_db()
        assert referral.state == ReferralState.PENDING and referral.decided_by is None
        assert not DisputeCase.objects.exists() and MatterEvent.objects.count() == events


def test_refusals(centre):
    matter = make_matter(centre)
    refer(centre.grid_worker, matter)
    with pytest.raises(ReferralConflict) as info:
        refer(centre.grid_worker, matter)
    assert info.value.code == "referral_pending" and info.value.status == 409
    # The centre's direct transfer does not bypass a pending referral.
    with pytest.raises(ReferralConflict):
        dispute_from_matter(actor=centre.manager, matter=matter)
    assert not DisputeCase.objects.exists()

    closed = make_matter(centre, number="SX20260105-0002", tracking_code="ABCDEFGHJM", state="closed")
    with pytest.raises(ReferralConflict) as info:
        refer(centre.grid_worker, closed)
    assert info.value.code == "matter_not_open"

    taken = make_matter(centre, number="SX20260105-0003", tracking_code="ABCDEFGHJN")
    dispute_from_matter(actor=centre.manager, matter=taken)
    with pytest.raises(ReferralConflict) as info:
        refer(centre.grid_worker, taken)
    assert info.value.code == "already_case"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": "太短"}, "reason"),
        ({"dispute_type": "war"}, "dispute_type"),
        ({"other_party_phone": "12345"}, "other_party_phone"),
        ({"other_party": "", "other_party_phone": "13912345678"}, "other_party"),
        ({"other_party": "王" * 101}, "other_party"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(centre, overrides, field):
    with pytest.raises(MediationError) as info:
        refer(centre.grid_worker, make_matter(centre), **overrides)
    assert info.value.field == field
    assert not DisputeReferral.objects.exists() and not MatterEvent.objects.exists()


def test_decided_referral_cannot_be_decided_again(centre):
    referral = refer(centre.grid_worker, make_matter(centre))
    referrals.referral_return(actor=centre.manager, referral=referral, reason="请补充对方当事人信息。")
    with pytest.raises(ReferralConflict):
        referrals.referral_accept(actor=centre.manager, referral=referral)
    assert not DisputeCase.objects.exists()
