"""Checklists: the seeded defaults, publishing a new version (the old
version and what answered it stay), the page and API twins, and who may
publish."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from grassroots.core.errors import PermissionDenied

from ..errors import SafetyError
from ..models import Checklist, ChecklistItem, ChecklistVersion
from ..selectors import version_in_force, versions_for_kind
from ..services import checklists as services

pytestmark = pytest.mark.django_db


def test_defaults_are_seeded_with_legal_basis():
    codes = set(Checklist.objects.values_list("code", flat=True))
    assert {"warehouse-fire", "nine-small", "hazardous-chemicals"} <= codes
    warehouse = version_in_force(checklist=Checklist.objects.get(code="warehouse-fire"))
    assert warehouse is not None and warehouse.number == 1
    assert warehouse is not None
    assert all("《" in item.legal_basis for item in warehouse.items.all())
    assert [v.checklist.code for v in versions_for_kind(kind="small_restaurant")] == ["nine-small"]


def test_publish_makes_a_new_version_and_keeps_the_old_one(people):
    checklist = Checklist.objects.get(code="warehouse-fire")
    old = version_in_force(checklist=checklist)
    assert old is not None
    old_items = list(old.items.values_list("id", "text"))
    items = services.parse_items(
        "通道畅通 | 《中华人民共和国消防法》第二十八条\n\n灭火器有效 | 《中华人民共和国消防法》第十六条"
    )
    version = services.checklist_publish(actor=people.street, checklist=checklist, items=items, note="精简")
    assert version.number == 2 and version_in_force(checklist=checklist) == version
    assert list(version.items.values_list("position", flat=True)) == [1, 2]
    assert list(old.items.values_list("id", "text")) == old_items


def test_parse_and_publish_refusals(people):
    checklist = Checklist.objects.get(code="nine-small")
    with pytest.raises(SafetyError) as caught:
        services.parse_items("通道畅通 | 依据\n没有依据的一行")
    assert "第 2 行" in caught.value.message
    with pytest.raises(SafetyError):
        services.checklist_publish(actor=people.street, checklist=checklist, items=[])
    with pytest.raises(PermissionDenied):
        services.checklist_publish(actor=people.village_a, checklist=checklist, items=[services.ItemInput("a", "b")])
    assert checklist.versions.count() == 1


def test_pages(client, people):
    checklist = Checklist.objects.get(code="warehouse-fire")
    client.force_login(people.grid_a)
    page = client.get(reverse("safety:checklists")).content.decode()
    assert page.count('data-testid="checklist-row"') == Checklist.objects.count()
    detail = client.get(reverse("safety:checklist", args=[checklist.pk])).content.decode()
    assert "《中华人民共和国消防法》第二十八条" in detail and 'data-testid="publish"' not in detail
    assert client.get(reverse("safety:checklist-publish", args=[checklist.pk])).status_code == 403
    client.force_login(people.street)
    form = client.get(reverse("safety:checklist-publish", args=[checklist.pk])).content.decode()
    assert "《中华人民共和国消防法》第二十八条" in form
    bad = client.post(reverse("safety:checklist-publish", args=[checklist.pk]), {"items": "没有依据"})
    assert bad.status_code == 400 and "第 1 行" in bad.content.decode()
    assert ChecklistVersion.objects.filter(checklist=checklist).count() == 1
    done = client.post(
        reverse("safety:checklist-publish", args=[checklist.pk]),
        {"items": "通道畅通 | 《中华人民共和国消防法》第二十八条", "note": "第二版"},
    )
    assert done.status_code == 302
    detail = client.get(reverse("safety:checklist", args=[checklist.pk])).content.decode()
    assert detail.count('data-testid="version-card"') == 2 and detail.count('data-testid="item"') == 1


def test_api(people):
    checklist = Checklist.objects.get(code="hazardous-chemicals")
    client = APIClient()
    client.force_authenticate(people.grid_a)
    listed = client.get("/api/v1/safety/checklists").json()
    assert {row["code"] for row in listed["results"]} >= {"hazardous-chemicals"}
    body = {"items": [{"text": "许可证有效", "legal_basis": "《危险化学品安全管理条例》第三十三条"}]}
    assert client.post(f"/api/v1/safety/checklists/{checklist.pk}/publish", body, format="json").status_code == 403
    client.force_authenticate(people.street)
    answer = client.post(f"/api/v1/safety/checklists/{checklist.pk}/publish", body, format="json")
    assert answer.status_code == 201 and answer.json()["versions"][0]["number"] == 2
    empty = client.post(f"/api/v1/safety/checklists/{checklist.pk}/publish", {"items": []}, format="json")
    assert empty.status_code == 400
    assert ChecklistItem.objects.filter(version__checklist=checklist, version__number=2).count() == 1
