"""Services of the register: the standard text from its parts, corrections
on collection, photos, positions, roles and subtrees, campaigns and their
progress."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.core.actors import SYSTEM
from grassroots.core.errors import DomainError
from grassroots.core.search import search_ids

from ..models import Address, AddressEvent, Batch, Kind
from ..selectors import campaign_progress, campaigns_visible_to
from ..services import addresses as services
from ..services import campaigns
from ..services.addresses import AddressInput
from ..states import State
from .support import data_of, jpeg, room

pytestmark = pytest.mark.django_db


def test_standard_text_from_parts_with_division_code(tree):
    address = services.address_create(
        actor=SYSTEM,
        node=tree.unit_a1,
        data=AddressInput(
            kind=Kind.ROOM, road=" 建设路 ", door_number="１８号", building="1栋", unit="1单元", room="501室"
        ),
    )
    assert address.full_text == "湖田街道西张村建设路18号1栋1单元501室"
    assert address.division_code == "370303003206"
    assert (address.door_number, address.building, address.unit, address.room) == ("18", "1", "1", "501")
    assert address.path == tree.unit_a1.path
    assert address.events.get().action == "create"


def test_search_two_characters(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        address = room(tree.unit_a1, "101", road="幸福路")
    assert search_ids(query="幸福", obj_type=services.SEARCH_TYPE) == [str(address.pk)]
    assert search_ids(query="370303003206", obj_type=services.SEARCH_TYPE) == [str(address.pk)]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"road": ""}, "road_required"),
        ({"door_number": ""}, "door_number_required"),
        ({"room": ""}, "room_required"),
        ({"building": ""}, "building_required"),
        ({"kind": "castle"}, "kind_invalid"),
        ({"room": "5<01"}, "part_invalid"),
    ],
)
def test_bad_parts_write_nothing(tree, changes, code):
    values = {"kind": Kind.ROOM, "road": "建设路", "door_number": "18", "building": "1", "unit": "1", "room": "101"}
    values.update(changes)
    with pytest.raises(DomainError) as excinfo:
        services.address_create(actor=SYSTEM, node=tree.unit_a1, data=AddressInput(**values))
    assert excinfo.value.code == code
    assert not Address.objects.exists()


def test_duplicate_and_wrong_node(tree):
    room(tree.unit_a1, "101")
    with pytest.raises(DomainError) as excinfo:
        room(tree.unit_a1, "101室")
    assert excinfo.value.code == "duplicate"
    with pytest.raises(DomainError) as excinfo:
        room(tree.grid_a1, "102")
    assert excinfo.value.code == "node_level"


def test_collect_corrects_fields_with_photo_and_position(tree, people):
    address = room(tree.unit_a1, "101")
    collected = services.address_collect(
        actor=people.grid_a,
        address=address,
        data=data_of(address, room="102"),
        latitude="36.812345",
        longitude="118.054321",
        photo=jpeg(),
    )
    collected.refresh_from_db()
    assert collected.state == State.COLLECTED
    assert collected.full_text.endswith("1单元102室") and collected.collected_by == people.grid_a
    assert str(collected.latitude) == "36.812345" and collected.photo.name.endswith(".jpg")
    event = collected.events.get(action="collect")
    assert event.data["corrected"] == {"room": ["101", "102"]} and event.data["photo"] is True


@pytest.mark.parametrize(
    ("lat", "lng", "code"),
    [("91", "118", "position_range"), ("36", "", "position_pair"), ("北纬", "118", "position_invalid")],
)
def test_collect_refuses_bad_positions(tree, people, lat, lng, code):
    address = room(tree.unit_a1, "101")
    with pytest.raises(DomainError) as excinfo:
        services.address_collect(
            actor=people.grid_a, address=address, data=data_of(address), latitude=lat, longitude=lng
        )
    assert excinfo.value.code == code
    address.refresh_from_db()
    assert address.state == State.PENDING and not AddressEvent.objects.filter(action="collect").exists()


@pytest.mark.parametrize(
    "photo",
    [
        SimpleUploadedFile("门牌.jpg", b"not an image at all", content_type="image/jpeg"),
        SimpleUploadedFile("门牌.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif"),
    ],
)
def test_collect_refuses_bad_photos(tree, people, photo):
    address = room(tree.unit_a1, "101")
    with pytest.raises(DomainError) as excinfo:
        services.address_collect(actor=people.grid_a, address=address, data=data_of(address), photo=photo)
    assert excinfo.value.code == "photo_invalid"
    address.refresh_from_db()
    assert address.state == State.PENDING and not address.photo


def test_photo_type_must_match_content(tree, people):
    address = room(tree.unit_a1, "101")
    photo = jpeg()
    photo.content_type = "image/png"
    with pytest.raises(DomainError):
        services.address_collect(actor=people.grid_a, address=address, data=data_of(address), photo=photo)


def test_roles_and_subtrees(tree, people):
    address = room(tree.unit_a1, "101")
    with pytest.raises(DomainError) as excinfo:
        services.address_collect(actor=people.grid_b, address=address, data=data_of(address))
    assert excinfo.value.status == 404
    with pytest.raises(DomainError) as excinfo:
        services.address_collect(actor=people.village_a, address=address, data=data_of(address))
    assert excinfo.value.status == 403
    services.address_collect(actor=people.grid_a, address=address, data=data_of(address))
    with pytest.raises(DomainError) as excinfo:
        services.address_verify(actor=people.village_b, address=address)
    assert excinfo.value.status == 404
    with pytest.raises(DomainError) as excinfo:
        services.address_sign_off(actor=people.village_a, address=address)
    assert excinfo.value.status == 403


def test_doubt_needs_a_reason_and_goes_back_to_the_worker(tree, people):
    address = room(tree.unit_a1, "101")
    services.address_collect(actor=people.grid_a, address=address, data=data_of(address))
    with pytest.raises(DomainError) as excinfo:
        services.address_doubt(actor=people.village_a, address=address, reason="  ")
    assert excinfo.value.code == "reason_required"
    services.address_doubt(actor=people.village_a, address=address, reason="现场为 102 室")
    address.refresh_from_db()
    assert address.state == State.DOUBTFUL and address.doubt_reason == "现场为 102 室"
    services.address_collect(actor=people.grid_a, address=address, data=data_of(address, room="102"))
    address.refresh_from_db()
    assert address.state == State.COLLECTED and address.doubt_reason == ""


def test_campaign_batches_progress_and_daily_figure(tree, people):
    a1, a2 = room(tree.unit_a1, "101"), room(tree.unit_a1, "102")
    b1 = room(tree.unit_b1, "101", road="店子街")
    campaign = campaigns.campaign_open(actor=people.street, node=tree.subdistrict, title="2026 年标准地址核采")
    assert Batch.objects.filter(campaign=campaign).count() == 4
    batch_a = Batch.objects.get(campaign=campaign, grid=tree.grid_a1)
    assert batch_a.worker == people.grid_a
    assert set(batch_a.addresses.all()) == {a1, a2}
    for address in (a1, a2):
        services.address_collect(actor=people.grid_a, address=address, data=data_of(address))
        services.address_verify(actor=people.village_a, address=address)
    assert campaigns.batch_sign_off(actor=people.street, batch=batch_a) == 2
    progress = campaign_progress(campaign=campaign, user=people.street)
    assert (progress.total.done, progress.total.total, progress.rate) == (2, 3, 66.7)
    village_a = progress.villages[0]
    assert (village_a.tally.label, village_a.tally.percent) == ("西张村", 100.0)
    assert [(g.label, g.done, g.total) for g in village_a.grids] == [("第1网格", 2, 2), ("第2网格", 0, 0)]
    assert [n for _day, n in progress.daily] == [2]
    # The grid worker of village b sees the campaign, and only their part of it.
    assert campaign in campaigns_visible_to(user=people.grid_b)
    mine = campaign_progress(campaign=campaign, user=people.grid_b)
    assert (mine.total.total, mine.total.done) == (1, 0) and b1.pk


def test_campaign_rules(tree, people):
    campaigns.campaign_open(actor=people.street, node=tree.subdistrict, title="核采")
    with pytest.raises(DomainError) as excinfo:
        campaigns.campaign_open(actor=people.street, node=tree.village_a, title="再次核采")
    assert excinfo.value.code == "campaign_overlap"
    with pytest.raises(DomainError) as excinfo:
        campaigns.campaign_open(actor=people.village_a, node=tree.village_a, title="核采")
    assert excinfo.value.status == 403
