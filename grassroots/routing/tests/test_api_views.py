"""/api/v1/routing/ and the /routing/ pages: success, bad input (Chinese,
nothing stored), roles, another subtree's suggestions (not counted), and
the accuracy page's query count."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.matters.forms.staff import AcceptForm
from grassroots.matters.services import lifecycle
from grassroots.matters.tests.factories import report
from grassroots.routing.models import Suggestion
from grassroots.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
SUGGEST = reverse("api:routing-suggest-list")
ACCURACY = reverse("api:routing-accuracy-list")
POLLUTION = {"title": "工厂排污", "text": "村东工厂晚上偷偷排污水,河道发臭,希望尽快处理。"}


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _decide(tree, staff, cats, *, village, actor, as_is: bool, text=POLLUTION):
    matter = report(node=village, title=text["title"], description=text["text"])
    AcceptForm(matter=matter, user=actor, action="accept")
    suggestion = Suggestion.objects.get(matter=matter)
    choice = suggestion.top_category if as_is else next(c for c in cats.values() if c != suggestion.top_category)
    lifecycle.matter_accept(actor=actor, matter=matter, category=choice)
    return matter


def test_suggest_returns_top_three_with_unit_and_deadline(staff, version, cats):
    answer = _client(staff.grid_a1).post(SUGGEST, POLLUTION, format="json")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["model_version"] == "v1" and data["hint"] == ""
    assert len(data["suggestions"]) == 3
    top = data["suggestions"][0]
    assert top["category"] == cats["环境保护"].pk and top["label"] == "推荐测试 / 环境污染"
    assert top["unit"] == "街道生态环境办" and top["deadline_days"] == 5
    assert data["low_confidence"] is (top["confidence"] < 0.5)
    assert not Suggestion.objects.exists()  # suggesting stores nothing


def test_suggest_without_a_model_says_so(staff, cats):
    data = _client(staff.village_a).post(SUGGEST, POLLUTION, format="json").json()
    assert data["suggestions"] == [] and data["model_version"] is None and "暂无" in data["hint"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "请提供要推荐分类的文字"),
        ({"text": ""}, "文字不能为空"),
        ({"text": "字" * 5001}, "不能超过 5000"),
        ({"text": ["a"]}, "必须是字符串"),
        ({"text": "abc\x00"}, "空字符"),
        ({"text": "路灯", "title": "标" * 101}, "标题不能超过"),
    ],
)
def test_suggest_bad_input_is_400_in_chinese(staff, version, body, message):
    answer = _client(staff.village_a).post(SUGGEST, body, format="json")
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not Suggestion.objects.exists()


def test_suggest_roles(tree, staff, version):
    assert _client().post(SUGGEST, POLLUTION, format="json").status_code in (401, 403)
    assert _client(staff.mediator).post(SUGGEST, POLLUTION, format="json").status_code == 403
    window = UserFactory(role=Role.WINDOW_STAFF, jurisdiction=None)
    assert _client(window).post(SUGGEST, POLLUTION, format="json").status_code == 403


def test_accuracy_counts_as_is_top3_and_per_category_in_the_subtree(tree, staff, version, cats):
    _decide(tree, staff, cats, village=tree.village_a, actor=staff.village_a, as_is=True)
    _decide(tree, staff, cats, village=tree.village_a, actor=staff.village_a, as_is=False)
    _decide(tree, staff, cats, village=tree.village_b, actor=staff.village_b, as_is=True)
    data = _client(staff.street).get(ACCURACY).json()
    assert data["total"]["decided"] == 3 and data["total"]["as_is"] == 2
    assert data["versions"] == ["v1"] and data["suggested"] == 3
    assert sum(r["decided"] for r in data["per_category"]) == 3
    # Another subtree's suggestions are not counted (village staff see their own).
    village = _client(staff.village_a)
    village_a = village.get(ACCURACY)
    assert village_a.status_code == 403  # the page and API are the subdistrict's
    other = UserFactory(role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.village_b)
    scoped = _client(other).get(ACCURACY).json()
    assert scoped["total"]["decided"] == 1 and scoped["total"]["as_is"] == 1


def test_accuracy_month_and_bad_month(staff, version):
    assert _client(staff.street).get(ACCURACY, {"month": "2020-01"}).json()["total"]["decided"] == 0
    for bad in ("2026-13", "abc", "1900-01"):
        answer = _client(staff.street).get(ACCURACY, {"month": bad})
        assert answer.status_code == 400 and "月份" in answer.content.decode()


def test_accuracy_roles(staff):
    assert _client().get(ACCURACY).status_code in (401, 403)
    assert _client(staff.grid_a1).get(ACCURACY).status_code == 403
    assert _client(staff.street).get(ACCURACY).status_code == 200


def test_suggest_panel_for_the_intake_forms(client, staff, version, cats):
    client.force_login(staff.grid_a1)
    url = reverse("routing:suggest")
    page = client.post(url, {"title": "", "original": POLLUTION["text"]})
    assert page.status_code == 200
    html = page.content.decode()
    assert "推荐分类" in html and "环境污染" in html and "街道生态环境办" in html
    short = client.post(url, {"title": "路"}).content.decode()
    assert "填写标题或内容后" in short
    too_long = client.post(url, {"description": "字" * 5001})
    assert too_long.status_code == 400 and "内容太长" in too_long.content.decode()
    assert not Suggestion.objects.exists()


def test_intake_forms_carry_the_suggestion_panel(client, staff, version):
    client.force_login(staff.village_a)
    for name in ("matters-intake:relay", "matters-intake:hotline"):
        html = client.get(reverse(name)).content.decode()
        assert 'data-testid="category-advice"' in html and reverse("routing:suggest") in html


def test_accuracy_page_and_its_query_count(client, tree, staff, version, cats, django_assert_max_num_queries):
    for i in range(3):
        _decide(tree, staff, cats, village=tree.village_a, actor=staff.village_a, as_is=i != 1)
    client.force_login(staff.street)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("routing:accuracy"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="decided">3<' in html and "67%" in html and "v1" in html
    bad = client.get(reverse("routing:accuracy"), {"month": "2026-99"})
    assert bad.status_code == 400 and "月份格式" in bad.content.decode()


def test_accuracy_is_in_the_subdistrict_nav(client, staff):
    client.force_login(staff.street)
    assert reverse("routing:accuracy") in client.get(reverse("accounts:home")).content.decode()
    client.force_login(staff.village_a)
    assert reverse("routing:accuracy") not in client.get(reverse("accounts:home")).content.decode()
