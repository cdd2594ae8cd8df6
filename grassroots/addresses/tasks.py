"""Celery tasks of the standard address register."""

from __future__ import annotations

from celery import shared_task

from .models import Address
from .services.addresses import address_index


@shared_task(ignore_result=True)
def reindex_addresses() -> int:
    """Rebuild the search entries of every address (after a change of the
    search normalisation, or a restore); the number indexed."""
    count = 0
    for address in Address.objects.order_by("pk").iterator(chunk_size=2000):
        address_index(address)
        count += 1
    return count
