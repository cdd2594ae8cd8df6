"""20 concurrent submissions of one code give exactly one ballot (threads with
their own connections; meaningful on PostgreSQL, serialised on SQLite)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from grassroots.core.errors import DomainError
from grassroots.evaluation.models import Ballot, BallotCode, CodeState
from grassroots.evaluation.services import ballots

from .conftest import all_satisfied, issue


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_submissions_of_one_code(world):
    issued = issue(world)
    choices = all_satisfied(issued.session)
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def submit() -> None:
        try:
            barrier.wait()
            ballots.ballot_cast(session_id=issued.session.pk, code=issued.codes[0], choices=choices)
            result = "ok"
        except DomainError as exc:
            result = exc.code
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1
    assert outcomes.count("code_rejected") == 19
    assert Ballot.objects.count() == 1
    assert BallotCode.objects.filter(state=CodeState.USED).count() == 1
