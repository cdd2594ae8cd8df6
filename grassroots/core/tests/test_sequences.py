from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from grassroots.core.sequences import sequence_next

pytestmark = pytest.mark.django_db


def test_counts_up_from_start():
    assert sequence_next("x", start=lambda: 41) == 42
    assert sequence_next("x", start=lambda: 999) == 43  # start is only used once
    assert sequence_next("y") == 1


def test_rolled_back_value_is_reused():
    from django.db import transaction

    assert sequence_next("z") == 1

    def take_then_fail() -> None:
        with transaction.atomic():
            assert sequence_next("z") == 2
            raise RuntimeError

    with pytest.raises(RuntimeError):
        take_then_fail()
    assert sequence_next("z") == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_get_distinct_values():
    if connection.vendor != "postgresql":
        # SQLite serialises writers; the race only exists where rows are locked.
        assert sequence_next("c") == 1
        return
    results: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        try:
            barrier.wait()
            for _ in range(10):
                results.append(sequence_next("concurrent"))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(results) == list(range(1, 81))
