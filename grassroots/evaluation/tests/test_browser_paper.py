"""Paper ballots in a real browser: two staff members independently enter
the paper tally of a closed session on its page; a mismatch is shown, one of
them corrects their entry (a reason is required and the correction logged),
and the matching counts go into the results."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from grassroots.evaluation.models import AppraisalItem, AppraisalSession, PaperTally, PaperTallyEdit
from grassroots.evaluation.services import ballots
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, build_small_tree

from .conftest import World, issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Per item: (满意, 基本满意, 不满意) on six paper ballots.
FIRST = {"王办理": (4, 1, 1), "赵办理": (5, 1, 0), "M202600001 集体事项1": (3, 2, 1), "M202600002 集体事项2": (6, 0, 0)}


@pytest.fixture
def tree(transactional_db):
    return build_small_tree()


def closed_session(world: World) -> AppraisalSession:
    issued = issue(world)
    return ballots.session_close(session=issued.session, attendance=6, void_codes=None, actor=world.staff)


def enter(page: Any, live_server: Any, session: AppraisalSession, counts: dict[str, tuple[int, int, int]], **kw: Any):
    page.goto(f"{live_server.url}/evaluation/{session.pk}/")
    section = page.locator("section").filter(has=page.get_by_role("heading", name="纸质选票计票(双人录入)"))
    section.get_by_label("纸质票数").fill(str(kw.get("ballots", 6)))
    for label, row in counts.items():
        for rating, value in zip(("满意", "基本满意", "不满意"), row, strict=True):
            section.get_by_label(f"{label} {rating}", exact=True).fill(str(value))
    if "reason" in kw:
        section.get_by_label("更正原因(更正本人已录入的计票时必填)").fill(kw["reason"])
    section.get_by_role("button", name="保存计票").click()
    return section


def alerts(page: Any) -> Any:
    return page.get_by_role("alert")


def test_two_staff_enter_paper_tallies_and_a_correction_is_logged(page, live_server, world):
    session = closed_session(world)
    assert {i.label for i in AppraisalItem.objects.filter(session=session)} == set(FIRST)

    # First entry, by the village staff member; too many votes for one item is refused.
    login(page, live_server, "vstaff", DEFAULT_PASSWORD)
    enter(page, live_server, session, {**FIRST, "王办理": (5, 1, 1)})
    expect(alerts(page).filter(has_text="某一对象的票数之和超过了纸质票数。")).to_be_visible()
    assert not PaperTally.objects.exists()
    enter(page, live_server, session, FIRST)
    expect(alerts(page).filter(has_text="纸质计票已录入。")).to_be_visible()
    expect(page.get_by_text("已有 1 人录入,需另一名工作人员独立录入。")).to_be_visible()
    page.context.clear_cookies()

    # The second, independent entry (by the subdistrict, not by anyone appraised) differs in one cell.
    login(page, live_server, "street", DEFAULT_PASSWORD)
    enter(page, live_server, session, {**FIRST, "M202600002 集体事项2": (5, 1, 0)})
    expect(alerts(page).filter(has_text="纸质计票已录入。")).to_be_visible()
    expect(page.get_by_text("两人录入不一致,请复核后更正。")).to_be_visible()
    page.screenshot(path=artifact("h7-evaluation-paper-mismatch.png"), full_page=True)
    results = page.get_by_test_id("results")
    expect(results.locator("tr").filter(has_text="集体事项2").locator("td")).to_have_text(
        ["M202600002 集体事项2", "0", "0", "0", "—"]
    )  # not counted yet

    # Correcting one's own entry needs a reason …
    enter(page, live_server, session, FIRST)
    expect(alerts(page).filter(has_text="更正已录入的计票须填写更正原因。")).to_be_visible()
    assert not PaperTallyEdit.objects.exists()
    # … and is logged with it.
    enter(page, live_server, session, FIRST, reason="复核原始选票,第5张误记为基本满意。")
    expect(alerts(page).filter(has_text="纸质计票已录入。")).to_be_visible()
    expect(page.get_by_text("两人录入一致,已计入结果。")).to_be_visible()
    # Both sheets and the correction, with who made it and why, are on the page.
    sheets = page.get_by_test_id("paper-sheets")
    expect(sheets.locator("li")).to_have_count(2)
    expect(page.get_by_test_id("paper-edit")).to_have_count(1)
    expect(page.get_by_test_id("paper-edit")).to_contain_text("复核原始选票,第5张误记为基本满意。")
    expect(page.get_by_test_id("paper-edit")).to_contain_text(str(world.street))
    row = page.get_by_test_id("results").locator("tr").filter(has_text="集体事项2")
    expect(row.locator("td")).to_have_text(["M202600002 集体事项2", "6", "0", "0", "100.0%"])
    page.screenshot(path=artifact("h7-evaluation-paper-confirmed.png"), full_page=True)

    tallies = list(PaperTally.objects.filter(session=session).order_by("id"))
    assert [t.entered_by for t in tallies] == [world.staff, world.street]
    assert tallies[0].counts == tallies[1].counts and tallies[1].ballots == 6
    edit = PaperTallyEdit.objects.get()
    assert edit.tally == tallies[1] and edit.editor == world.street
    assert edit.reason == "复核原始选票,第5张误记为基本满意。"
    item2 = str(AppraisalItem.objects.get(session=session, label="M202600002 集体事项2").pk)
    assert edit.before["counts"][item2] == {"satisfied": 5, "basic": 1, "unsatisfied": 0}
    assert edit.after["counts"][item2] == {"satisfied": 6, "basic": 0, "unsatisfied": 0}
