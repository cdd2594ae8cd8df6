"""Inspections: answers against the version in force (a later version
changes nothing recorded), a failed item needs a note, photos checked by
content, inspectors responsible for the place, the pages and 404 outside
the subtree."""

from __future__ import annotations

from typing import cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.urls import reverse

from grassroots.addresses.tests.support import jpeg
from grassroots.core.errors import NotFound

from ..errors import SafetyError
from ..models import Checklist, Inspection, InspectionAnswer, InspectionPhoto, Result
from ..services import checklists
from ..services import premises as premises_services
from ..services.inspections import Answer, InspectionInput, inspection_record, versions_applicable
from .support import inspect, premises_at

pytestmark = pytest.mark.django_db


def test_record_with_photos_and_inspectors(tree, people):
    premises = premises_at(tree.grid_a1)
    inspection = inspect(premises, actor=people.grid_a, inspectors=[people.village_a], fail=2, photos=[jpeg()])
    assert inspection.failed == 2 and inspection.path == premises.path
    assert set(inspection.inspectors.all()) == {people.grid_a, people.village_a}
    photo = InspectionPhoto.objects.get(inspection=inspection)
    assert photo.content_type == "image/jpeg" and len(photo.sha256) == 64 and photo.file.name.endswith(".jpg")
    assert InspectionAnswer.objects.filter(inspection=inspection, result=Result.FAIL).count() == 2


def test_a_new_version_never_changes_old_inspections(tree, people):
    premises = premises_at(tree.grid_a1)
    first = inspect(premises, actor=people.grid_a)
    old_version = first.version
    checklist = Checklist.objects.get(code="warehouse-fire")
    checklists.checklist_publish(
        actor=people.street, checklist=checklist, items=[checklists.ItemInput("通道畅通", "《消防法》第二十八条")]
    )
    first.refresh_from_db()
    assert first.version == old_version and first.answers.count() == old_version.items.count()
    second = inspect(premises, actor=people.grid_a)
    assert second.version.number == 2 and second.answers.count() == 1
    # A page still showing the old version is refused.
    answers = {item.pk: Answer(Result.PASS) for item in old_version.items.all()}
    with pytest.raises(SafetyError):
        inspection_record(
            actor=people.grid_a, premises=premises, data=InspectionInput(version=old_version, answers=answers)
        )


def test_refusals_write_nothing(tree, people):
    premises = premises_at(tree.grid_a1)
    version = versions_applicable(premises)[0]
    items = list(version.items.all())
    passing = {item.pk: Answer(Result.PASS) for item in items}
    cases = [
        ({**passing, items[0].pk: Answer(Result.FAIL)}, [], [], "fail_note"),
        ({k: v for k, v in passing.items() if k != items[0].pk}, [], [], "item_unanswered"),
        (passing, [people.grid_b], [], "inspector_invalid"),
        (
            passing,
            [],
            [cast(UploadedFile, SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg"))],
            "file_type",
        ),
    ]
    for answers, inspectors, photos, code in cases:
        with pytest.raises(SafetyError) as caught:
            inspection_record(
                actor=people.grid_a,
                premises=premises,
                data=InspectionInput(version=version, answers=answers, inspectors=inspectors, photos=photos),
            )
        assert caught.value.code == code
    with pytest.raises(NotFound):
        inspection_record(
            actor=people.grid_b, premises=premises, data=InspectionInput(version=version, answers=passing)
        )
    premises_services.premises_close(actor=people.village_a, premises=premises, reason="已拆除")
    with pytest.raises(SafetyError):
        inspection_record(
            actor=people.grid_a, premises=premises, data=InspectionInput(version=version, answers=passing)
        )
    assert not Inspection.objects.exists()


def test_inspect_page_and_record(client, tree, people):
    premises = premises_at(tree.grid_a1)
    version = versions_applicable(premises)[0]
    items = list(version.items.order_by("position"))
    client.force_login(people.grid_a)
    form = client.get(reverse("safety:inspect", args=[premises.pk]))
    assert form.status_code == 200 and form.content.decode().count('data-testid="item"') == len(items)
    data = {"version": version.pk, "inspected_at": "2026-12-07T10:00", "inspectors": [people.village_a.pk]}
    data.update({f"result_{item.pk}": "pass" for item in items})
    data[f"result_{items[0].pk}"] = "fail"
    refused = client.post(reverse("safety:inspect", args=[premises.pk]), data)
    assert refused.status_code == 400 and "请写明发现的问题" in refused.content.decode()
    data[f"note_{items[0].pk}"] = "安全出口被货物堵塞"
    data["photos"] = jpeg()
    done = client.post(reverse("safety:inspect", args=[premises.pk]), data)
    inspection = Inspection.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("safety:inspection", args=[inspection.pk])
    page = client.get(done["Location"]).content.decode()
    assert "安全出口被货物堵塞" in page and "不合格 1 项" in page and 'data-testid="photo"' in page
    photo = inspection.photos.get()
    assert client.get(reverse("safety:inspection-photo", args=[photo.pk]))["Content-Type"] == "image/jpeg"
    history = client.get(reverse("safety:premises", args=[premises.pk])).content.decode()
    assert history.count('data-testid="inspection-row"') == 1
    client.force_login(people.grid_b)
    assert client.get(reverse("safety:inspection", args=[inspection.pk])).status_code == 404
    assert client.get(reverse("safety:inspection-photo", args=[photo.pk])).status_code == 404
