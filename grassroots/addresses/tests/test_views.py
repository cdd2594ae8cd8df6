"""The address pages through Django's test client: search with two
characters, filters, the empty state, the record, collecting with a photo,
the queue's htmx actions, campaigns and their progress, import/export, and
the number of SQL statements of the list and search."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ..models import Address, Batch
from ..selectors import SearchHits
from ..services import addresses as services
from ..services import campaigns
from ..services.transfer import HEADERS
from ..states import State
from .support import data_of, jpeg, room

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rows = [room(tree.unit_a1, str(n), road="幸福路") for n in (101, 102, 201)]
        rows.append(room(tree.unit_b1, "101", road="店子街"))
    return rows


def test_list_search_filters_and_empty_state(client, people, register):
    client.force_login(people.street)
    page = client.get(reverse("addresses:list"))
    assert page.status_code == 200 and page.content.decode().count('data-testid="address-row"') == 4
    found = client.get(reverse("addresses:list"), {"q": "幸福"}).content.decode()
    assert found.count('data-testid="address-row"') == 3
    none = client.get(reverse("addresses:list"), {"q": "不存在"}).content.decode()
    assert 'data-testid="empty"' in none and "没有符合条件的地址" in none
    state = client.get(reverse("addresses:list"), {"state": "verified"}).content.decode()
    assert 'data-testid="empty"' in state
    client.force_login(people.village_b)
    assert client.get(reverse("addresses:list")).content.decode().count('data-testid="address-row"') == 1


def test_list_and_search_queries_do_not_grow(client, people, tree, register, django_assert_max_num_queries):
    for n in range(300, 340):
        room(tree.unit_a1, str(n), road="幸福路")
    client.force_login(people.street)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("addresses:list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("addresses:list"), {"q": "幸福", "state": "pending"}).status_code == 200


def test_detail_shows_the_record_and_other_subtree_is_404(client, people, register):
    address = register[0]
    services.address_collect(actor=people.grid_a, address=address, data=data_of(address, room="103"), photo=jpeg())
    client.force_login(people.village_a)
    page = client.get(reverse("addresses:detail", args=[address.pk])).content.decode()
    assert "现场核采" in page and "101 → 103" in page and 'data-testid="verify"' in page
    assert client.get(reverse("addresses:photo", args=[address.pk]))["Content-Type"] == "image/jpeg"
    client.force_login(people.village_b)
    assert client.get(reverse("addresses:detail", args=[address.pk])).status_code == 404


def test_collect_page_corrects_and_records_position(client, people, register):
    address = register[0]
    client.force_login(people.grid_a)
    page = client.get(reverse("addresses:collect", args=[address.pk])).content.decode()
    assert 'capture="environment"' in page and 'data-geo="latitude"' in page and "addresses/geo.js" in page
    body = {**vars(data_of(address, room="105")), "latitude": "36.8", "longitude": "118.05", "photo": jpeg()}
    response = client.post(reverse("addresses:collect", args=[address.pk]), body)
    assert response.status_code == 302
    address.refresh_from_db()
    assert address.state == State.COLLECTED and address.room == "105" and address.photo
    bad = client.post(
        reverse("addresses:collect", args=[register[1].pk]),
        {**vars(data_of(register[1])), "latitude": "95", "longitude": "1"},
    )
    assert bad.status_code == 400 and "纬度应在" in bad.content.decode()
    assert Address.objects.get(pk=register[1].pk).state == State.PENDING


def test_queue_htmx_verify_and_doubt(client, people, register):
    for address in register[:2]:
        services.address_collect(actor=people.grid_a, address=address, data=data_of(address))
    client.force_login(people.village_a)
    queue = client.get(reverse("addresses:queue")).content.decode()
    assert queue.count('data-testid="queue-row"') == 2
    row = client.post(reverse("addresses:verify", args=[register[0].pk]), HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and "已核验,等待街道审定" in row.content.decode()
    empty = client.post(reverse("addresses:doubt", args=[register[1].pk]), {"reason": ""}, HTTP_HX_REQUEST="true")
    assert "请填写退回原因" in empty.content.decode()
    client.post(reverse("addresses:doubt", args=[register[1].pk]), {"reason": "门牌不符"}, HTTP_HX_REQUEST="true")
    assert Address.objects.get(pk=register[1].pk).state == State.DOUBTFUL
    client.force_login(people.grid_a)
    assert client.post(reverse("addresses:verify", args=[register[0].pk])).status_code == 403


def test_campaign_pages(client, people, tree, register):
    client.force_login(people.street)
    response = client.post(reverse("addresses:campaign-open"), {"title": "标准地址核采", "node": tree.subdistrict.pk})
    campaign_pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert (
        client.post(reverse("addresses:campaign-open"), {"title": "", "node": tree.subdistrict.pk}).status_code == 400
    )
    batch = Batch.objects.get(campaign_id=campaign_pk, grid=tree.grid_a1)
    client.force_login(people.grid_a)
    assert (
        client.get(reverse("addresses:batch", args=[batch.pk])).content.decode().count('data-testid="batch-row"') == 3
    )
    services.address_collect(actor=people.grid_a, address=register[0], data=data_of(register[0]))
    page = client.get(reverse("addresses:campaign", args=[campaign_pk])).content.decode()
    assert 'data-testid="grid-row"' in page and 'id="progress-data"' in page and "完成率" in page
    client.force_login(people.grid_b)
    assert client.get(reverse("addresses:batch", args=[batch.pk])).status_code == 404


def _workbook(rows: list[list[Any]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "地址.xlsx"
    return buffer


def test_import_all_or_nothing_and_export_round_trip(client, people, tree):
    client.force_login(people.street)
    good = ["370303003206", "第1网格/1号楼/1单元", "户/室", "建设路", "18", "1", "1", "101", "", "", "", ""]
    bad = ["370303003206", "第9网格", "户/室", "建设路", "18", "1", "1", "102", "", "", "", ""]
    response = client.post(reverse("addresses:transfer"), {"file": _workbook([good, bad])})
    assert response.status_code == 400 and "第 3 行" in response.content.decode()
    assert not Address.objects.exists()
    response = client.post(reverse("addresses:transfer"), {"file": _workbook([good])})
    assert response.status_code == 302 and Address.objects.get().full_text == "湖田街道西张村建设路18号1栋1单元101室"
    export = client.get(reverse("addresses:export"))
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and list(rows[1][:8]) == good[:8]
    again = client.post(reverse("addresses:transfer"), {"file": _workbook([list(rows[1])])})
    assert again.status_code == 400 and "已存在" in again.content.decode()


def test_campaign_open_refused_for_village_staff(client, people, tree):
    client.force_login(people.village_a)
    assert (
        client.post(reverse("addresses:campaign-open"), {"title": "核采", "node": tree.village_a.pk}).status_code == 403
    )
    assert not campaigns.Campaign.objects.exists()


def test_search_pages_in_register_order_within_the_scope(client, people, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(101, 141):
            room(tree.unit_a1, str(n), road="幸福路")
        room(tree.unit_b1, "101", road="幸福路")
    client.force_login(people.street)
    first = client.get(reverse("addresses:list"), {"q": "幸福"}).content.decode()
    assert "共 41 个地址" in first and first.index("101室") < first.index("102室")
    second = client.get(reverse("addresses:list"), {"q": "幸福", "page": 2}).content.decode()
    assert second.count('data-testid="address-row"') == 11
    village = client.get(reverse("addresses:list"), {"q": "幸福", "village": tree.village_b.pk}).content.decode()
    assert village.count('data-testid="address-row"') == 1
    client.force_login(people.village_b)
    assert "共 1 个地址" in client.get(reverse("addresses:list"), {"q": "幸福"}).content.decode()


@pytest.mark.parametrize("sort_limit", [0, 1000])
def test_search_page_order_is_the_same_whether_sorted_or_walked(
    client, people, tree, django_capture_on_commit_callbacks, django_assert_max_num_queries, monkeypatch, sort_limit
):
    """A few matches are sorted as an expression no index provides (so that
    PostgreSQL does not walk the path index past a place's neighbours);
    many are read in path order. Both give the register's order."""
    monkeypatch.setattr(SearchHits, "SORT_LIMIT", sort_limit)
    with django_capture_on_commit_callbacks(execute=True):
        room(tree.unit_b1, "101", road="幸福路")
        for n in (202, 201, 102):
            room(tree.unit_a1, str(n), road="幸福路")
    rows = Address.objects.all()
    hits = SearchHits(rows, "幸福", None)
    with django_assert_max_num_queries(3):  # count, one page of ids, the page's addresses
        page = hits[0:30]
    assert [a.full_text[-4:] for a in page] == ["102室", "201室", "202室", "101室"]
    sql = str(hits.entries.order_by(*hits.page_order()).query)
    assert ("||" in sql or "CONCAT" in sql.upper()) == (sort_limit > 0)


def test_detail_lists_corrections_in_the_forms_order(client, people, register):
    """PostgreSQL's jsonb returns an object's keys in its own order (shorter
    keys first); the record lists the corrected parts as the form has them."""
    address = register[0]
    services.address_collect(
        actor=people.grid_a, address=address, data=data_of(address, road="幸福大街", room="103", door_number="20")
    )
    event = address.events.get(action="collect")
    reordered = {**event.data, "corrected": dict(reversed(list(event.data["corrected"].items())))}
    type(event).objects.filter(pk=event.pk).update(data=reordered)  # events are append-only otherwise
    client.force_login(people.village_a)
    page = client.get(reverse("addresses:detail", args=[address.pk])).content.decode()
    line = page[page.index('data-testid="corrected"') :]
    assert line.index("街路巷 幸福路 → 幸福大街") < line.index("门牌号 18 → 20") < line.index("户室号 101 → 103")
