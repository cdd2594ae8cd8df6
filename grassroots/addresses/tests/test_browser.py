"""The address pages in a real browser at phone width (issue 13, "done
when"): a grid worker collects and corrects the addresses of their grid in a
campaign (photo, position from the browser), village staff verify one and
send one back, the grid worker collects it again, and the campaign's
progress shows per grid; the subdistrict signs the grid off. Also the
register's search, import/export page and the campaign list on a desktop."""

from __future__ import annotations

import pytest
from PIL import Image
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.testing.browser import htmx_idle, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import Address, Batch
from ..services import campaigns
from ..states import State
from .support import room

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/addresses"


@pytest.fixture
def world(transactional_db):
    tree = build_small_tree()
    users = {
        "wangge": UserFactory(
            username="wangge", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1, display_name="王网格"
        ),
        "cunwu": UserFactory(
            username="cunwu", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="李村务"
        ),
        "jiedao": UserFactory(
            username="jiedao", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, display_name="赵街道"
        ),
    }
    rooms = [room(tree.unit_a1, number, road="幸福路") for number in ("101", "102", "201")]
    campaign = campaigns.campaign_open(actor=users["jiedao"], node=tree.subdistrict, title="2026 年标准地址核采")
    return tree, users, rooms, campaign


def _switch(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username, DEFAULT_PASSWORD)


def test_grid_worker_collects_village_verifies_progress_per_grid(phone_page, live_server, world, tmp_path):
    page = phone_page
    tree, _users, rooms, campaign = world
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 36.812345, "longitude": 118.054321, "accuracy": 8})
    photo = tmp_path / "门牌.jpg"
    Image.new("RGB", (64, 48), (180, 60, 30)).save(photo, format="JPEG")

    # The grid worker opens their batch from the register.
    login(page, live_server, "wangge", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/addresses/")
    page.get_by_test_id("batch-link").click()
    expect(page.get_by_test_id("batch-row")).to_have_count(3)
    expect(page.get_by_test_id("left")).to_have_text("3")
    page.screenshot(path=f"{SHOTS}_batch.png", full_page=True)

    # 101: the door plate says 103 — corrected, photo taken, position recorded.
    page.get_by_test_id("batch-row").filter(has_text="101室").click()
    expect(page.get_by_test_id("geo-status")).to_contain_text("已定位:36.812345, 118.054321")
    page.get_by_label("户室号").fill("103室")
    page.get_by_label("现场照片").set_input_files(str(photo))
    page.screenshot(path=f"{SHOTS}_collect.png", full_page=True)
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("left")).to_have_text("2")
    first = Address.objects.get(pk=rooms[0].pk)
    assert first.state == State.COLLECTED and first.room == "103" and first.photo
    assert str(first.latitude) == "36.812345" and str(first.longitude) == "118.054321"

    # 102: confirmed as it is.
    page.get_by_test_id("batch-row").filter(has_text="102室").click()
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("left")).to_have_text("1")

    # Village staff verify 103 and send 102 back (htmx swaps each row).
    _switch(page, live_server, "cunwu")
    page.goto(f"{live_server.url}/addresses/queue/")
    expect(page.get_by_test_id("queue-row")).to_have_count(2)
    row = page.get_by_test_id("queue-row").filter(has_text="103室")
    row.get_by_test_id("verify").click()
    htmx_idle(page)
    expect(page.get_by_test_id("queue-row").filter(has_text="103室").get_by_test_id("row-notice")).to_contain_text(
        "已核验"
    )
    other = page.get_by_test_id("queue-row").filter(has_text="102室")
    other.get_by_test_id("reason").fill("现场门牌为 104 室")
    other.get_by_test_id("doubt").click()
    htmx_idle(page)
    expect(page.get_by_test_id("queue-row").filter(has_text="102室").get_by_test_id("row-state")).to_have_text("存疑")
    page.screenshot(path=f"{SHOTS}_queue.png", full_page=True)

    # The grid worker sees it back first in the batch, with the reason, and corrects it.
    _switch(page, live_server, "wangge")
    batch = Batch.objects.get(campaign=campaign, grid=tree.grid_a1)
    page.goto(f"{live_server.url}/addresses/batches/{batch.pk}/")
    first_row = page.get_by_test_id("batch-row").first
    expect(first_row).to_contain_text("现场门牌为 104 室")
    first_row.click()
    expect(page.get_by_test_id("doubt-reason")).to_contain_text("104")
    page.get_by_label("户室号").fill("104")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("left")).to_have_text("1")

    # The subdistrict signs the grid off; the campaign shows progress per grid.
    _switch(page, live_server, "jiedao")
    page.goto(f"{live_server.url}/addresses/campaigns/{campaign.pk}/")
    grid_row = page.get_by_test_id("grid-row").first
    expect(grid_row).to_contain_text("第1网格")
    expect(grid_row.get_by_test_id("grid-done")).to_have_text("0/3")
    grid_row.get_by_test_id("batch-sign-off").click()
    grid_row = page.get_by_test_id("grid-row").first
    expect(grid_row.get_by_test_id("grid-done")).to_have_text("1/3")
    expect(grid_row.get_by_test_id("grid-percent")).to_have_text("33.3%")
    expect(page.get_by_test_id("daily-row")).to_have_count(1)
    expect(page.get_by_test_id("rate")).to_have_text("33.3%")
    page.screenshot(path=f"{SHOTS}_campaign.png", full_page=True)
    assert Address.objects.get(pk=rooms[0].pk).state == State.VERIFIED


def test_register_search_detail_and_transfer_on_desktop(page, live_server, world):
    _tree, _users, rooms, _campaign = world
    login(page, live_server, "jiedao", DEFAULT_PASSWORD)
    page.get_by_role("link", name="标准地址").click()
    expect(page.get_by_test_id("address-row")).to_have_count(3)
    page.get_by_label("搜索").fill("幸福")
    page.get_by_test_id("filter-submit").click()
    expect(page.get_by_test_id("address-row")).to_have_count(3)
    page.get_by_label("搜索").fill("和平")
    page.get_by_test_id("filter-submit").click()
    expect(page.get_by_test_id("empty")).to_contain_text("没有符合条件的地址")
    page.goto(f"{live_server.url}/addresses/{rooms[0].pk}/")
    expect(page.get_by_test_id("division-code")).to_have_text("370303003206")
    expect(page.get_by_test_id("event")).to_have_count(1)
    page.screenshot(path=f"{SHOTS}_detail.png", full_page=True)
    page.goto(f"{live_server.url}/addresses/campaigns/")
    expect(page.get_by_test_id("campaign-row")).to_have_count(1)
    page.get_by_test_id("open-campaign").click()
    page.get_by_label("核采名称").fill("再次核采")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("已有未结束的地址核采")
    page.goto(f"{live_server.url}/addresses/transfer/")
    with page.expect_download() as download:
        page.get_by_test_id("export").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.screenshot(path=f"{SHOTS}_transfer.png", full_page=True)
    # Households not linked to a standard address, and the match run again.
    page.get_by_test_id("households-link").click()
    expect(page.get_by_test_id("household")).to_have_count(2)
    page.get_by_test_id("link").click()
    expect(page.locator(".alert")).to_contain_text("已关联 0 户")
    page.screenshot(path=f"{SHOTS}_households.png", full_page=True)
