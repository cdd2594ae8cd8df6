"""Services of party building: branches, members (flags derived, reveal
audited), pairs and visits, trainings and the QR sign-in (once, expiring)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import signing
from django.utils import timezone

from grassroots.core.actors import SYSTEM
from grassroots.core.audit import Action as AuditAction
from grassroots.core.errors import DomainError, NotFound, PermissionDenied
from grassroots.core.models import AuditEntry
from grassroots.regions.models import Representative

from .. import selectors
from ..errors import PartyError
from ..models import Attendance, Branch, BranchKind, PairVisit
from ..services.organisation import MemberInput, branch_create, member_add, member_reveal
from ..services.pairs import pair_visit_record
from ..services.training import training_sign_in
from .support import member_of, pair_of, training_at

pytestmark = pytest.mark.django_db


def test_a_branch_sits_at_a_village_and_a_joint_committee_at_the_subdistrict(tree, people):
    with pytest.raises(PartyError) as exc:
        branch_create(
            actor=people.street,
            name="湖田联村党委",
            kind=BranchKind.JOINT,
            node=tree.subdistrict,
            villages=[tree.village_a],
        )
    assert exc.value.code == "joint_villages"
    joint = branch_create(
        actor=people.street,
        name="湖田联村党委",
        kind=BranchKind.JOINT,
        node=tree.subdistrict,
        villages=[tree.village_a, tree.village_b],
    )
    assert set(joint.villages.all()) == {tree.village_a, tree.village_b}
    with pytest.raises(PartyError):
        branch_create(actor=people.street, name="错位党支部", kind=BranchKind.BRANCH, node=tree.subdistrict)
    assert not Branch.objects.filter(name="错位党支部").exists()


def test_village_staff_open_branches_only_in_their_village_and_other_roles_not_at_all(tree, people):
    with pytest.raises(NotFound):
        branch_create(actor=people.village_a, name="店子党支部", kind=BranchKind.BRANCH, node=tree.village_b)
    with pytest.raises(PermissionDenied):
        branch_create(actor=people.window, name="西张党支部", kind=BranchKind.BRANCH, node=tree.village_a)
    assert not Branch.objects.exists()


def test_a_member_is_one_person_once_and_flags_are_derived(tree, people, branches):
    with pytest.raises(PartyError):
        member_add(actor=people.village_a, branch=branches["a"], data=MemberInput())
    member = member_of(branches["a"], resident=tree.resident_a1, post="secretary")
    with pytest.raises(PartyError) as exc:
        member_of(branches["a"], resident=tree.resident_a1)
    assert exc.value.code == "member_exists"
    with pytest.raises(PartyError):  # a resident of another village
        member_add(actor=SYSTEM, branch=branches["a"], data=MemberInput(resident=tree.resident_b1))
    staff_member = member_of(branches["a"], user=people.grid_a)
    Representative.objects.create(resident=tree.resident_a1, village=tree.village_a, since=datetime.date(2025, 1, 1))
    rows = {m.pk: m for m in selectors.members_visible_to(user=people.village_a)}
    flags = {pk: (getattr(m, "is_representative"), getattr(m, "is_grid_worker")) for pk, m in rows.items()}  # noqa: B009
    assert flags[member.pk] == (True, False) and flags[staff_member.pk] == (False, True)
    assert rows[member.pk].masked_name.endswith("*") and rows[member.pk].masked_name != tree.resident_a1.name
    assert not selectors.members_visible_to(user=people.village_b).exists()


def test_revealing_a_member_needs_a_reason_and_is_audited(tree, people, branches):
    member = member_of(branches["a"], resident=tree.resident_a1)
    with pytest.raises(PartyError):
        member_reveal(actor=people.village_a, member=member, reason=" ")
    with pytest.raises(NotFound):
        member_reveal(actor=people.village_b, member=member, reason="核对")
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()
    revealed = member_reveal(actor=people.village_a, member=member, reason="换届核对党员名册")
    assert revealed.name == tree.resident_a1.name
    assert revealed.id_number == tree.resident_a1.id_number
    entry = AuditEntry.objects.get(action=AuditAction.REVEAL)
    assert entry.detail["reason"] == "换届核对党员名册"


def test_a_member_records_their_own_pair_visit_others_may_not(tree, people, branches):
    member = member_of(branches["a"], user=people.grid_a)
    pair = pair_of(member, tree.resident_a1)
    today = timezone.localdate()
    visit = pair_visit_record(
        actor=people.grid_a,
        pair=pair,
        kind="visit",
        visited_on=today,
        note="送米面油,了解近况。",
        recorder_member=member,
    )
    assert visit.recorded_by == people.grid_a
    with pytest.raises(PartyError):
        pair_visit_record(
            actor=people.grid_a,
            pair=pair,
            kind="visit",
            visited_on=today + datetime.timedelta(days=1),
            note="明天",
            recorder_member=member,
        )
    with pytest.raises(PartyError):
        pair_visit_record(
            actor=people.grid_a, pair=pair, kind="visit", visited_on=today, note=" ", recorder_member=member
        )
    with pytest.raises(NotFound):
        pair_visit_record(actor=people.village_b, pair=pair, kind="visit", visited_on=today, note="走访")
    assert PairVisit.objects.count() == 1


def test_qr_sign_in_is_once_per_member_and_expires(tree, people, branches):
    member = member_of(branches["a"], user=people.grid_a)
    training = training_at(tree.village_a)
    first, created = training_sign_in(actor=people.grid_a, token=training.signin_token)
    again, created_again = training_sign_in(actor=people.grid_a, token=training.signin_token)
    assert created and not created_again and first.pk == again.pk and first.member == member
    assert Attendance.objects.count() == 1
    with pytest.raises(PartyError) as exc:
        training_sign_in(actor=people.village_a, token=training.signin_token)
    assert exc.value.code == "not_a_member"
    with pytest.raises(PartyError) as exc:
        training_sign_in(actor=people.grid_a, token=training.signin_token + "x")
    assert exc.value.code == "token_invalid"
    with pytest.raises(PartyError) as exc:
        training_sign_in(actor=people.grid_a, token=signing.TimestampSigner(salt="other").sign(str(training.pk)))
    assert exc.value.code == "token_invalid"
    late = timezone.now() + datetime.timedelta(hours=5)
    with pytest.raises(PartyError) as exc:
        training_sign_in(actor=people.grid_a, token=training.signin_token, now=late)
    assert exc.value.code == "signin_closed"
    assert Attendance.objects.count() == 1


def test_a_village_training_does_not_sign_in_members_of_another_village(tree, people, branches):
    member_of(branches["b"], user=people.grid_a)
    training = training_at(tree.village_a)
    with pytest.raises(DomainError):
        training_sign_in(actor=people.grid_a, token=training.signin_token)
    assert not Attendance.objects.exists()


def test_hours_per_member_per_year(tree, people, branches):
    member = member_of(branches["a"], user=people.grid_a)
    training_sign_in(actor=people.grid_a, token=training_at(tree.subdistrict, hours="2.5").signin_token)
    row: Any = selectors.hours_by_member(user=people.village_a, year=timezone.localdate().year).get(pk=member.pk)
    assert row.hours == pytest.approx(2.5) and row.sessions == 1
    old: Any = selectors.hours_by_member(user=people.village_a, year=2001).get(pk=member.pk)
    assert old.hours is None
