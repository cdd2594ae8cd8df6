"""Public boards under /notices/: the LED pages, the plain text for LED
controllers (UTF-8 and GBK), the Atom feed and the printed A4 notice.
Anonymous clients throughout; drafts, withdrawn notices, other villages and
personal data never appear."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from grassroots.matters.states import State as MatterState
from grassroots.matters.tests import factories as f

from .. import services
from ..models import Kind, Publication
from ..models import State as PubState
from ..services import publication_create

pytestmark = pytest.mark.django_db
D = datetime.date
ATOM = "{http://www.w3.org/2005/Atom}"
PERIOD = "2026年11月30日至2026年12月7日"
# What must never reach a public board: the reporter, residents, staff names.
PERSONAL = ["王女士", f.PHONE, "张三", "李四", "13800000000", "李村务", "张街道", "赵社区"]


@pytest.fixture
def clock(monkeypatch):
    return f.freeze(monkeypatch)


@pytest.fixture
def staff(tree, clock):
    return f.make_staff(tree)


@dataclass
class Board:
    plan: Publication  # 西张村, in its period, matter handling (60 %)
    result: Publication  # 西张村, in its period, matter resolved (90 %)
    ranking: Publication  # the subdistrict's red/yellow list: every village shows it
    ended: Publication  # 西张村, period over
    draft: Publication
    withdrawn: Publication
    other: Publication  # 店子社区


def _matter_pub(actor: Any, matter: Any, title: str, *, kind: str = Kind.PLAN, publish: bool = True) -> Publication:
    return publication_create(
        actor=actor,
        kind=kind,
        matter=matter,
        title=title,
        content="经村民代表会议讨论,厂房按公开招租方式出租,租金收入纳入村集体账户。\n招租结果另行公示。",
        channels=["portal", "led", "notice"],
        starts_on=D(2026, 11, 30) if publish else None,
        ends_on=D(2026, 12, 7) if publish else None,
        publish=publish,
    )


@pytest.fixture
def board(tree, staff, clock) -> Board:
    a = staff.village_a
    # One that ran in early November and has ended.
    clock.at(D(2026, 11, 2))
    old = f.matter_in_state(MatterState.HANDLING, node=tree.unit_a1, handler=a, title="村西路灯维修")
    ended = publication_create(
        actor=a,
        kind=Kind.PLAN,
        matter=old,
        title="关于村西路灯维修的理事方案",
        content="更换村西主路路灯12盏。",
        channels=["portal"],
        publish=True,
    )
    clock.at(D(2026, 11, 30))
    services.publications_end_due()

    handling = f.matter_in_state(MatterState.HANDLING, node=tree.unit_a1, handler=a)
    resolved = f.matter_in_state(MatterState.RESOLVED, node=tree.grid_a2, handler=a, title="2号楼外墙渗水")
    plan = _matter_pub(a, handling, "关于西张村集体厂房出租的理事方案")
    result = _matter_pub(a, resolved, "2号楼外墙渗水维修结果", kind=Kind.RESULT)
    draft = _matter_pub(a, handling, "尚未发布的草稿方案", publish=False)
    withdrawn = _matter_pub(a, handling, "已撤回的错误方案")
    services.publication_withdraw(actor=a, publication=withdrawn, reason="标题有误,重新公示。")
    other_matter = f.matter_in_state(MatterState.HANDLING, node=tree.unit_b1, handler=staff.village_b)
    other = _matter_pub(staff.village_b, other_matter, "店子社区停车位划线方案")
    ranking = publication_create(
        actor=staff.street,
        kind=Kind.RANKING,
        node=tree.subdistrict,
        title="2026年9—11月评事考评排行",
        content="表扬名单:西张村。督促名单:无。",
        channels=["portal", "led"],
        starts_on=D(2026, 11, 30),
        ends_on=D(2026, 12, 7),
        publish=True,
    )
    return Board(plan, result, ranking, Publication.objects.get(pk=ended.pk), draft, withdrawn, other)


def _url(name: str, *args: Any) -> str:
    return reverse(f"notices-board:{name}", args=args)


def _no_personal_data(text: str) -> None:
    for value in PERSONAL:
        assert value not in text, value


# --- LED pages ------------------------------------------------------------------------


def test_the_led_page_rotates_the_villages_current_notices(client, tree, board):
    response = client.get(_url("led", tree.village_a.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "西张村" in html and "公示栏" in html
    for pub in (board.plan, board.result, board.ranking):
        assert pub.title in html
    for pub in (board.ended, board.draft, board.withdrawn, board.other):
        assert pub.title not in html
    assert html.count('data-testid="led-slide"') == 3
    assert f"公示期:{PERIOD}" in html
    assert "理事方案" in html and "理事结果" in html and "评事考评排行" in html
    assert 'value="60"' in html and "60%" in html and "90%" in html  # handling / resolved matters
    assert "经村民代表会议讨论" in html
    assert "扫码查看全文、办理进度或提出异议" in html and 'src="data:image/png;base64,' in html
    assert "距公示期满还有 7 天" in html
    assert 'data-seconds="15"' in html and "publicity/led.js" in html and "publicity/led.css" in html
    assert "<script>" not in html and "style=" not in html  # CSP: no inline script or style
    assert "navbar" not in html and "工作人员登录" not in html  # not the staff site's frame
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    _no_personal_data(html)


def test_long_content_is_cut_on_the_board(client, tree, staff, board):
    board.plan.content = "厂" * 400
    board.plan.save()
    html = client.get(_url("led", tree.village_a.pk)).content.decode()
    assert "厂" * 149 + "…" in html and "厂" * 150 not in html


@pytest.mark.parametrize(("query", "seconds"), [("", 15), ("2", 2), ("1", 2), ("45", 45), ("999", 120), ("x", 15)])
def test_the_rotation_interval_is_bounded(client, tree, clock, query, seconds):
    response = client.get(_url("led", tree.village_a.pk), {"seconds": query} if query else {})
    assert f'data-seconds="{seconds}"' in response.content.decode()


@pytest.mark.parametrize(("query", "refresh"), [("", 60), ("1", 5), ("30", 30), ("9999", 600), ("-3", 60)])
def test_the_refresh_interval_is_bounded(client, tree, clock, query, refresh):
    response = client.get(_url("led-compact", tree.village_a.pk), {"refresh": query} if query else {})
    html = response.content.decode()
    assert f'data-refresh-seconds="{refresh}"' in html
    assert f'data-refresh-url="/notices/v/{tree.village_a.pk}/led/compact/?fragment=1"' in html


def test_the_fragment_is_the_deck_alone_and_changes_with_the_notices(client, tree, staff, board):
    url = _url("led", tree.village_a.pk)
    first = client.get(url, {"fragment": "1"}).content.decode()
    assert first.lstrip().startswith('<div class="led-deck"') and "<html" not in first
    assert board.plan.title in first
    assert client.get(url, {"fragment": "1"}).content.decode() == first  # same signature while nothing changes
    services.publication_withdraw(actor=staff.village_a, publication=board.plan, reason="方案调整,重新公示。")
    second = client.get(url, {"fragment": "1"}).content.decode()
    assert board.plan.title not in second
    signature = 'data-signature="'
    assert first.split(signature)[1][:16] != second.split(signature)[1][:16]


def test_an_empty_board_says_so_with_the_village_name(client, tree, clock):
    for name in ("led", "led-compact"):
        html = client.get(_url(name, tree.village_b.pk)).content.decode()
        assert "暂无公示事项" in html and "店子社区" in html
        assert 'data-testid="led-slide"' not in html


def test_the_compact_page_shows_kind_title_period_and_progress_only(client, tree, board):
    response = client.get(_url("led-compact", tree.village_a.pk), {"seconds": "3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert board.plan.title in html and "理事方案" in html
    assert "公示期 11月30日—12月7日" in html
    assert "进度60%" in html and "进度90%" in html
    assert html.count("进度") == 2  # the red/yellow list has no progress
    assert "经村民代表会议讨论" not in html and "<img" not in html
    assert 'data-seconds="3"' in html and "led-compact" in html
    assert board.other.title not in html and board.draft.title not in html
    _no_personal_data(html)


def test_a_notice_appears_on_the_board_only_within_its_period(client, tree, staff, board, clock):
    clock.at(D(2026, 12, 8))  # the day after the period
    html = client.get(_url("led", tree.village_a.pk)).content.decode()
    assert board.plan.title not in html and "暂无公示事项" in html


@pytest.mark.parametrize("name", ["led", "led-compact", "led-text", "feed"])
def test_unknown_places_and_non_villages_are_not_found(client, tree, clock, name):
    for node_id in (999999, tree.subdistrict.pk, tree.grid_a1.pk, tree.unit_a1.pk):
        assert client.get(_url(name, node_id)).status_code == 404
    assert client.get(_url(name, tree.village_a.pk)).status_code == 200


def test_the_boards_answer_only_get(client, tree, clock):
    assert client.post(_url("led", tree.village_a.pk)).status_code == 405
    assert client.post(_url("led-text", tree.village_a.pk)).status_code == 405


# --- plain text for LED controllers ---------------------------------------------------


def test_the_text_for_led_controllers(client, tree, board):
    response = client.get(_url("led-text", tree.village_a.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "max-age=60" in response["Cache-Control"]
    lines = response.content.decode("utf-8").splitlines()
    assert lines[0] == "西张村"
    assert sorted(lines[1:]) == sorted(
        [
            f"【理事方案】关于西张村集体厂房出租的理事方案 公示期:{PERIOD} 进度60%",
            f"【理事结果】2号楼外墙渗水维修结果 公示期:{PERIOD} 进度90%",
            f"【评事考评排行】2026年9—11月评事考评排行 公示期:{PERIOD}",
        ]
    )
    text = response.content.decode()
    assert "<" not in text and board.draft.title not in text and board.other.title not in text
    _no_personal_data(text)


def test_the_text_in_gbk_replaces_what_gbk_cannot_encode(client, tree, staff, board):
    board.result.title = "2号楼外墙渗水维修结果😀"
    board.result.save()
    response = client.get(_url("led-text", tree.village_a.pk), {"encoding": "GBK"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=gbk"
    assert "max-age=60" in response["Cache-Control"]
    with pytest.raises(UnicodeDecodeError):
        response.content.decode("utf-8")
    text = response.content.decode("gbk")
    assert text.splitlines()[0] == "西张村"
    assert f"【理事方案】关于西张村集体厂房出租的理事方案 公示期:{PERIOD} 进度60%" in text
    assert "2号楼外墙渗水维修结果? 公示期" in text

    gb2312 = client.get(_url("led-text", tree.village_a.pk), {"encoding": "gb2312"})
    assert gb2312["Content-Type"] == "text/plain; charset=gb2312"
    assert "关于西张村集体厂房出租的理事方案" in gb2312.content.decode("gb2312")


def test_an_unknown_encoding_is_refused_in_chinese(client, tree, clock):
    response = client.get(_url("led-text", tree.village_a.pk), {"encoding": "latin-1"})
    assert response.status_code == 400
    assert "不支持该编码" in response.content.decode("utf-8")


def test_the_text_when_nothing_is_current(client, tree, clock):
    for encoding, codec in (("", "utf-8"), ("gbk", "gbk")):
        response = client.get(_url("led-text", tree.village_b.pk), {"encoding": encoding} if encoding else {})
        assert response.content.decode(codec).splitlines() == ["店子社区", "暂无公示事项"]


# --- Atom feed ------------------------------------------------------------------------


def _feed(client: Any, village_id: int) -> tuple[Any, ET.Element]:
    response = client.get(_url("feed", village_id))
    assert response.status_code == 200
    return response, ET.fromstring(response.content)  # noqa: S314 - our own answer


def test_the_feed_lists_published_and_ended_notices_newest_first(client, tree, board):
    response, root = _feed(client, tree.village_a.pk)
    assert response["Content-Type"].startswith("application/atom+xml")
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "西张村公示"
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    # Same start day: newest (highest id) first, then the ended one from November.
    assert titles == [
        "【评事考评排行】2026年9—11月评事考评排行",
        "【理事结果】2号楼外墙渗水维修结果",
        "【理事方案】关于西张村集体厂房出租的理事方案",
        "【理事方案】关于村西路灯维修的理事方案",
    ]
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    plan = entries[2]
    link = plan.find(f"{ATOM}link")
    assert link is not None and link.get("href") == f"{base}/notices/{board.plan.pk}/"
    assert plan.findtext(f"{ATOM}id") == f"{base}/notices/{board.plan.pk}/"
    summary = plan.findtext(f"{ATOM}summary") or ""
    assert f"公示期:{PERIOD}(公示中)" in summary and "办理进度:60%" in summary and "经村民代表会议讨论" in summary
    assert "公示期满" in (entries[3].findtext(f"{ATOM}summary") or "")
    author = plan.find(f"{ATOM}author")
    assert author is not None and author.findtext(f"{ATOM}name") == "西张村委会"
    body = response.content.decode()
    for pub in (board.draft, board.withdrawn, board.other):
        assert pub.title not in body
    _no_personal_data(body)

    _response, other_root = _feed(client, tree.village_b.pk)
    other_titles = [e.findtext(f"{ATOM}title") for e in other_root.findall(f"{ATOM}entry")]
    assert other_titles == ["【评事考评排行】2026年9—11月评事考评排行", "【理事方案】店子社区停车位划线方案"]


def test_the_feed_keeps_the_newest_fifty(client, tree, staff, clock):
    for n in range(52):
        publication_create(
            actor=staff.street,
            kind=Kind.RANKING,
            node=tree.subdistrict,
            title=f"评事考评排行第{n}期",
            content="表扬名单:西张村。",
            channels=["portal"],
            publish=True,
        )
    _response, root = _feed(client, tree.village_a.pk)
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert len(titles) == 50
    assert titles[0] == "【评事考评排行】评事考评排行第51期" and titles[-1] == "【评事考评排行】评事考评排行第2期"


def test_an_empty_feed_is_still_a_valid_feed(client, tree, clock):
    _response, root = _feed(client, tree.village_b.pk)
    assert root.findtext(f"{ATOM}title") == "店子社区公示" and root.findall(f"{ATOM}entry") == []


# --- printed notice -------------------------------------------------------------------


def _pdf_text(content: bytes, tmp_path: Any) -> str:
    assert content.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed"
    path = tmp_path / "notice.pdf"
    path.write_bytes(content)
    return subprocess.run([pdftotext, str(path), "-"], capture_output=True, check=True, text=True).stdout


def test_the_printed_notice(client, board, tmp_path):
    response = client.get(_url("notice-pdf", board.plan.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;") and f"%E5%85%AC%E7%A4%BA-{board.plan.pk}.pdf" in disposition
    text = _pdf_text(response.content, tmp_path)
    flat = "".join(text.split())
    assert "公示" in flat
    assert "关于西张村集体厂房出租的理事方案" in flat
    assert "经村民代表会议讨论" in flat and "招租结果另行公示" in flat
    assert f"公示期:{PERIOD}" in flat
    assert "公示范围:西张村" in flat and "办理进度:60%" in flat
    assert "西张村委会(盖章)" in flat and "2026年11月30日" in flat
    assert "扫码查看全文、办理进度或提出异议" in flat
    assert f"{settings.PUBLIC_BASE_URL.rstrip('/')}/notices/{board.plan.pk}/" in flat
    assert "公示期已满" not in flat
    _no_personal_data(flat)
    assert client.get(_url("notice-pdf", board.plan.pk)).content == response.content  # served from the cache


def test_the_printed_notice_of_a_subdistrict_list_and_of_an_ended_notice(client, board, tmp_path):
    ranking = "".join(_pdf_text(client.get(_url("notice-pdf", board.ranking.pk)).content, tmp_path).split())
    assert "2026年9—11月评事考评排行" in ranking and "公示范围:湖田街道" in ranking and "湖田街道(盖章)" in ranking
    assert "办理进度:" not in ranking
    ended = "".join(_pdf_text(client.get(_url("notice-pdf", board.ended.pk)).content, tmp_path).split())
    assert board.ended.state == PubState.ENDED
    assert "关于村西路灯维修的理事方案" in ended and "公示期已满" in ended


def test_no_printed_notice_for_drafts_withdrawn_or_unknown(client, board):
    for pk in (board.draft.pk, board.withdrawn.pk, 999999):
        assert client.get(_url("notice-pdf", pk)).status_code == 404
    assert client.get(_url("notice-pdf", board.other.pk)).status_code == 200  # any village's notice can be printed
