"""评事 in a real browser (issue 5's "done when"): a session is frozen, the
slips PDF downloaded and its codes read with pdftotext, three ballots cast
from a phone-sized window, the session closed with attendance, and the
board, tally and head hash published and verified by the standalone script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from grassroots.evaluation.models import AppraisalSession, Ballot
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, build_small_tree

from .conftest import CODE_RE, MONTH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "verify_ballot_board.py"


@pytest.fixture
def tree(transactional_db):
    return build_small_tree()


def test_appraisal_from_slips_to_verified_board(page, phone_page, live_server, world, tmp_path):
    login(page, live_server, "vstaff", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/evaluation/")
    page.get_by_label("被评议月份").fill(MONTH.strftime("%Y-%m"))
    page.get_by_role("button", name="新建评议").click()
    expect(page.get_by_test_id("state")).to_have_text("准备中")
    expect(page.get_by_test_id("staff-items")).to_contain_text("王办理")
    expect(page.get_by_test_id("matter-items")).to_contain_text("集体事项2")
    page.screenshot(path=str(tmp_path / "draft.png"))
    page.get_by_test_id("freeze").click()
    expect(page.get_by_test_id("state")).to_have_text("投票中")

    with page.expect_download() as download_info:
        page.get_by_test_id("print-slips").click()
    pdf_path = tmp_path / "slips.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed"
    text = subprocess.run([pdftotext, str(pdf_path), "-"], capture_output=True, check=True, text=True).stdout
    codes = CODE_RE.findall(text)
    assert len(codes) == 7 and len(set(codes)) == 7  # 6 representatives + 1 spare, no serial numbers

    session = AppraisalSession.objects.get()
    trackers = []
    for code, choice in zip(codes[:3], ["满意", "基本满意", "不满意"], strict=True):
        # The QR code's link carries the code in the fragment.
        phone_page.goto(f"{live_server.url}/ballot/{session.pk}/vote#{code.replace('-', '')}")
        expect(phone_page.get_by_label("投票码(选票上的 12 位字符)")).to_have_value(code.replace("-", ""))
        assert "#" not in phone_page.url
        for fieldset in phone_page.locator("fieldset.eval-rate").all():
            fieldset.get_by_text(choice, exact=True).click()
        phone_page.get_by_test_id("cast").click()
        expect(phone_page.get_by_role("heading", name="投票成功")).to_be_visible()
        trackers.append(phone_page.get_by_test_id("tracker").inner_text().strip())
    assert Ballot.objects.count() == 3

    # A used code again: refused, nothing stored.
    phone_page.goto(f"{live_server.url}/ballot/{session.pk}/vote")
    phone_page.get_by_label("投票码(选票上的 12 位字符)").fill(codes[0])
    phone_page.locator("fieldset.eval-rate").first.get_by_text("满意", exact=True).click()
    phone_page.get_by_test_id("cast").click()
    expect(phone_page.get_by_test_id("vote-error")).to_contain_text("投票码无效或已使用")
    assert Ballot.objects.count() == 3

    page.reload()
    expect(page.get_by_test_id("code-counts")).to_contain_text("已投 3")
    page.get_by_label("到会代表人数").fill("5")
    page.get_by_label("交回的空白选票投票码(扫码或逐行输入,将作废)").fill("\n".join(codes[3:]))
    page.get_by_test_id("close").click()
    expect(page.get_by_test_id("state")).to_have_text("已结束")
    expect(page.get_by_test_id("reconciliation")).to_contain_text("核对无误")
    head = page.get_by_test_id("head-hash").inner_text().strip()
    assert len(head) == 64
    # The session's record: frozen and closed by the village staff, the close with the board's head hash.
    record = page.get_by_test_id("session-events")
    expect(record.get_by_test_id("session-event")).to_have_count(2)
    expect(record.get_by_test_id("session-event").first).to_contain_text("冻结并开始投票 · 村干部")
    expect(record.get_by_test_id("session-event").last).to_contain_text(f"结束投票 · 村干部公示板首哈希 {head}")
    record.scroll_into_view_if_needed()
    page.screenshot(path=artifact("evaluation_session_record.png"), full_page=True)

    phone_page.goto(f"{live_server.url}/ballot/{session.pk}/board")
    expect(phone_page.get_by_test_id("head-hash")).to_have_text(head)
    for tracker in trackers:
        expect(phone_page.get_by_test_id("ballots")).to_contain_text(tracker)
    expect(phone_page.get_by_test_id("tally")).to_contain_text("不公布")  # 3 ballots per person < 5
    page.goto(f"{live_server.url}/ballot/{session.pk}/board")
    response = page.request.get(f"{live_server.url}/ballot/{session.pk}/board.json")
    assert response.ok
    board_path = tmp_path / "board.json"
    board_path.write_bytes(response.body())
    data = json.loads(board_path.read_text(encoding="utf-8"))
    assert sorted(trackers) == [b["tracker"] for b in data["ballots"]]
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(board_path), "--head", head], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert f"head hash: {head}" in done.stdout and "OK" in done.stdout
