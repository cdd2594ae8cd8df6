"""Service tests for 说事 intake: `matter_create` from every channel, the
attachment checks (type by content, size, count, sha256, all-or-nothing),
idempotency, tracking codes, and `visit_log`."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.core.errors import DomainError, NotFound, PermissionDenied
from grassroots.core.files import MAX_BYTES, MAX_FILES
from grassroots.core.models import AuditEntry
from grassroots.core.search_models import SearchEntry
from grassroots.matters.attachments import check_files
from grassroots.matters.errors import IdempotencyKeyMismatch, MatterError
from grassroots.matters.models import Attachment, Channel, EventKind, Matter, MatterEvent, Urgency, Visit
from grassroots.matters.services.intake import (
    SEARCH_TYPE,
    TRACKING_ALPHABET,
    MatterInput,
    VisitMatter,
    format_tracking_code,
    matter_create,
    parse_tracking_code,
    visit_log,
)
from grassroots.matters.states import State
from grassroots.regions.models import Household, Resident

from .uploads import PDF_BYTES, fake_image_upload, pdf_upload, png_bytes, png_upload

# Every place of the small tree has handling staff (ADR 0021).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("served")]


def web_input(node, **overrides) -> MatterInput:
    fields = {
        "node": node,
        "title": "楼道灯坏了",
        "description": "3号楼2单元楼道灯坏了一个星期,晚上看不见。",
        "channel": Channel.WEB,
        "reporter_phone": "13812345678",
        "reporter_name": "王五",
        "location": "2单元门口",
    }
    fields.update(overrides)
    return MatterInput(**fields)


def counts() -> tuple[int, int, int, int]:
    return Matter.objects.count(), Attachment.objects.count(), MatterEvent.objects.count(), Visit.objects.count()


# --- matter_create ---------------------------------------------------------------


def test_web_report_creates_matter_with_code_event_and_audit(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        matter, created = matter_create(data=web_input(tree.unit_a1))
    assert created is True
    matter.refresh_from_db()
    assert matter.state == State.REPORTED
    assert matter.path == tree.unit_a1.path
    assert matter.channel == Channel.WEB
    assert matter.urgency == Urgency.NORMAL
    assert matter.created_by is None
    assert len(matter.tracking_code) == 10
    assert set(matter.tracking_code) <= set(TRACKING_ALPHABET)
    assert matter.number == f"SX{timezone.localdate():%Y%m%d}-0001"
    assert matter.reporter_phone == "13812345678"
    assert matter.reporter_phone_index  # exact lookup by blind index works
    assert Matter.objects.filter(reporter_phone_index=matter.reporter_phone_index).count() == 1
    event = matter.events.get()
    assert event.kind == EventKind.CREATED and event.public is True and event.actor is None
    assert event.actor_label == "反映人"
    assert (
        AuditEntry.objects.filter(action="data.create", object_type="matters.Matter", object_id=str(matter.pk)).count()
        == 1
    )
    entry = SearchEntry.objects.get(object_type=SEARCH_TYPE, object_id=str(matter.pk))
    assert "楼道灯" in entry.text


def test_phone_is_stored_encrypted(tree):
    from django.db import connection

    matter, _ = matter_create(data=web_input(tree.unit_a1))
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_phone FROM matters_matter WHERE id = %s", [matter.pk])
        raw = cursor.fetchone()[0]
    assert "13812345678" not in str(raw)


def test_numbers_are_sequential_per_day(tree):
    first, _ = matter_create(data=web_input(tree.unit_a1))
    second, _ = matter_create(data=web_input(tree.village_b, title="垃圾没人清"))
    assert first.number.endswith("-0001")
    assert second.number.endswith("-0002")
    assert first.tracking_code != second.tracking_code


def test_phone_is_normalised(tree):
    matter, _ = matter_create(data=web_input(tree.unit_a1, reporter_phone="+86 138-1234-5678"))
    matter.refresh_from_db()
    assert matter.reporter_phone == "13812345678"


def test_anonymous_report_drops_name_keeps_phone(tree):
    matter, _ = matter_create(data=web_input(tree.unit_a1, anonymous=True, reporter_resident=tree.resident_a1))
    matter.refresh_from_db()
    assert matter.anonymous is True
    assert matter.reporter_name == ""
    assert matter.reporter_resident is None
    assert matter.reporter_phone == "13812345678"


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"title": "   "}, "title_required", "title"),
        ({"title": "长" * 101}, "title_too_long", "title"),
        ({"description": "太短"}, "description_required", "description"),
        ({"description": "长" * 5001}, "description_too_long", "description"),
        ({"reporter_phone": "12345"}, "phone_invalid", "reporter_phone"),
        ({"reporter_phone": ""}, "phone_required", "reporter_phone"),
        ({"location": "长" * 201}, "location_too_long", "location"),
        ({"channel": "fax"}, "channel_invalid", "channel"),
        ({"urgency": "whenever"}, "urgency_invalid", "urgency"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(tree, overrides, code, field):
    before = counts()
    with pytest.raises(MatterError) as excinfo:
        matter_create(data=web_input(tree.unit_a1, **overrides), files=[png_upload()])
    assert excinfo.value.code == code
    assert excinfo.value.field == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in excinfo.value.message)  # a Chinese message
    assert counts() == before


def test_subdistrict_is_too_high_for_a_matter(tree):
    with pytest.raises(MatterError) as excinfo:
        matter_create(data=web_input(tree.subdistrict))
    assert excinfo.value.field == "node"
    assert Matter.objects.count() == 0


def test_staff_channels_do_not_need_a_phone(tree, make_user):
    staff = make_user(Role.VILLAGE_STAFF, tree.village_a)
    matter, _ = matter_create(data=web_input(tree.village_a, channel=Channel.HOTLINE, reporter_phone=""), actor=staff)
    assert matter.created_by == staff
    assert matter.events.get().actor == staff


# --- attachments -----------------------------------------------------------------


def test_attachments_are_checked_by_content_and_sha256_stored(tree):
    png = png_bytes()
    upload = SimpleUploadedFile("IMG_0001.jpg", png, content_type="image/jpeg")  # the name lies
    matter, _ = matter_create(data=web_input(tree.unit_a1), files=[upload, pdf_upload()])
    first, second = matter.attachments.order_by("id")
    assert first.content_type == "image/png"
    assert first.sha256 == hashlib.sha256(png).hexdigest()
    assert first.size == len(png)
    assert first.original_name == "IMG_0001.jpg"
    assert first.public is False
    assert first.event == matter.events.get(kind=EventKind.CREATED)
    assert first.file.read() == png
    assert second.content_type == "application/pdf"
    assert second.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()


def test_webp_and_heic_from_phones_are_accepted():
    webp = SimpleUploadedFile("a.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 20)
    heic = SimpleUploadedFile("b.heic", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 20)
    assert [c.content_type for c in check_files([webp, heic])] == ["image/webp", "image/heic"]


@pytest.mark.parametrize(
    ("files", "code"),
    [
        ([fake_image_upload()], "file_type"),
        ([png_upload(), fake_image_upload("second.jpg")], "file_type"),
        ([SimpleUploadedFile("empty.png", b"")], "file_empty"),
        ([SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * MAX_BYTES)], "file_too_large"),
        ([png_upload(f"{i}.png", (i, i, i)) for i in range(MAX_FILES + 1)], "too_many_files"),
    ],
)
def test_bad_attachments_reject_the_whole_submission(tree, files: list[Any], code):
    before = counts()
    with pytest.raises(MatterError) as excinfo:
        matter_create(data=web_input(tree.unit_a1), files=files)
    assert excinfo.value.code == code
    assert excinfo.value.field == "attachments"
    assert counts() == before


def test_the_maximum_number_of_files_is_allowed(tree):
    files: list[Any] = [png_upload(f"{i}.png", (i, 0, 0)) for i in range(MAX_FILES)]
    matter, _ = matter_create(data=web_input(tree.unit_a1), files=files)
    assert matter.attachments.count() == MAX_FILES
    assert len(set(matter.attachments.values_list("sha256", flat=True))) == MAX_FILES


def test_a_file_read_before_the_check_is_still_stored_whole(tree):
    upload = png_upload()
    upload.read()  # e.g. a form field peeked at it
    matter, _ = matter_create(data=web_input(tree.unit_a1), files=[upload])
    assert matter.attachments.get().size == len(png_bytes())


# --- idempotency -------------------------------------------------------------------


def test_same_idempotency_key_returns_the_first_matter(tree):
    first, created = matter_create(data=web_input(tree.unit_a1), files=[png_upload()], idempotency_key="web:abc123")
    again, created_again = matter_create(
        data=web_input(tree.unit_a1), files=[png_upload()], idempotency_key="web:abc123"
    )
    assert created is True and created_again is False
    assert again.pk == first.pk
    assert Matter.objects.count() == 1
    assert Attachment.objects.count() == 1
    assert MatterEvent.objects.count() == 1


def test_same_idempotency_key_with_a_different_submission_is_refused(tree):
    """Issue 11 item 14: answering a different submission with the first
    matter would lose it silently (ADR 0029)."""
    first, _ = matter_create(data=web_input(tree.unit_a1), idempotency_key="k-1")
    for changed in (web_input(tree.unit_a1, title="重试"), web_input(tree.unit_a1, title="")):
        with pytest.raises(IdempotencyKeyMismatch):
            matter_create(data=changed, idempotency_key="k-1")
    assert list(Matter.objects.values_list("pk", "title")) == [(first.pk, first.title)]


def test_different_keys_make_different_matters(tree):
    matter_create(data=web_input(tree.unit_a1), idempotency_key="k-1")
    matter_create(data=web_input(tree.unit_a1), idempotency_key="k-2")
    assert Matter.objects.count() == 2


# --- tracking codes --------------------------------------------------------------------


def test_tracking_code_format_and_parse():
    assert format_tracking_code("7K3M9QX2PA") == "7K3M-9QX2-PA"
    assert parse_tracking_code(" 7k3m-9qx2-pa ") == "7K3M9QX2PA"
    assert parse_tracking_code("7K3M 9QX2 PA") == "7K3M9QX2PA"


# --- visit_log -----------------------------------------------------------------------------


@pytest.fixture
def worker(tree, make_user):
    return make_user(Role.GRID_WORKER, tree.grid_a1)


@pytest.fixture
def household(tree):
    return tree.resident_a1.household


def test_visit_without_matters(worker, household):
    visit = visit_log(actor=worker, household=household, notes="老人身体不错,无诉求。", matters=[])
    assert visit.path == household.path
    assert visit.visitor == worker
    assert visit.matters.count() == 0
    assert Matter.objects.count() == 0


def test_visit_with_two_matters(worker, household, tree):
    visit = visit_log(
        actor=worker,
        household=household,
        notes="走访张三家",
        matters=[
            VisitMatter(title="楼顶漏水", description="下雨时顶楼漏水严重", files=[png_upload()]),
            VisitMatter(title="路灯不亮", description="小区东门路灯不亮", touches_collective=True),
        ],
    )
    matters = list(visit.matters.order_by("number"))
    assert [m.title for m in matters] == ["楼顶漏水", "路灯不亮"]
    for matter in matters:
        assert matter.channel == Channel.VISIT
        assert matter.node == tree.unit_a1
        assert matter.created_by == worker
        assert matter.reporter_resident == tree.resident_a1
        assert matter.reporter_phone == tree.resident_a1.phone
        assert matter.location == household.address
        assert matter.channel_detail == {"household": household.pk, "visit": visit.pk}
    assert matters[0].attachments.count() == 1
    assert matters[0].attachments.get().uploaded_by == worker
    assert matters[1].touches_collective is True
    assert AuditEntry.objects.filter(object_type="matters.Visit", object_id=str(visit.pk)).count() == 1


def test_visit_is_all_or_nothing(worker, household):
    before = counts()
    with pytest.raises(MatterError) as excinfo:
        visit_log(
            actor=worker,
            household=household,
            notes="走访",
            matters=[
                VisitMatter(title="楼顶漏水", description="下雨时顶楼漏水严重"),
                VisitMatter(title="路灯", description="坏"),
            ],
        )
    assert excinfo.value.message.startswith("第 2 件事:")
    assert excinfo.value.field == "description"
    assert counts() == before


def test_visit_bad_file_in_second_matter_saves_nothing(worker, household):
    before = counts()
    with pytest.raises(MatterError) as excinfo:
        visit_log(
            actor=worker,
            household=household,
            notes="走访",
            matters=[
                VisitMatter(title="楼顶漏水", description="下雨时顶楼漏水严重", files=[png_upload()]),
                VisitMatter(title="路灯不亮", description="小区东门路灯不亮", files=[fake_image_upload()]),
            ],
        )
    assert excinfo.value.code == "file_type"
    assert counts() == before


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"notes": "  ", "matters": []}, "visit_empty"),
        ({"notes": "长" * 2001, "matters": []}, "notes_too_long"),
        (
            {"notes": "走访", "matters": [], "visited_at": timezone.now() + datetime.timedelta(hours=1)},
            "visit_in_future",
        ),
    ],
)
def test_visit_bad_input(worker, household, kwargs, code):
    with pytest.raises(MatterError) as excinfo:
        visit_log(actor=worker, household=household, **kwargs)
    assert excinfo.value.code == code
    assert Visit.objects.count() == 0


def test_visit_keeps_going_when_the_heads_phone_is_not_a_mobile(worker, household, tree):
    Resident.objects.filter(pk=tree.resident_a1.pk).update(phone="0533-2345678")
    visit = visit_log(
        actor=worker,
        household=Household.objects.get(pk=household.pk),
        notes="",
        matters=[VisitMatter(title="楼顶漏水", description="下雨时顶楼漏水严重")],
    )
    matter = visit.matters.get()
    assert matter.reporter_phone == ""
    assert matter.reporter_resident_id == tree.resident_a1.pk


def test_visit_outside_the_workers_grid_is_refused(tree, make_user, household):
    other = make_user(Role.GRID_WORKER, tree.grid_b1)
    with pytest.raises(NotFound):
        visit_log(actor=other, household=household, notes="走访", matters=[])
    assert Visit.objects.count() == 0


@pytest.mark.parametrize("role", [Role.VILLAGE_STAFF, Role.MEDIATOR])
def test_visit_needs_the_record_visits_capability(tree, make_user, household, role):
    user = make_user(role, tree.village_a)
    with pytest.raises(PermissionDenied):
        visit_log(actor=user, household=household, notes="走访", matters=[])
    assert Visit.objects.count() == 0


def test_domain_errors_are_domain_errors():
    assert issubclass(MatterError, DomainError)
