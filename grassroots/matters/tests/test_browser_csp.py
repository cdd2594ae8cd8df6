"""htmx actions on the matter page leave no CSP error in the console. A
textarea the user has resized (the browser writes style="height: …" on it)
or any element a script has styled carries a style attribute; when htmx
swaps the panel it copied "settled" attributes, style included, onto the new
elements with setAttribute, which the CSP (style-src 'self') refuses — one
console error per styled element per swap. The `page` fixture fails the
test on any console error."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.testing.browser import login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from .staff_setup import new_matter, seed_categories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESIZE_TEXTAREAS = """() => {
  const areas = document.querySelectorAll('#matter-panel textarea');
  areas.forEach((area, i) => { area.style.height = (90 + i) + 'px'; });  // what a drag on the resize handle does
  return areas.length;
}"""


def _open(page: Any, name: str) -> Any:
    card = page.get_by_test_id(f"action-{name}")
    if card.get_attribute("open") is None:
        card.locator("summary").click()
    return card


def test_htmx_actions_on_the_matter_page_raise_no_csp_error(page, live_server):
    seed_categories()
    tree = build_small_tree()
    UserFactory(username="cun1", display_name="王村干", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)
    worker: Any = UserFactory(username="grid1", display_name="李网格", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    matter = new_matter(tree.unit_a1, title="楼道堆放杂物")
    login(page, live_server, "cun1", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/matters/{matter.pk}/")

    # An error swap (no category chosen), then the accept itself.
    assert page.evaluate(RESIZE_TEXTAREAS) > 0
    accept = _open(page, "accept")
    accept.get_by_test_id("submit-accept").click()
    expect(page.get_by_test_id("action-accept").get_by_test_id("field-error").first).to_be_visible()
    page.evaluate(RESIZE_TEXTAREAS)
    accept = _open(page, "accept")
    accept.get_by_label("分类", exact=True).select_option(index=1)
    accept.get_by_test_id("submit-accept").click()
    expect(page.get_by_test_id("matter-state")).to_have_text("已受理")

    # Assign, a note, and the result: every swap with resized textareas in the panel.
    page.evaluate(RESIZE_TEXTAREAS)
    assign = _open(page, "assign")
    assign.get_by_label("承办人").select_option(value=str(worker.pk))
    assign.get_by_label("办理方案").fill("网格员督促物业三日内清理楼道。")
    assign.get_by_test_id("submit-assign").click()
    expect(page.get_by_test_id("matter-state")).to_have_text("办理中")
    page.evaluate(RESIZE_TEXTAREAS)
    note = _open(page, "note")
    note.get_by_label("内容").fill("已联系物业。")
    note.get_by_test_id("submit-note").click()
    expect(page.get_by_test_id("notice")).to_have_text("已记录。")
    page.evaluate(RESIZE_TEXTAREAS)
    resolve = _open(page, "resolve")
    resolve.get_by_label("办理结果").fill("楼道杂物已清理。")
    resolve.get_by_test_id("submit-resolve").click()
    expect(page.get_by_test_id("matter-state")).to_have_text("已办结")
    page.wait_for_timeout(300)  # htmx settles 20 ms after the swap: let any late error reach the console
