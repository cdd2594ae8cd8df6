"""The public 公示栏 under /notices/ (no login): the list with search,
filters and pages, a village's page, one publication with its progress and
WeChat text, and objections (异议): one matter per submitted form, Chinese
errors with nothing saved, refused outside the period, rate-limited."""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

import pytest
from django.conf import settings

from grassroots.matters.models import Matter
from grassroots.matters.states import State as MatterState
from grassroots.matters.tests import factories as f

from .. import services
from ..errors import PublicityError
from ..models import Kind, Objection, Publication
from ..models import State as PubState
from ..services import publication_create
from ..views import public as views_public

pytestmark = pytest.mark.django_db
D = datetime.date
TRACKING_CODE_RE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}")


@pytest.fixture
def clock(monkeypatch):
    return f.freeze(monkeypatch)  # Monday 2026-11-30 10:00


@pytest.fixture
def staff(tree, clock):
    return f.make_staff(tree)


def _plan(actor: Any, node: Any, **overrides: Any) -> Publication:
    matter = f.matter_in_state(MatterState.HANDLING, node=node, handler=actor)
    values: dict[str, Any] = {
        "kind": Kind.PLAN,
        "title": "关于西张村集体厂房出租的理事方案",
        "content": "经村民代表会议讨论,厂房按公开招租方式出租。\n租金收入纳入村集体账户。",
        "starts_on": D(2026, 11, 30),
        "ends_on": D(2026, 12, 10),
        "channels": ["portal", "notice"],
    }
    values.update(overrides)
    return publication_create(actor=actor, matter=matter, publish=values.pop("publish", True), **values)


def _ranking(staff: Any, tree: Any, title: str = "2026年9—11月评事考评排行", **overrides: Any) -> Publication:
    values: dict[str, Any] = {"content": "表扬名单:西张村。\n督促名单:无。", "channels": ["portal"]}
    values.update(overrides)
    return publication_create(
        actor=staff.street, kind=Kind.RANKING, node=tree.subdistrict, title=title, publish=True, **values
    )


@pytest.fixture
def world(tree, staff, clock):
    """A: ended plan in 西张村; B: current plan in 西张村; C: subdistrict-wide
    red/yellow list; D: result in 店子社区; a draft and a withdrawn one."""
    a = _plan(
        staff.village_a,
        tree.unit_a1,
        title="西张村道路硬化理事方案",
        content="村内主干道硬化,由村集体出资。",
        ends_on=D(2026, 12, 1),
    )
    b = _plan(staff.village_a, tree.unit_a1)
    c = _ranking(staff, tree, ends_on=D(2026, 12, 11))
    resolved = f.matter_in_state(MatterState.RESOLVED, node=tree.unit_b1, handler=staff.village_b)
    d = publication_create(
        actor=staff.village_b,
        matter=resolved,
        kind=Kind.RESULT,
        title="店子社区楼道照明理事结果",
        content="已更换 1 单元楼道感应灯,照明恢复。",
        starts_on=D(2026, 11, 30),
        ends_on=D(2026, 12, 10),
        channels=["portal"],
        publish=True,
    )
    draft = _plan(staff.village_a, tree.unit_a1, title="草稿:西张村绿化方案", publish=False)
    withdrawn = _plan(staff.village_a, tree.unit_a1, title="已撤回:西张村路灯方案")
    services.publication_withdraw(actor=staff.village_a, publication=withdrawn, reason="金额写错")
    clock.at(D(2026, 12, 3))  # A's period is over, the others run
    return {"a": a, "b": b, "c": c, "d": d, "draft": draft, "withdrawn": withdrawn}


def _titles(response: Any) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<h3 class="h6 mb-1 fw-semibold">([^<]+)</h3>', html)


def _html(response: Any) -> str:
    return str(response.content.decode())


# --- The list -------------------------------------------------------------------------


def test_portal_lists_published_and_ended_publications_and_the_villages(
    client, world, tree, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get("/notices/")
    assert response.status_code == 200
    html = _html(response)
    assert "<title>公示栏(晒事)" in html
    assert set(_titles(response)) == {
        "西张村道路硬化理事方案",
        "关于西张村集体厂房出租的理事方案",
        "2026年9—11月评事考评排行",
        "店子社区楼道照明理事结果",
    }
    assert "草稿" not in html and "已撤回" not in html and "西张村绿化方案" not in html
    assert f'href="/notices/v/{tree.village_a.pk}/"' in html and f'href="/notices/v/{tree.village_b.pk}/"' in html
    assert "共 4 条公示" in html
    # Staff never appear by name; places stop at the village.
    assert "李村务" not in html and "张街道" not in html and "1号楼" not in html


def test_search_over_title_and_content(client, world):
    assert _titles(client.get("/notices/", {"q": "厂房"})) == ["关于西张村集体厂房出租的理事方案"]
    # "感应灯" is only in the content.
    assert _titles(client.get("/notices/", {"q": "感应灯"})) == ["店子社区楼道照明理事结果"]
    response = client.get("/notices/", {"q": "没有这样的公示"})
    assert _titles(response) == []
    assert "没有找到符合条件的公示" in _html(response)


def test_filters_by_kind_status_and_village(client, world, tree):
    assert set(_titles(client.get("/notices/", {"kind": "plan"}))) == {
        "西张村道路硬化理事方案",
        "关于西张村集体厂房出租的理事方案",
    }
    assert _titles(client.get("/notices/", {"kind": "ranking"})) == ["2026年9—11月评事考评排行"]
    assert _titles(client.get("/notices/", {"status": "ended"})) == ["西张村道路硬化理事方案"]
    current = client.get("/notices/", {"status": "current"})
    assert "西张村道路硬化理事方案" not in _titles(current) and len(_titles(current)) == 3
    # A village's publications include the subdistrict-wide list.
    assert set(_titles(client.get("/notices/", {"village": tree.village_b.pk}))) == {
        "2026年9—11月评事考评排行",
        "店子社区楼道照明理事结果",
    }
    both = client.get("/notices/", {"village": tree.village_a.pk, "status": "current", "kind": "plan"})
    assert _titles(both) == ["关于西张村集体厂房出租的理事方案"]
    # Nonsense values are ignored, not an error.
    assert len(_titles(client.get("/notices/", {"kind": "rumour", "village": "x", "status": "?"}))) == 4


def test_state_is_shown_as_residents_see_it(client, world):
    html = _html(client.get("/notices/", {"q": "道路硬化"}))
    # Still "published" in the database (the nightly task has not run), shown as ended.
    assert Publication.objects.get(pk=world["a"].pk).state == PubState.PUBLISHED
    assert "公示期满" in html and "公示中" not in re.sub(r"<option[^>]*>[^<]*</option>", "", html)


def test_pages_of_twenty_keep_the_filters(client, tree, staff):
    for i in range(25):
        _ranking(staff, tree, title=f"评事考评排行第{i:02d}期")
    first = client.get("/notices/", {"kind": "ranking"})
    assert len(_titles(first)) == 20
    html = _html(first)
    assert "第 1 / 2 页,共 25 条" in html
    assert 'href="?kind=ranking&amp;page=2"' in html
    second = client.get("/notices/", {"kind": "ranking", "page": 2})
    assert len(_titles(second)) == 5
    assert set(_titles(first)).isdisjoint(_titles(second))
    assert len(_titles(client.get("/notices/", {"page": "999"}))) == 5  # past the end: the last page


def test_empty_portal(client, tree):
    response = client.get("/notices/")
    assert response.status_code == 200
    assert "暂无公示。" in _html(response)


def test_home_page_links_to_the_portal(client, tree):
    html = _html(client.get("/"))
    assert 'href="/notices/"' in html and "公示栏(晒事)" in html


# --- A village's page ----------------------------------------------------------------------


def test_village_page_shows_its_own_and_subdistrict_wide_publications(client, world, tree):
    response = client.get(f"/notices/v/{tree.village_a.pk}/")
    assert response.status_code == 200
    html = _html(response)
    assert "<title>西张村公示栏" in html
    assert set(_titles(response)) == {
        "西张村道路硬化理事方案",
        "关于西张村集体厂房出租的理事方案",
        "2026年9—11月评事考评排行",
    }
    assert f'href="/notices/v/{tree.village_a.pk}/led/"' in html
    assert f'href="/notices/v/{tree.village_a.pk}/feed.atom"' in html
    other = client.get(f"/notices/v/{tree.village_b.pk}/")
    assert set(_titles(other)) == {"2026年9—11月评事考评排行", "店子社区楼道照明理事结果"}
    # The same search and filters.
    assert _titles(client.get(f"/notices/v/{tree.village_a.pk}/", {"status": "ended"})) == ["西张村道路硬化理事方案"]
    assert _titles(client.get(f"/notices/v/{tree.village_a.pk}/", {"q": "评事考评排行"})) == [
        "2026年9—11月评事考评排行"
    ]
    assert _titles(client.get(f"/notices/v/{tree.village_b.pk}/", {"kind": "plan"})) == []


@pytest.mark.parametrize("which", ["grid_a1", "subdistrict", "unit_a1", "missing"])
def test_village_page_of_something_else_is_404(client, tree, which):
    pk = 999999 if which == "missing" else getattr(tree, which).pk
    response = client.get(f"/notices/v/{pk}/")
    assert response.status_code == 404
    assert "未找到该村(社区)" in _html(response)


# --- One publication -------------------------------------------------------------------


def test_detail_shows_the_publication_progress_and_share_text(client, world, tree):
    pub = world["b"]
    response = client.get(f"/notices/{pub.pk}/")
    assert response.status_code == 200
    html = _html(response)
    assert f"<title>{pub.title} · 公示栏" in html
    assert "理事方案公示" in html and "公示中" in html
    assert "2026年11月30日至2026年12月10日" in html
    assert 'data-testid="place">西张村<' in html
    assert "1号楼" not in html and "1单元" not in html and "第1网格" not in html
    assert "厂房按公开招租方式出租。\n租金收入纳入村集体账户。" in html  # line breaks kept (pre-wrap)
    assert 'data-testid="percent">60%<' in html  # the matter is being handled
    assert 'value="60"' in html
    for stage in ("群众反映", "已受理", "办理中", "理事方案公示", "公示截止"):
        assert stage in html
    assert "2026年12月10日" in html
    url = f"{settings.PUBLIC_BASE_URL.rstrip('/')}/notices/{pub.pk}/"  # the public address, not the request's
    assert f"全文及进度:{url}" in html and "【理事方案公示】关于西张村集体厂房出租的理事方案" in html
    assert f'href="/notices/{pub.pk}/notice.pdf"' in html
    assert f'action="/notices/{pub.pk}/objection/"' in html
    assert "异议内容" in html and "不会公开" in html
    assert "您所在的村(社区)" not in html  # a village's notice needs no village choice
    assert "李村务" not in html and "王女士" not in html and "13800138000" not in html


def test_subdistrict_wide_detail_names_the_subdistrict_and_asks_for_the_village(client, world):
    html = _html(client.get(f"/notices/{world['c'].pk}/"))
    assert 'data-testid="place">湖田街道<' in html
    assert "您所在的村(社区)" in html and "西张村" in html and "店子社区" in html
    assert 'data-testid="percent">100%<' in html


@pytest.mark.parametrize("which", ["draft", "withdrawn"])
def test_drafts_and_withdrawn_publications_are_not_shown(client, world, which):
    pub = world[which]
    response = client.get(f"/notices/{pub.pk}/")
    html = _html(response)
    if which == "draft":
        assert response.status_code == 404 and "未找到该公示" in html
    else:
        # An old link or a posted notice's QR code: taken down, when and why; not the content.
        assert response.status_code == 410
        assert "已撤回" in html and "金额写错" in html and pub.title in html
        assert pub.content not in html and "objection-form" not in html
    before = (Matter.objects.count(), Objection.objects.count())
    posted = client.post(f"/notices/{pub.pk}/objection/", _objection_data())
    assert posted.status_code == 404
    assert (Matter.objects.count(), Objection.objects.count()) == before
    assert client.get("/notices/999999/").status_code == 404


def test_ended_publication_refuses_objections(client, world):
    pub = world["a"]
    html = _html(client.get(f"/notices/{pub.pk}/"))
    assert "公示期已结束,不再受理异议" in html
    assert "objection-form" not in html
    before = (Matter.objects.count(), Objection.objects.count())
    response = client.post(f"/notices/{pub.pk}/objection/", _objection_data())
    assert response.status_code == 400
    assert "公示期已结束,不再受理异议" in _html(response)
    assert (Matter.objects.count(), Objection.objects.count()) == before


# --- Objections --------------------------------------------------------------------------


def _objection_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "text": "租金低于周边市场价,建议重新评估后再出租。",
        "phone": "138 1234 5678",
        "name": "王女士",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_an_objection_becomes_one_matter_with_a_tracking_code(client, world, staff):
    pub = world["b"]
    data = _objection_data()
    response = client.post(f"/notices/{pub.pk}/objection/", data)
    assert response.status_code == 200
    html = _html(response)
    assert "异议已提交" in html
    matter = Matter.objects.get(channel="objection")
    objection = Objection.objects.get()
    assert objection.publication == pub and objection.matter == matter
    assert matter.title == "对公示《关于西张村集体厂房出租的理事方案》的异议"
    assert matter.reporter_phone == "13812345678" and matter.reporter_name == "王女士"
    assert matter.node == pub.node
    code = TRACKING_CODE_RE.search(html)
    assert code is not None and code.group(0).replace("-", "") == matter.tracking_code
    assert f'href="/report/track/{matter.tracking_code}/"' in html
    assert "13812345678" not in html and "王女士" not in html
    # A double submit of the same form: still one matter and one objection.
    again = client.post(f"/notices/{pub.pk}/objection/", data)
    assert again.status_code == 200 and matter.tracking_code in _html(again).replace("-", "")
    assert Matter.objects.filter(channel="objection").count() == 1 and Objection.objects.count() == 1
    # Another form (a new key) is another objection.
    client.post(f"/notices/{pub.pk}/objection/", _objection_data())
    assert Objection.objects.count() == 2


def test_an_objection_to_a_subdistrict_wide_list_goes_to_the_chosen_village(client, world, tree):
    response = client.post(f"/notices/{world['c'].pk}/objection/", _objection_data(village=tree.village_b.pk))
    assert response.status_code == 200
    objection = Objection.objects.get()
    assert objection.publication == world["c"] and objection.matter.node == tree.village_b


@pytest.mark.parametrize(
    ("which", "overrides", "field", "message"),
    [
        ("b", {"text": "太贵"}, "text", "至少 5 个字"),
        ("b", {"text": "  "}, "text", "请写明异议的内容和理由"),
        ("b", {"text": "很" * 2001}, "text", "不能超过 2000 个字"),
        ("b", {"phone": "12345"}, "phone", "请留下 11 位手机号"),
        ("b", {"phone": ""}, "phone", "请留下 11 位手机号"),
        ("c", {}, "village", "请选择您所在的村/社区"),
        ("c", {"village": "999999"}, "village", "请选择您所在的村/社区"),
    ],
)
def test_bad_objections_are_refused_with_a_chinese_message(client, world, which, overrides, field, message):
    before = (Matter.objects.count(), Objection.objects.count())
    data = _objection_data(**overrides)
    response = client.post(f"/notices/{world[which].pk}/objection/", data)
    assert response.status_code == 400
    html = _html(response)
    assert f'data-testid="error-{field}">' in html
    error = re.search(rf'data-testid="error-{field}">([^<]+)<', html)
    assert error is not None and message in error.group(1)
    assert (Matter.objects.count(), Objection.objects.count()) == before
    # The form keeps what was typed and its key (a corrected resubmit is still one objection).
    assert data["idempotency_key"] in html


def test_a_service_error_lands_on_its_field(client, world, monkeypatch):
    def refuse(**kwargs: Any) -> Any:
        raise PublicityError("text_required", "请写明异议的内容和理由(至少 5 个字)。", field="text")

    monkeypatch.setattr(services, "objection_file", refuse)
    response = client.post(f"/notices/{world['b'].pk}/objection/", _objection_data())
    assert response.status_code == 400
    assert 'data-testid="error-text">请写明异议的内容和理由' in _html(response)
    assert Objection.objects.count() == 0


def test_objections_are_rate_limited(client, world, monkeypatch):
    monkeypatch.setattr(views_public, "OBJECTION_RATE", "2/h")
    for _ in range(2):
        assert client.post(f"/notices/{world['b'].pk}/objection/", _objection_data()).status_code == 200
    response = client.post(f"/notices/{world['b'].pk}/objection/", _objection_data())
    assert response.status_code == 429
    assert "提交过于频繁" in _html(response)
    assert Objection.objects.count() == 2 and Matter.objects.filter(channel="objection").count() == 2


def test_objection_needs_post(client, world):
    assert client.get(f"/notices/{world['b'].pk}/objection/").status_code == 405
