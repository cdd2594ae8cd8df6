"""The ballot and the published board are public pages: a matter's item
label is scrubbed of phone and ID numbers, and a matter in a sensitive
category is not an item, though its handler still is (ADR 0018)."""

from __future__ import annotations

import pytest

from grassroots.evaluation.models import ItemKind
from grassroots.matters.models import Category, Matter

from .conftest import make_session

pytestmark = pytest.mark.django_db


def test_matter_items_are_scrubbed_and_sensitive_matters_left_out(world):
    first, second = world.matters[0], world.matters[1]
    Matter.objects.filter(pk=first.pk).update(
        title="村东路灯修复 联系 138-1234-5678", category=Category.objects.get(code="streetlight")
    )
    Matter.objects.filter(pk=second.pk).update(title="困境儿童帮扶", category=Category.objects.get(code="children"))
    session = make_session(world)
    labels = list(session.items.filter(kind=ItemKind.MATTER).values_list("label", flat=True))
    assert labels == [f"{first.number} 村东路灯修复 联系 [号码已隐去]"]
    staff = set(session.items.filter(kind=ItemKind.STAFF).values_list("staff_id", flat=True))
    assert staff == {world.handler1.pk, world.handler2.pk}  # the handler of the sensitive matter is still appraised
