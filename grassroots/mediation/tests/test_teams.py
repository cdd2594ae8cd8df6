"""1+1+N teams, committees, grid legal advisers, consultations and workloads."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.models import Notification
from grassroots.mediation import selectors
from grassroots.mediation.errors import MediationError
from grassroots.mediation.models import CaseMediator, Committee, Consultation, GridAdviser
from grassroots.mediation.services import consultations, teams
from grassroots.mediation.states import State

pytestmark = pytest.mark.django_db


def test_assign_team_notifies_new_members_once(centre):
    case = centre.case(State.ACCEPTED)  # team: adviser + mediator (lead) + mediator2
    members = {m.user_id: m.lead for m in CaseMediator.objects.filter(case=case)}
    assert members == {centre.mediator.pk: True, centre.mediator2.pk: False}
    recipients = set(Notification.objects.filter(subject__contains=case.number).values_list("recipient_id", flat=True))
    assert recipients == {centre.adviser.pk, centre.mediator.pk, centre.mediator2.pk}
    # Re-assigning: mediator2 leaves, lead changes; only nobody new is notified.
    teams.dispute_assign_team(
        actor=centre.manager,
        case=case,
        committee=centre.committee,
        legal_adviser=centre.adviser,
        mediators=[centre.mediator],
        lead=centre.mediator,
    )
    assert list(CaseMediator.objects.filter(case=case).values_list("user_id", "lead")) == [(centre.mediator.pk, True)]
    assert Notification.objects.filter(subject__contains=case.number).count() == 3
    assert case.events.filter(kind="team").count() == 2


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"mediators": []}, "mediators_required"),
        ({"mediators": ["adviser2"]}, "mediator_invalid"),  # a legal adviser is not a mediator
        ({"mediators": ["other_mediator"]}, "mediator_invalid"),  # works in another village
        ({"legal_adviser": "mediator2"}, "adviser_invalid"),
        ({"lead": "mediator2"}, "lead_invalid"),
        ({"committee": "village_b"}, "committee_invalid"),
    ],
)
def test_assign_team_bad_input_changes_nothing(centre, change, code):
    case = centre.case()
    from grassroots.mediation.services import workflow

    workflow.dispute_accept(actor=centre.manager, case=case)
    committee_b = Committee.objects.create(name="店子社区人民调解委员会", node=centre.tree.village_b)
    kwargs = {
        "committee": committee_b if change.get("committee") == "village_b" else centre.committee,
        "legal_adviser": getattr(centre, change.get("legal_adviser", "adviser")),
        "mediators": [getattr(centre, name) for name in change.get("mediators", ["mediator"])],
        "lead": getattr(centre, change["lead"]) if "lead" in change else None,
    }
    with pytest.raises(MediationError) as info:
        teams.dispute_assign_team(actor=centre.manager, case=case, **kwargs)
    assert info.value.code == code
    case.refresh_from_db()
    assert case.committee_id is None and not CaseMediator.objects.filter(case=case).exists()


def test_assign_team_needs_manage(centre):
    case = centre.case(State.ACCEPTED)
    with pytest.raises(PermissionDenied):
        teams.dispute_assign_team(
            actor=centre.adviser,
            case=case,
            committee=centre.committee,
            legal_adviser=centre.adviser,
            mediators=[centre.mediator],
        )
    with pytest.raises(NotFound):
        teams.dispute_assign_team(
            actor=centre.other_mediator,
            case=case,
            committee=centre.committee,
            legal_adviser=centre.adviser,
            mediators=[centre.mediator],
        )


def test_committee_create(centre):
    committee = teams.committee_create(actor=centre.manager, name="西张村人民调解委员会", node=centre.tree.village_a)
    assert committee.path == centre.tree.village_a.path
    with pytest.raises(MediationError):
        teams.committee_create(actor=centre.manager, name="西张村人民调解委员会", node=centre.tree.village_a)
    with pytest.raises(MediationError):
        teams.committee_create(actor=centre.manager, name="网格调委会", node=centre.tree.grid_a1)
    with pytest.raises(PermissionDenied):
        teams.committee_create(actor=centre.adviser, name="法律顾问设的", node=centre.tree.village_a)
    with pytest.raises(NotFound):
        teams.committee_create(actor=centre.other_mediator, name="别的村", node=centre.tree.village_a)
    assert Committee.objects.count() == 2


def test_grid_adviser_assignment_keeps_history(centre):
    grid = centre.tree.grid_a1
    new = teams.grid_adviser_assign(actor=centre.manager, grid=grid, adviser=centre.adviser2)
    old = GridAdviser.objects.get(pk=centre.grid_adviser.pk)
    assert old.until == timezone.localdate() and new.until is None and new.adviser == centre.adviser2
    # Assigning the current adviser again is a no-op.
    assert teams.grid_adviser_assign(actor=centre.manager, grid=grid, adviser=centre.adviser2).pk == new.pk
    assert GridAdviser.objects.filter(grid=grid).count() == 2
    assert selectors.grid_adviser_for(centre.tree.unit_a1) == centre.adviser2
    assert selectors.grid_adviser_for(centre.tree.village_a) is None


def test_grid_adviser_assignment_rules(centre):
    with pytest.raises(MediationError):
        teams.grid_adviser_assign(actor=centre.manager, grid=centre.tree.village_a, adviser=centre.adviser)
    with pytest.raises(MediationError):
        teams.grid_adviser_assign(actor=centre.manager, grid=centre.tree.grid_a2, adviser=centre.mediator)
    with pytest.raises(PermissionDenied):
        teams.grid_adviser_assign(actor=centre.adviser, grid=centre.tree.grid_a2, adviser=centre.adviser)
    assert not GridAdviser.objects.filter(grid=centre.tree.grid_a2).exists()


def test_consultation_only_for_own_grid(centre):
    today = timezone.localdate()
    consultation = consultations.consultation_log(
        actor=centre.adviser,
        grid=centre.tree.grid_a1,
        consulted_on=today,
        category="labour",
        topic="未签劳动合同如何维权",
        asker_name="王秀兰",
        advice="可主张二倍工资,建议先协商,再申请劳动仲裁。",
    )
    assert consultation.path == centre.tree.grid_a1.path
    with pytest.raises(MediationError) as info:
        consultations.consultation_log(
            actor=centre.adviser2,
            grid=centre.tree.grid_a1,
            consulted_on=today,
            category="labour",
            topic="x",
            asker_name="王某",
            advice="建议协商解决。",
        )
    assert info.value.code == "grid_not_assigned"
    with pytest.raises(PermissionDenied):
        consultations.consultation_log(
            actor=centre.mediator,
            grid=centre.tree.grid_a1,
            consulted_on=today,
            category="labour",
            topic="x",
            asker_name="王某",
            advice="建议协商解决。",
        )
    for bad in (
        {"consulted_on": today + datetime.timedelta(days=1)},
        {"consulted_on": today - datetime.timedelta(days=91)},
        {"category": "astrology"},
        {"topic": ""},
        {"asker_name": ""},
        {"advice": "短"},
    ):
        data = {
            "grid": centre.tree.grid_a1,
            "consulted_on": today,
            "category": "family",
            "topic": "继承",
            "asker_name": "李四",
            "advice": "按法定继承处理。",
            **bad,
        }
        with pytest.raises(MediationError):
            consultations.consultation_log(actor=centre.adviser, **data)
    assert Consultation.objects.count() == 1


def test_consultation_visibility(centre, make_user):
    consultations.consultation_log(
        actor=centre.adviser,
        grid=centre.tree.grid_a1,
        consulted_on=timezone.localdate(),
        category="family",
        topic="继承",
        asker_name="李四",
        advice="按法定继承处理。",
    )
    assert selectors.consultations_visible_to(user=centre.adviser, own=True).count() == 1
    assert selectors.consultations_visible_to(user=centre.adviser2, own=True).count() == 0
    assert selectors.consultations_visible_to(user=centre.manager).count() == 1
    assert selectors.consultations_visible_to(user=centre.other_mediator).count() == 0
    assert selectors.consultations_visible_to(user=centre.outsider).count() == 0


def test_workloads_count_open_cases_per_person(centre, django_assert_max_num_queries):
    centre.case(State.MEDIATING)
    centre.case(State.ACCEPTED, title="第二件")
    centre.case(State.CLOSED, title="已结案不计入")
    with django_assert_max_num_queries(6):
        rows = {w.user.username: w for w in selectors.workloads(user=centre.manager)}
    assert rows["mediator"].open_cases == 2 and rows["mediator"].lead == 2
    assert rows["mediator2"].open_cases == 2 and rows["mediator2"].lead == 0
    assert rows["lawyer"].open_cases == 2 and rows["lawyer"].grids == 1
    assert rows["lawyer2"].open_cases == 0
    assert "mediator_b" in rows  # works below the manager's node
    # A village mediator sees the subdistrict staff who serve the village, counted in the village only.
    village_rows = {w.user.username: w for w in selectors.workloads(user=centre.other_mediator)}
    assert village_rows["mediator"].open_cases == 0
    assert selectors.workloads(user=centre.outsider) == []


def test_team_candidates_are_role_and_place_bound(centre, make_user):
    case = centre.case(State.ACCEPTED)
    make_user(Role.MEDIATOR, centre.tree.village_a, username="mediator_a")
    candidates = selectors.team_candidates(case=case)
    names = {u.username for u in candidates["mediators"]}
    assert names == {"mediator", "mediator2", "mediator_a"}
    assert {u.username for u in candidates["advisers"]} == {"lawyer", "lawyer2"}
