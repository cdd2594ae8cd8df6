"""The 红黄榜: the versioned rule, the monthly computation with each term
(training hours, pair visits, activities through the provider registry,
matters raised and settled), red and yellow lists, branch entries, and the
draft → published workflow; the celery task."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from grassroots.core.actors import SYSTEM
from grassroots.core.errors import NotFound
from grassroots.matters.tests.factories import matter_in_state
from grassroots.testing.factories import UserFactory

from .. import selectors
from ..activities import register_activity_provider, unregister_activity_provider
from ..errors import PartyConflict, PartyError
from ..models import Board, Entry, PointsRule, Standing
from ..services.board import board_compute, board_publish, board_withdraw, rule_current, rule_set
from ..services.pairs import pair_visit_record
from ..services.training import training_sign_in
from ..states import BoardState
from ..tasks import compute_monthly_boards
from .support import member_of, pair_of, training_at

pytestmark = pytest.mark.django_db

RULE = {
    "training_hour": "2",
    "pair_visit": "3",
    "activity": "1",
    "matter_raised": "1",
    "matter_settled": "2",
    "red_at": "10",
    "yellow_below": "3",
}


def test_the_rule_is_the_subdistricts_and_each_change_is_a_version(tree, people):
    assert rule_current(subdistrict=tree.subdistrict).version == 0
    with pytest.raises(NotFound):
        rule_set(actor=people.village_a, subdistrict=tree.subdistrict, values=RULE)
    with pytest.raises(PartyError) as exc:
        rule_set(actor=people.street, subdistrict=tree.subdistrict, values={**RULE, "red_at": "2"})
    assert exc.value.code == "lines_order"
    with pytest.raises(PartyError):
        rule_set(actor=people.street, subdistrict=tree.subdistrict, values={**RULE, "activity": "很多"})
    assert not PointsRule.objects.exists()
    first = rule_set(actor=people.street, subdistrict=tree.subdistrict, values=RULE)
    second = rule_set(actor=people.street, subdistrict=tree.subdistrict, values={**RULE, "activity": "5"})
    assert (first.version, second.version) == (1, 2)
    assert rule_current(subdistrict=tree.subdistrict).activity == Decimal("5")


def test_a_month_is_computed_with_each_term_explained(tree, people, branches):
    rule_set(actor=people.street, subdistrict=tree.subdistrict, values=RULE)
    active = member_of(branches["a"], user=people.village_a)
    idle = member_of(branches["a"], resident=tree.resident_a1)
    other = member_of(branches["b"], resident=tree.resident_b1)
    training_sign_in(actor=people.village_a, token=training_at(tree.subdistrict, hours="2").signin_token)
    pair = pair_of(active, tree.resident_a1)
    today = timezone.localdate()
    for _ in range(2):
        pair_visit_record(actor=SYSTEM, pair=pair, kind="visit", visited_on=today, note="走访")
    matter_in_state("resolved", node=tree.grid_a1, handler=people.village_a)
    register_activity_provider("test", lambda query: {p.member_id: 1 for p in query.people if p.user_id})
    try:
        board = board_compute(actor=people.street, subdistrict=tree.subdistrict, month=today)
    finally:
        unregister_activity_provider("test")
    entry = Entry.objects.get(board=board, member=active)
    terms = entry.breakdown
    assert terms["training_hour"] == {"count": "2", "weight": "2.00", "points": "4.00"}
    assert terms["pair_visit"]["points"] == "6.00"
    assert terms["activity"]["points"] == "1.00"
    assert terms["matter_settled"] == {"count": "1", "weight": "2.00", "points": "2.00"}
    assert entry.points == Decimal("13.00") and entry.standing == Standing.RED
    idle_entry = Entry.objects.get(board=board, member=idle)
    assert idle_entry.points == 0 and idle_entry.standing == Standing.YELLOW
    assert idle_entry.breakdown["activity"]["count"] == "0"
    branch_entry = Entry.objects.get(board=board, member=None, branch=branches["a"])
    assert branch_entry.points == Decimal("6.50")
    assert Entry.objects.get(board=board, member=other).standing == Standing.YELLOW
    # Village staff see their village's entries; the other village's are not theirs.
    seen = {e.member_id for e in selectors.board_entries(board=board, user=people.village_a, whole=False)}
    assert other.pk not in seen and active.pk in seen


def test_activities_are_zero_without_a_provider(tree, people, branches):
    member = member_of(branches["a"], user=people.grid_a)
    board = board_compute(actor=SYSTEM, subdistrict=tree.subdistrict, month=timezone.localdate())
    assert Entry.objects.get(board=board, member=member).breakdown["activity"]["points"] == "0.00"
    assert board.rule.version == 1  # the defaults were saved as the first version


def test_a_draft_is_recomputed_a_published_list_is_not(tree, people, branches):
    member_of(branches["a"], user=people.grid_a)
    month = timezone.localdate()
    board = board_compute(actor=people.street, subdistrict=tree.subdistrict, month=month)
    again = board_compute(actor=people.street, subdistrict=tree.subdistrict, month=month)
    assert again.pk == board.pk and Entry.objects.filter(board=board).count() == 3
    with pytest.raises(NotFound):
        board_publish(actor=people.village_a, board=board)
    board = board_publish(actor=people.street, board=board)
    assert board.state == BoardState.PUBLISHED
    with pytest.raises(PartyConflict):
        board_compute(actor=people.street, subdistrict=tree.subdistrict, month=month)
    with pytest.raises(PartyConflict):
        board_publish(actor=people.street, board=board)
    board = board_withdraw(actor=people.street, board=board)
    assert board.state == BoardState.DRAFT and board.events.count() == 2
    with pytest.raises(PartyError):
        board_compute(actor=people.street, subdistrict=tree.subdistrict, month=month + datetime.timedelta(days=40))


def test_members_see_only_published_boards(tree, people, branches):
    member = member_of(branches["a"], user=people.grid_a)
    board = board_compute(actor=SYSTEM, subdistrict=tree.subdistrict, month=timezone.localdate())
    assert selectors.membership_of(user=people.grid_a) == member
    assert not selectors.boards_of(subdistrict=tree.subdistrict, published_only=True).exists()
    board_publish(actor=SYSTEM, board=board)
    assert list(selectors.boards_of(subdistrict=tree.subdistrict, published_only=True)) == [board]
    assert selectors.membership_of(user=UserFactory(username="nobody")) is None


def test_the_monthly_task_computes_last_month_once(tree, branches):
    assert compute_monthly_boards() == 1
    assert compute_monthly_boards() == 1
    board = Board.objects.get()
    assert board.month == (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    board_publish(actor=SYSTEM, board=board)
    assert compute_monthly_boards() == 0
