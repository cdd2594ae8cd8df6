"""The field app's other screens in a real browser at phone width: a
matter reported on its own (with a photo and the position the worker
allowed) and a care visit from this month's care list, both recorded
offline and synced once; an item the server refuses as invalid is edited
in the app and sent again under a new key."""

from __future__ import annotations

import pytest
from PIL import Image
from playwright.sync_api import expect

from grassroots.livelihood.models import CareVisit
from grassroots.matters.models import Attachment, Matter
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD

from ..models import SyncItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_app(page, live_server):
    page.goto(f"{live_server.url}/field/")
    expect(page.get_by_test_id("tile-households")).to_be_visible()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def test_report_a_matter_and_a_care_visit_offline_then_sync_once(
    phone_page, live_server, tree, workers, world, tmp_path
):
    page = phone_page
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 36.81, "longitude": 118.05})
    picture = tmp_path / "井盖.jpg"
    Image.new("RGB", (1600, 1200), (90, 90, 90)).save(picture, format="JPEG", quality=90)
    matters_before = Matter.objects.count()

    login(page, live_server, "field_a", DEFAULT_PASSWORD)
    _open_app(page, live_server)
    page.context.set_offline(True)
    expect(page.get_by_test_id("net-status")).to_have_text("离线")

    # A matter on its own, with a photo and its position.
    page.get_by_test_id("tile-matter").click()
    form = page.get_by_test_id("matter-form")
    form.get_by_label("事项标题").fill("井盖破损")
    form.get_by_label("具体情况").fill("村口井盖裂开,夜里有人险些踩空。")
    form.get_by_label("记录拍摄位置").check()
    form.get_by_label("现场照片").set_input_files(str(picture))
    expect(form.get_by_test_id("photo-status")).to_contain_text("已添加 1/")
    page.screenshot(path=artifact("field_matter_new.png"), full_page=True)
    page.get_by_test_id("save").click()

    # A care visit to the resident living alone.
    page.locator("[data-tab=home]").click()
    page.get_by_test_id("tile-care").click()
    expect(page.get_by_test_id("care-row")).to_have_count(1)
    page.get_by_test_id("care-row").click()
    care = page.get_by_test_id("care-form")
    care.get_by_label("走访方式").select_option(index=1)
    care.get_by_label("走访情况").fill("老人独居,身体尚可,冬季取暖正常。")
    care.get_by_label("本人意见").fill("希望楼道装扶手。")
    page.screenshot(path=artifact("field_care_visit.png"), full_page=True)
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("pending-count")).to_have_text("2")
    assert SyncItem.objects.count() == 0

    page.context.set_offline(False)
    page.goto(f"{live_server.url}/field/#outbox")
    expect(page.get_by_test_id("item-status").filter(has_text="已同步")).to_have_count(2)
    page.get_by_test_id("sync-now").click()  # again by hand: nothing new
    expect(page.get_by_test_id("sync-now")).to_contain_text("立即同步")

    reported = Matter.objects.get(title="井盖破损")
    assert Matter.objects.count() == matters_before + 1
    assert Attachment.objects.filter(matter=reported).count() == 1
    item = SyncItem.objects.get(type="matter")
    photo = item.body["photos"][0]
    assert (round(photo["lat"], 2), round(photo["lng"], 2)) == (36.81, 118.05) and photo["taken_at"]
    visit = CareVisit.objects.get()
    assert visit.resident_id == tree.resident_a1.pk and visit.opinion == "希望楼道装扶手。"
    assert SyncItem.objects.count() == 2


def test_an_invalid_item_is_edited_in_the_app_and_sent_under_a_new_key(phone_page, live_server, workers, world):
    page = phone_page
    login(page, live_server, "field_a", DEFAULT_PASSWORD)
    _open_app(page, live_server)
    page.context.set_offline(True)
    page.get_by_test_id("tile-matter").click()
    form = page.get_by_test_id("matter-form")
    form.get_by_label("事项标题").fill("路灯不亮")
    # Bidi control characters are refused by the server (ADR 0029): "invalid".
    form.get_by_label("具体情况").fill("村西路灯\u202e不亮三天了")
    page.get_by_test_id("save").click()
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/field/#outbox")
    expect(page.get_by_test_id("item-status").filter(has_text="需处理")).to_have_count(1)
    expect(page.get_by_test_id("item-errors")).to_contain_text("改变文字方向")
    first_key = SyncItem.objects.get().key
    page.screenshot(path=artifact("field_invalid.png"), full_page=True)

    page.get_by_test_id("edit-item").click()
    form = page.get_by_test_id("matter-form")
    form.get_by_label("具体情况").fill("村西路灯不亮三天了")
    page.get_by_test_id("save").click()
    page.goto(f"{live_server.url}/field/#outbox")
    expect(page.get_by_test_id("item-status").filter(has_text="已同步")).to_have_count(1)
    assert Matter.objects.filter(title="路灯不亮").count() == 1
    keys = set(SyncItem.objects.values_list("key", flat=True))
    assert len(keys) == 2 and first_key in keys
