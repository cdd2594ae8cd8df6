"""Issue 5's 晒事 "done when", in one browser run: village staff publish a
matter's plan and then its result from the matter page; both appear on the
portal, on the village's LED page and in the printed PDF notice; a resident
files an objection on the portal from a phone, and it becomes a matter that
the staff see, linked back to the publication."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.matters.models import Matter
from grassroots.matters.services import lifecycle
from grassroots.matters.tests.staff_setup import handling, new_matter, seed_categories
from grassroots.testing.browser import login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import Kind, Objection, Publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TITLE = "村西集体厂房公开招租"


@pytest.fixture
def tree(transactional_db):
    seed_categories()
    return build_small_tree()


def _publish_from_matter_page(page, live_server, matter) -> None:
    page.goto(f"{live_server.url}/matters/{matter.pk}/")
    card = page.get_by_test_id("action-publish")
    card.locator("summary").click()
    card.get_by_label("LED 屏").check()
    card.get_by_test_id("submit-publish").click()
    expect(page.get_by_test_id("notice")).to_contain_text("公示已发布")


def test_plan_and_result_published_everywhere_and_an_objection_becomes_a_matter(
    page, phone_page, live_server, tree, settings, tmp_path
):
    settings.PUBLIC_BASE_URL = live_server.url
    staff = UserFactory(username="village", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="李村务")
    matter = handling(new_matter(tree.unit_a1, actor=staff, title=TITLE), staff)
    Matter.objects.filter(pk=matter.pk).update(touches_collective=True)
    login(page, live_server, "village", DEFAULT_PASSWORD)

    # Staff: the plan, then (after resolving) the result, from the matter page.
    _publish_from_matter_page(page, live_server, matter)
    lifecycle.matter_resolve(
        actor=staff, matter=Matter.objects.get(pk=matter.pk), result="厂房已公开招租,租金每年 8 万元。"
    )
    _publish_from_matter_page(page, live_server, matter)
    expect(page.get_by_test_id("publication")).to_have_count(2)
    plan = Publication.objects.get(kind=Kind.PLAN)
    result = Publication.objects.get(kind=Kind.RESULT)
    assert "led" in plan.channels and "led" in result.channels

    # The portal, as a resident on a phone: the village page lists both.
    resident = phone_page
    resident.goto(f"{live_server.url}/notices/")
    resident.get_by_test_id("villages").get_by_role("link", name="西张村").click()
    rows = resident.get_by_test_id("publication")
    expect(rows.filter(has_text="理事方案")).to_have_count(1)
    expect(rows.filter(has_text="理事结果")).to_have_count(1)

    # The LED page of the village rotates both (2-second slides).
    board = page.context.new_page()
    board.set_viewport_size({"width": 1920, "height": 1080})
    board.goto(f"{live_server.url}/notices/v/{tree.village_a.pk}/led/?seconds=2")
    expect(board.get_by_test_id("led-village")).to_have_text("西张村")
    expect(board.get_by_test_id("led-slide")).to_have_count(2)
    shown = set()
    for _ in range(3):
        shown.add(board.locator("[data-led-slide].is-active [data-testid=led-kind]").inner_text())
        board.wait_for_timeout(2100)
    assert {"理事方案", "理事结果"} <= shown
    board.screenshot(path=str(tmp_path / "led.png"))
    board.close()

    # The printed notice of the result: title, period and the QR caption.
    pdf = page.request.get(f"{live_server.url}/notices/{result.pk}/notice.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    pdf_path = tmp_path / "notice.pdf"
    pdf_path.write_bytes(pdf.body())
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed"
    text = subprocess.run([pdftotext, str(pdf_path), "-"], capture_output=True, check=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert result.title in flat and "公示期" in flat and "扫码查看全文" in flat

    # An objection to the result on the portal becomes a matter.
    rows.filter(has_text="理事结果").click()
    expect(resident.get_by_test_id("state")).to_have_text("公示中")
    resident.get_by_label("异议内容").fill("租金明显低于周边同类厂房,请公开评估报告。")
    resident.get_by_label("手机号").fill("13912345678")
    resident.get_by_test_id("objection-submit").click()
    expect(resident.get_by_test_id("objection-done")).to_have_text("异议已提交")
    code = resident.get_by_test_id("tracking-code").inner_text().replace("-", "").replace(" ", "")
    objection = Objection.objects.get()
    assert objection.publication == result and objection.matter.tracking_code == code
    assert objection.matter.channel == "objection"

    # Staff find it in the queue, see the publication it concerns and follow the link.
    page.goto(f"{live_server.url}/matters/")
    page.get_by_role("link", name=re.compile("对公示《")).click()
    link = page.get_by_test_id("objection-publication")
    expect(link).to_have_text(result.title)
    link.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/publicity/{result.pk}/$"))
    expect(page.get_by_text(objection.matter.number)).to_be_visible()
