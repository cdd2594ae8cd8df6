"""The weekly key-village proposal: scoring with reasons, rotation by weeks
since last chosen, idempotence, confirm/change, and the joint meeting's
agenda filled with escalated/overdue matters and the joint-meeting list."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.core.errors import DomainError
from grassroots.matters.models import Matter
from grassroots.matters.tests.staff_setup import handling, new_matter

from ..models import Kind, WeeklySelection
from ..services import weekly
from ..tasks import weekly_selection_propose
from .setup import publish_rules

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 23)


def test_scores_explain_ranking(tree, street):
    m = handling(new_matter(tree.unit_b1, actor=street), street)
    Matter.objects.filter(pk=m.pk).update(due_date=MONDAY - datetime.timedelta(days=1), escalation_level=1)
    ranking = weekly.village_scores(subdistrict=tree.subdistrict, week_start=MONDAY)
    top = ranking[0]
    assert top["village"] == tree.village_b.pk
    assert (top["open"], top["overdue"], top["escalated"], top["weeks_since"]) == (1, 1, 1, 8)
    assert top["score"] == 1 + 3 + 4 + 16
    assert any("逾期 1 件" in r for r in top["reasons"])


def test_recently_chosen_village_ranks_lower(tree, street):
    previous = weekly.weekly_propose(subdistrict=tree.subdistrict, week_start=MONDAY - datetime.timedelta(days=7))
    weekly.weekly_confirm(actor=street, selection=previous, villages=list(previous.proposed.all()))
    ranking = weekly.village_scores(subdistrict=tree.subdistrict, week_start=MONDAY)
    assert all(r["weeks_since"] == 1 for r in ranking)


def test_propose_is_idempotent_and_task_runs(tree, street):
    first = weekly.weekly_propose(subdistrict=tree.subdistrict, week_start=MONDAY + datetime.timedelta(days=2))
    again = weekly.weekly_propose(subdistrict=tree.subdistrict, week_start=MONDAY)
    assert first.pk == again.pk and first.week_start == MONDAY
    assert again.proposed.count() == 2
    ids = weekly_selection_propose()
    assert ids == weekly_selection_propose()
    weeks = {MONDAY, weekly.week_monday(timezone.localdate())}
    assert WeeklySelection.objects.count() == len(weeks)


def test_confirm_other_villages_needs_reason(tree, street, staff_a):
    selection = weekly.weekly_propose(subdistrict=tree.subdistrict, week_start=MONDAY)
    with pytest.raises(DomainError):
        weekly.weekly_confirm(actor=street, selection=selection, villages=[tree.village_a])
    with pytest.raises(DomainError) as exc:
        weekly.weekly_confirm(actor=staff_a, selection=selection, villages=[tree.village_a, tree.village_b])
    assert exc.value.status == 404  # village staff do not see the subdistrict's selection
    selection = weekly.weekly_confirm(actor=street, selection=selection, villages=[tree.village_a, tree.village_b])
    assert selection.status == WeeklySelection.Status.CONFIRMED
    assert set(selection.chosen.all()) == {tree.village_a, tree.village_b}
    with pytest.raises(DomainError) as exc:
        weekly.weekly_confirm(actor=street, selection=selection, villages=[tree.village_a, tree.village_b])
    assert exc.value.status == 409


def test_joint_meeting_agenda_fills_with_hard_matters(tree, street):
    publish_rules(street, tree.subdistrict)
    overdue = handling(new_matter(tree.unit_a1, actor=street, title="排水沟堵塞"), street)
    Matter.objects.filter(pk=overdue.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=3))
    listed = handling(new_matter(tree.unit_a1, actor=street, title="集体厂房出租"), street)
    Matter.objects.filter(pk=listed.pk).update(joint_meeting_requested_at=timezone.now())
    handling(new_matter(tree.unit_a1, actor=street, title="普通事项"), street)
    selection = weekly.weekly_propose(subdistrict=tree.subdistrict, week_start=MONDAY)
    selection = weekly.weekly_confirm(
        actor=street, selection=selection, villages=[tree.village_a, tree.village_b], note="西张村排水问题急"
    )
    meeting = weekly.joint_meeting_convene(
        actor=street, selection=selection, village=tree.village_a, starts_at=timezone.now(), place="西张村委会"
    )
    assert meeting.kind == Kind.JOINT and meeting.node == tree.subdistrict and meeting.host_village == tree.village_a
    assert [i.matter_id for i in meeting.agenda.order_by("position")] == [overdue.pk, listed.pk]
    assert Matter.objects.get(pk=overdue.pk).state == "deliberating"
