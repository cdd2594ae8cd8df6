"""The demo party data on the small tree: branches, members with posts,
pairs with visits, trainings with attendance, last month's published 红黄榜;
idempotent."""

from __future__ import annotations

import pytest

from ..demo import generate_demo_party
from ..models import Attendance, Board, Branch, Member, PairVisit
from ..states import BoardState

pytestmark = pytest.mark.django_db


def test_demo_on_the_small_tree(tree, people):
    report = generate_demo_party()
    assert report.created and report.members == Member.objects.count() > 2
    # The small tree has one resident per village: the branch-to-branch pair only.
    assert Branch.objects.count() == 2 and report.pairs >= 1
    assert PairVisit.objects.count() == report.visits
    assert Attendance.objects.count() == report.attendances > 0
    assert Board.objects.get().state == BoardState.PUBLISHED
    assert not generate_demo_party().created
