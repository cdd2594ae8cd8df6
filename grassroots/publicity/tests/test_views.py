"""Staff pages of 晒事: who may see what (role → 403, subtree → 404), the
list with filters and a pinned query count, the detail page with links,
WeChat text and objections, publishing and withdrawing with Chinese errors
next to the field (nothing changed), editing drafts, and drafts made from a
closed meeting or appraisal, with the buttons on those pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry
from grassroots.matters.models import EventKind
from grassroots.matters.states import State as MatterState
from grassroots.matters.tests import factories as f
from grassroots.testing.factories import UserFactory

from .. import services
from ..models import Objection, Publication
from ..models import State as PubState
from ..services import ObjectionInput
from .staff_helpers import DECISION_ROAD, closed_appraisal, closed_meeting, draft_of

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def clock(monkeypatch):
    return f.freeze(monkeypatch)  # Monday 2026-11-30 10:00


@pytest.fixture
def staff(tree, clock):
    return f.make_staff(tree)


@pytest.fixture
def matter(tree, staff):
    return f.matter_in_state(MatterState.HANDLING, node=tree.unit_a1, handler=staff.village_a)


@pytest.fixture
def draft(staff, matter):
    return draft_of(staff.village_a, matter)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _state(pub: Publication) -> str:
    return Publication.objects.get(pk=pub.pk).state


def _html(response: Any) -> str:
    return response.content.decode()


# --- Access ---------------------------------------------------------------


def test_roles_and_subtrees(tree, staff, draft):
    detail = reverse("publicity:detail", args=[draft.pk])
    pages = [reverse("publicity:list"), detail, reverse("publicity:edit", args=[draft.pk])]
    anonymous = Client()
    for url in pages:
        response = anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    window = UserFactory(role=Role.WINDOW_STAFF, jurisdiction=tree.subdistrict)
    for user in (staff.grid_a1, staff.mediator, window):
        client = client_for(user)
        for url in pages:
            assert client.get(url).status_code == 403, (user, url)
        assert client.post(reverse("publicity:publish", args=[draft.pk])).status_code == 403
    assert AuditEntry.objects.filter(action="access.denied", actor=staff.grid_a1).exists()
    other = client_for(staff.village_b)
    assert other.get(reverse("publicity:list")).status_code == 200
    for url in pages[1:]:
        assert other.get(url).status_code == 404
    assert other.post(reverse("publicity:publish", args=[draft.pk])).status_code == 404
    assert other.post(reverse("publicity:withdraw", args=[draft.pk]), {"reason": "x"}).status_code == 404
    assert _state(draft) == PubState.DRAFT
    for user in (staff.village_a, staff.street):
        assert client_for(user).get(detail).status_code == 200


# --- List -----------------------------------------------------------------


def test_list_shows_the_subtree_with_state_and_period(tree, staff, matter, draft, django_assert_num_queries):
    published = draft_of(staff.village_a, matter, title="西张村厂房出租方案(正式)")
    services.publication_publish(actor=staff.village_a, publication=published)
    other_matter = f.matter_in_state(MatterState.HANDLING, node=tree.unit_b1, handler=staff.village_b)
    draft_of(staff.village_b, other_matter, title="店子社区停车位施划方案")
    client = client_for(staff.village_a)
    url = reverse("publicity:list")
    client.get(url)  # warm the session
    # Session, user, jurisdiction, count, rows, place labels (one for the page),
    # unread notifications, villages for the filter, session activity (3).
    with django_assert_num_queries(11):
        response = client.get(url)
    html = _html(response)
    assert response.status_code == 200
    assert html.count('data-testid="publication-row"') == 2
    assert "店子社区停车位施划方案" not in html
    assert "草稿" in html and "公示期未定" in html
    assert "公示中" in html and "2026年11月30日至2026年12月7日" in html
    # Drafts come first: they need work.
    assert html.index("关于西张村集体厂房出租的理事方案") < html.index("西张村厂房出租方案(正式)")
    # Street staff see both villages; more rows do not mean more queries.
    street = client_for(staff.street)
    street.get(url)
    with django_assert_num_queries(11):
        html = _html(street.get(url))
    assert "店子社区停车位施划方案" in html and html.count('data-testid="publication-row"') == 3


def test_list_filters_search_and_empty_states(tree, staff, matter, draft):
    published = draft_of(staff.village_a, matter, title="西张村厂房出租方案(正式)")
    services.publication_publish(actor=staff.village_a, publication=published)
    other_matter = f.matter_in_state(MatterState.HANDLING, node=tree.unit_b1, handler=staff.village_b)
    draft_of(staff.village_b, other_matter, title="店子社区停车位施划方案")
    client = client_for(staff.street)
    url = reverse("publicity:list")

    def titles(**params: Any) -> str:
        return _html(client.get(url, params))

    html = titles(state="published")
    assert "西张村厂房出租方案(正式)" in html and "停车位" not in html and "(已筛选)" in html
    html = titles(village=tree.village_b.pk)
    assert "停车位" in html and "厂房" not in html
    html = titles(q="停车位")
    assert "停车位" in html and "厂房" not in html
    html = titles(q=matter.number)
    assert "厂房" in html and "停车位" not in html
    html = titles(kind="resolution")
    assert 'data-testid="empty"' in html and "没有符合条件的公示" in html
    # A bad filter is shown with a Chinese error and ignored.
    html = titles(state="bogus")
    assert "所选状态无效" in html and html.count('data-testid="publication-row"') == 3
    assert "所选村/社区无效" in _html(client_for(staff.village_a).get(url, {"village": tree.village_b.pk}))
    empty = _html(
        client_for(UserFactory(role=Role.VILLAGE_STAFF, jurisdiction=tree.village_b, username="vb2")).get(url)
    )
    assert "停车位" in empty
    Publication.objects.filter(path__startswith=tree.village_b.path).delete()
    html = _html(client_for(staff.village_b).get(url))
    assert "辖区内还没有公示" in html


def test_list_paginates(tree, staff, matter):
    for n in range(23):
        draft_of(staff.village_a, matter, title=f"第{n}号方案")
    client = client_for(staff.village_a)
    first = _html(client.get(reverse("publicity:list")))
    assert first.count('data-testid="publication-row"') == 20 and "第 1 / 2 页,共 23 条" in first
    second = _html(client.get(reverse("publicity:list"), {"page": 2}))
    assert second.count('data-testid="publication-row"') == 3


# --- Detail ---------------------------------------------------------------


def test_detail_of_a_published_plan(tree, staff, matter, draft):
    published = services.publication_publish(actor=staff.village_a, publication=draft)
    objection = services.objection_file(
        publication=published, data=ObjectionInput(text="租金低于周边市场价,建议重新评估。", phone="13812345678")
    )
    response = client_for(staff.village_a).get(reverse("publicity:detail", args=[draft.pk]))
    html = _html(response)
    assert "关于西张村集体厂房出租的理事方案" in html and "厂房按公开招租方式出租" in html
    assert 'data-testid="state">公示中<' in html
    assert "2026年11月30日至2026年12月7日" in html
    assert "网站公示栏、微信群/公众号" in html
    assert f'href="{reverse("matters:detail", args=[matter.pk])}"' in html and matter.number in html
    assert "李村务 · 2026-11-30 10:00" in html  # who drafted and who published
    assert f'href="/notices/{draft.pk}/"' in html
    assert f'href="{reverse("notices-board:notice-pdf", args=[draft.pk])}"' in html
    assert f'href="{reverse("notices-board:led", args=[tree.village_a.pk])}"' in html
    public = settings.PUBLIC_BASE_URL.rstrip("/") + f"/notices/{draft.pk}/"
    assert f"全文及进度:{public}" in html and "【理事方案公示】" in html
    assert 'data-copy-target="wechat-text"' in html and "publicity/staff.js" in html
    assert 'data-testid="objection"' in html and objection.matter.number in html
    assert f'href="{reverse("matters:detail", args=[objection.matter.pk])}"' in html and "待受理" in html
    assert "13812345678" not in html
    # A published notice is withdrawn, not edited or published again.
    assert 'data-testid="withdraw-card"' in html
    assert 'data-testid="publish-card"' not in html and 'data-testid="edit"' not in html


def test_detail_of_a_draft_offers_edit_and_publish(staff, draft):
    html = _html(client_for(staff.village_a).get(reverse("publicity:detail", args=[draft.pk])))
    assert 'data-testid="state">草稿<' in html and "公示期未定" in html
    assert 'data-testid="publish-card"' in html and 'data-testid="edit"' in html
    assert 'data-testid="withdraw-card"' not in html
    assert 'value="2026-11-30"' in html and 'value="2026-12-07"' in html  # today + 5 working days
    assert "草稿尚未发布,群众看不到" in html and 'data-testid="public-link"' not in html
    assert "暂无异议" in html


# --- Publish --------------------------------------------------------------


def test_publish_with_the_default_period(staff, matter, draft):
    response = client_for(staff.village_a).post(reverse("publicity:publish", args=[draft.pk]), {})
    assert response.status_code == 302 and response["Location"] == reverse("publicity:detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.state == PubState.PUBLISHED and (draft.starts_on, draft.ends_on) == (D(2026, 11, 30), D(2026, 12, 7))
    assert draft.published_by == staff.village_a
    assert matter.events.filter(kind=EventKind.PUBLISHED).count() == 1


def test_publish_with_chosen_dates(staff, draft):
    client_for(staff.village_a).post(
        reverse("publicity:publish", args=[draft.pk]), {"starts_on": "2026-12-01", "ends_on": "2026-12-15"}
    )
    draft.refresh_from_db()
    assert (draft.state, draft.starts_on, draft.ends_on) == (PubState.PUBLISHED, D(2026, 12, 1), D(2026, 12, 15))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"starts_on": "2026-12-10", "ends_on": "2026-12-01"}, "公示结束日期不能早于开始日期。"),
        ({"starts_on": "2026-11-01", "ends_on": "2026-11-10"}, "公示开始日期不能早于事项受理的日期(2026年11月30日)。"),
        ({"starts_on": "2026-12-01", "ends_on": "2028-01-01"}, "公示期不能超过一年。"),
        ({"starts_on": "明天"}, "请输入有效的日期(年-月-日)。"),
    ],
)
def test_publish_errors_are_shown_next_to_the_field_and_change_nothing(staff, matter, draft, data, message):
    client = client_for(staff.village_a)
    audits = AuditEntry.objects.count()
    response = client.post(reverse("publicity:publish", args=[draft.pk]), data)
    assert response.status_code == 200
    html = _html(response)
    assert 'data-testid="field-error"' in html and message in html
    assert 'aria-invalid="true"' in html
    draft.refresh_from_db()
    assert draft.state == PubState.DRAFT and draft.starts_on is None
    assert not matter.events.filter(kind=EventKind.PUBLISHED).exists()
    assert AuditEntry.objects.count() == audits


def test_publishing_twice_is_refused(staff, draft):
    client = client_for(staff.village_a)
    client.post(reverse("publicity:publish", args=[draft.pk]), {})
    response = client.post(reverse("publicity:publish", args=[draft.pk]), {})
    assert response.status_code == 302
    assert "公示当前为“公示中”,不能发布。" in _html(client.get(response["Location"]))


# --- Withdraw -------------------------------------------------------------


def test_withdraw_needs_a_reason(staff, matter, draft):
    services.publication_publish(actor=staff.village_a, publication=draft)
    client = client_for(staff.village_a)
    url = reverse("publicity:withdraw", args=[draft.pk])
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200 and "撤回公示须说明原因。" in _html(response)
    assert _state(draft) == PubState.PUBLISHED
    response = client.post(url, {"reason": "方案金额写错,更正后重新公示"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == PubState.WITHDRAWN and draft.withdraw_reason == "方案金额写错,更正后重新公示"
    html = _html(client.get(reverse("publicity:detail", args=[draft.pk])))
    assert 'data-testid="state">已撤回<' in html and "方案金额写错,更正后重新公示" in html
    assert 'data-testid="withdrawn">李村务' in html
    assert 'data-testid="withdraw-card"' not in html and "已撤回,群众不再能看到这条公示" in html
    assert matter.events.filter(kind=EventKind.PUBLISHED, text__contains="已撤回").exists()


def test_a_draft_cannot_be_withdrawn(staff, draft):
    client = client_for(staff.village_a)
    response = client.post(reverse("publicity:withdraw", args=[draft.pk]), {"reason": "不要了"})
    assert response.status_code == 302
    assert "公示当前为“草稿”,不能撤回。" in _html(client.get(response["Location"]))
    assert _state(draft) == PubState.DRAFT


def test_an_ended_publication_can_be_withdrawn(staff, draft, clock):
    services.publication_publish(actor=staff.village_a, publication=draft)
    clock.at(D(2026, 12, 10))
    services.publications_end_due()
    client = client_for(staff.village_a)
    assert 'data-testid="state">公示期满<' in _html(client.get(reverse("publicity:detail", args=[draft.pk])))
    client.post(reverse("publicity:withdraw", args=[draft.pk]), {"reason": "事项已重新议定"})
    assert _state(draft) == PubState.WITHDRAWN


# --- Edit -----------------------------------------------------------------


def test_edit_a_draft(staff, draft):
    client = client_for(staff.village_a)
    url = reverse("publicity:edit", args=[draft.pk])
    html = _html(client.get(url))
    assert "修改公示草稿" in html and "厂房按公开招租方式出租" in html
    assert 'value="portal" class="form-check-input" id="id_channels_0" checked' in html
    data = {"title": "新标题", "content": "新的正文内容", "channels": ["notice", "led"], "starts_on": "2026-12-01"}
    response = client.post(url, data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.content, draft.channels) == ("新标题", "新的正文内容", ["led", "notice"])
    assert (draft.starts_on, draft.ends_on, draft.state) == (D(2026, 12, 1), D(2026, 12, 8), PubState.DRAFT)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "content": "正文", "channels": ["portal"]}, "请填写公示标题。"),
        ({"title": "标题", "content": "正文", "channels": []}, "请至少选择一个公示渠道。"),
        ({"title": "标题", "content": "正文", "channels": ["radio"]}, "所选公示渠道无效,请重新选择。"),
        ({"title": "标题", "content": "正文", "channels": ["portal"], "ends_on": "2026-12-01"}, "填写结束日期时"),
        ({"title": "标题", "content": "正文", "channels": ["portal"], "starts_on": "2026-11-01"}, "不能早于事项受理"),
    ],
)
def test_edit_errors_change_nothing(staff, draft, data, message):
    response = client_for(staff.village_a).post(reverse("publicity:edit", args=[draft.pk]), data)
    assert response.status_code == 200 and message in _html(response)
    draft.refresh_from_db()
    assert draft.title == "关于西张村集体厂房出租的理事方案" and draft.channels == ["portal", "wechat"]


def test_a_published_notice_is_not_edited(staff, draft):
    services.publication_publish(actor=staff.village_a, publication=draft)
    client = client_for(staff.village_a)
    response = client.post(
        reverse("publicity:edit", args=[draft.pk]), {"title": "改", "content": "改正文", "channels": ["portal"]}
    )
    assert response.status_code == 302
    assert "只有草稿可以修改" in _html(client.get(response["Location"]))
    assert Publication.objects.get(pk=draft.pk).title == "关于西张村集体厂房出租的理事方案"


# --- Drafts from a meeting or an appraisal ----------------------------------


def test_resolution_draft_from_a_closed_meeting(tree, staff):
    meeting = closed_meeting(staff.village_a, tree.village_a, tree.unit_a1)
    client = client_for(staff.village_a)
    page = _html(client.get(reverse("deliberation:meeting", args=[meeting.pk])))
    new_url = reverse("publicity:new-resolution", args=[meeting.pk])
    assert f'href="{new_url}"' in page and "公示决议" in page
    html = _html(client.get(new_url))
    assert "公示议事决议" in html and "十一月村民协商议事会决议公示" in html and DECISION_ROAD in html
    assert "赞成 3 票,反对 0 票,弃权 0 票" in html
    response = client.post(
        new_url,
        {"title": "十一月协商议事会决议公示", "content": "一、村东主路硬化:通过。", "channels": ["portal", "led"]},
    )
    pub = Publication.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("publicity:detail", args=[pub.pk])
    assert (pub.kind, pub.state, pub.meeting, pub.node) == ("resolution", PubState.DRAFT, meeting, tree.village_a)
    assert pub.created_by == staff.village_a
    detail = _html(client.get(response["Location"]))
    assert f'href="{reverse("deliberation:meeting", args=[meeting.pk])}"' in detail and "议事会议" in detail
    # The meeting page now links to the draft, and the form warns about it.
    page = _html(client.get(reverse("deliberation:meeting", args=[meeting.pk])))
    assert f'href="{reverse("publicity:detail", args=[pub.pk])}"' in page
    assert "请勿重复公示" in _html(client.get(new_url))


def test_resolution_draft_needs_a_closed_meeting_in_the_subtree(tree, staff):
    from grassroots.deliberation.tests.setup import convene, publish_rules

    publish_rules(staff.village_a, tree.village_a)
    meeting = convene(staff.village_a, tree.village_a)
    client = client_for(staff.village_a)
    url = reverse("publicity:new-resolution", args=[meeting.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("deliberation:meeting", args=[meeting.pk])
    assert "会议结束后才能公示决议。" in _html(client.get(response["Location"]))
    assert "公示决议" not in _html(client.get(reverse("deliberation:meeting", args=[meeting.pk])))
    closed = closed_meeting(staff.village_a, tree.village_a, tree.unit_a1, title="另一次会议", serial_base=400)
    url = reverse("publicity:new-resolution", args=[closed.pk])
    assert client_for(staff.village_b).get(url).status_code == 404
    assert client_for(staff.village_b).post(url, {"title": "x"}).status_code == 404
    assert client_for(staff.grid_a1).get(url).status_code == 403
    response = client.post(url, {"title": "", "content": "", "channels": []})
    assert response.status_code == 200 and "请填写公示标题。" in _html(response)
    assert not Publication.objects.exists()


def test_appraisal_draft_from_a_closed_session(tree, staff):
    handler_a = UserFactory(username="h_a", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="王办理")
    handler_b = UserFactory(username="h_b", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="赵办理")
    session = closed_appraisal(tree, staff.village_a, [handler_a, handler_b])
    client = client_for(staff.street)
    page = _html(client.get(reverse("evaluation:detail", args=[session.pk])))
    new_url = reverse("publicity:new-appraisal", args=[session.pk])
    assert f'href="{new_url}"' in page and "公示评议结果" in page
    html = _html(client.get(new_url))
    assert "王**(西张村工作人员):满意度 83.3%" in html and "赵**(西张村工作人员):票数不足,不公布" in html
    for rep_name in ("代表1", "代表2"):
        assert rep_name not in html
    assert client_for(staff.village_b).get(new_url).status_code == 404
    response = client.post(
        new_url, {"title": "西张村10月评议结果", "content": "王办理:满意度 83.3%", "channels": ["portal"]}
    )
    pub = Publication.objects.get()
    assert response.status_code == 302
    assert (pub.kind, pub.appraisal, pub.node, pub.state) == ("appraisal", session, tree.village_a, PubState.DRAFT)
    client.post(reverse("publicity:publish", args=[pub.pk]), {})
    assert _state(pub) == PubState.PUBLISHED


def test_appraisal_draft_needs_a_closed_session(tree, staff):
    from grassroots.evaluation.services import sessions

    session, _ = sessions.session_create(village=tree.village_a, month=D(2026, 10, 1))
    response = client_for(staff.village_a).get(reverse("publicity:new-appraisal", args=[session.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("evaluation:detail", args=[session.pk])
    assert not Publication.objects.exists()


# --- The matter page --------------------------------------------------------


def test_matter_panel_shows_state_reason_and_link(staff, matter, draft):
    published = draft_of(staff.village_a, matter, title="西张村厂房出租方案(正式)")
    services.publication_publish(actor=staff.village_a, publication=published)
    services.publication_withdraw(actor=staff.village_a, publication=published, reason="金额有误")
    html = _html(client_for(staff.village_a).get(reverse("matters:detail", args=[matter.pk])))
    assert html.count('data-testid="publication"') == 2
    assert ">草稿<" in html and ">已撤回<" in html and "撤回原因:金额有误" in html
    assert f'href="{reverse("publicity:detail", args=[draft.pk])}"' in html
    # Grid workers see the matter but cannot open the publicity pages: no link.
    html = _html(client_for(staff.grid_a1).get(reverse("matters:detail", args=[matter.pk])))
    assert "撤回原因:金额有误" in html and 'data-testid="publication-link"' not in html


def test_objection_count_matches(staff, draft):
    published = services.publication_publish(actor=staff.village_a, publication=draft)
    for phone in ("13812345678", "13912345678"):
        services.objection_file(publication=published, data=ObjectionInput(text="异议内容至少五个字。", phone=phone))
    html = _html(client_for(staff.village_a).get(reverse("publicity:detail", args=[draft.pk])))
    assert "群众异议(2)" in html and html.count('data-testid="objection"') == Objection.objects.count() == 2


def test_publication_page_shows_its_record(staff, draft, clock, django_assert_max_num_queries):
    """Each state change the workflow engine records (PublicationEvent) is
    listed on the publication page: what, who, when, and the reason of a
    withdrawal; the nightly end has no person behind it."""
    draft_page = _html(client_for(staff.village_a).get(reverse("publicity:detail", args=[draft.pk])))
    assert 'data-testid="publish-card"' in draft_page and 'data-testid="publication-events"' not in draft_page
    services.publication_publish(actor=staff.village_a, publication=draft)
    clock.at(D(2026, 12, 10))
    services.publications_end_due()
    ended = Publication.objects.get(pk=draft.pk)
    services.publication_withdraw(actor=staff.village_a, publication=ended, reason="事项已重新议定")
    client = client_for(staff.village_a)  # a new login: ten days have passed
    with django_assert_max_num_queries(25):
        page = _html(client.get(reverse("publicity:detail", args=[draft.pk])))
    record = page[page.index('data-testid="publication-events"') :]
    assert record.count('data-testid="publication-event"') == 3
    assert record.index("发布 · 李村务") < record.index("公示期满 · 系统") < record.index("撤回 · 李村务")
    assert "原因:事项已重新议定" in record and "11月30日 10:00" in record
