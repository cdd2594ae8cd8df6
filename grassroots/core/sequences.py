"""Gap-tolerant, collision-free counters for numbers people read out
(matter numbers, acceptance numbers). Must be called inside the transaction
that uses the number: the row lock taken by the UPDATE serialises concurrent
callers on PostgreSQL; SQLite serialises writers anyway."""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import Sequence


def sequence_next(name: str, *, start: Callable[[], int] | None = None) -> int:
    """The next value of counter `name`. `start()` gives the value already in
    use when the counter does not exist yet (e.g. the highest number issued
    before counters existed); it defaults to 0."""
    with transaction.atomic():
        if not Sequence.objects.filter(name=name).update(value=F("value") + 1):
            try:
                with transaction.atomic():
                    Sequence.objects.create(name=name, value=(start() if start else 0) + 1)
            except IntegrityError:
                # Someone created it between our UPDATE and INSERT: increment theirs.
                Sequence.objects.filter(name=name).update(value=F("value") + 1)
        return Sequence.objects.filter(name=name).values_list("value", flat=True).get()
