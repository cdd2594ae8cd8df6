"""Every API error is a Chinese RFC 7807 problem with per-field errors, and
no path id or body id can make the server fail (issue 11 items 13 and 15,
ADR 0029)."""

from __future__ import annotations

import pytest
from django.urls import resolve
from django.urls.exceptions import Resolver404
from rest_framework.exceptions import ValidationError
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.core.api.fields import DateTimeInputField, IdField, MonthField
from grassroots.core.converters import BIGINT_MAX, IdConverter
from grassroots.core.months import parse_month

pytestmark = pytest.mark.django_db
TWENTY_DIGITS = "9" * 20


@pytest.fixture
def street(tree, make_user):
    return make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict)


@pytest.fixture
def api(street):
    client = APIClient()
    client.force_authenticate(street)
    return client


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert not body["detail"].isascii(), body["detail"]  # Chinese, not DRF's English
    return body


def test_the_id_converter_takes_digits_within_bigint_only():
    converter = IdConverter()
    assert converter.to_python("42") == 42
    assert converter.to_python(str(BIGINT_MAX)) == BIGINT_MAX
    with pytest.raises(ValueError, match="bigint"):
        converter.to_python(str(BIGINT_MAX + 1))
    with pytest.raises(Resolver404):
        resolve("/api/v1/matters/abc")
    with pytest.raises(Resolver404):
        resolve(f"/api/v1/matters/{TWENTY_DIGITS}")
    assert resolve("/api/v1/matters/12").kwargs == {"pk": 12}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/evaluation/sessions/{id}",
        "/api/v1/evaluation/sessions/{id}/board",
        "/api/v1/publicity/publications/{id}",
        "/api/v1/deliberation/rules/{id}",
        "/api/v1/deliberation/meetings/{id}",
        "/api/v1/mediation/cases/{id}",
        "/api/v1/matters/{id}",
        "/api/v1/residents/{id}",
        "/api/v1/registration/applications/{id}",
        "/matters/{id}/",
    ],
)
@pytest.mark.parametrize("pk", ["abc", TWENTY_DIGITS, "1e3", "-1"])
def test_a_path_id_that_is_not_a_bigint_is_404(api, path, pk):
    response = api.get(path.format(id=pk))
    if path.startswith("/api/"):
        assert problem(response, 404)["code"] == "not_found"
    else:
        assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_malformed_json_is_a_chinese_parse_error(api):
    response = api.post("/api/v1/matters", data='{"title": ', content_type="application/json")
    body = problem(response, 400)
    assert body["code"] == "parse_error"
    assert body["detail"] == "请求内容不是有效的 JSON(第 1 行第 11 列附近)。"


def test_csrf_failure_on_the_api_says_csrf(street):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(street)  # a session, as the browser has
    body = problem(client.post("/api/v1/matters", {}, format="json"), 403)
    assert body["code"] == "csrf_failed" and "CSRF" in body["detail"]


@pytest.mark.parametrize("page", ["abc", "-1", "0", "１"])
def test_a_malformed_page_is_a_400_on_page(api, page):
    body = problem(api.get("/api/v1/notifications", {"page": page}), 400)
    assert body["errors"] == {"page": ["页码应为正整数,从 1 开始。"]}


def test_a_page_past_the_last_says_so(api):
    body = problem(api.get("/api/v1/notifications", {"page": "7"}), 404)
    assert body["detail"] == "第 7 页没有数据,请从第 1 页开始。"
    assert api.get("/api/v1/notifications", {"page": "1"}).status_code == 200


def test_a_domain_error_on_a_field_is_also_a_per_field_error(api, tree):
    body = {"node": tree.unit_a1.pk, "title": "路灯坏了", "description": "短", "channel": "wechat"}
    response = problem(api.post("/api/v1/matters", body, format="json"), 400)
    assert response["field"] == "description"
    assert response["errors"] == {"description": [response["detail"]]}


def test_nul_in_a_text_field_is_refused_in_good_chinese(api, tree):
    body = {"node": tree.unit_a1.pk, "title": "路灯\x00坏了", "description": "村口路灯坏了三天。", "channel": "wechat"}
    response = problem(api.post("/api/v1/matters", body, format="json"), 400)
    assert response["errors"] == {"title": ["不能包含空字符(\\0)。"]}


def test_an_unmatched_api_path_is_a_problem_and_a_page_path_a_page(api, client):
    assert problem(api.get("/api/v1/no-such-thing"), 404)["code"] == "not_found"
    assert client.get("/no-such-page/").status_code in (302, 404)  # login first, then the HTML 404


def test_id_field_refuses_ids_beyond_bigint():
    field = IdField()
    assert field.run_validation("12") == 12
    for bad in (TWENTY_DIGITS, 0, -3, "x"):
        with pytest.raises(ValidationError, match="编号"):
            field.run_validation(bad)


@pytest.mark.parametrize("raw", ["0000-01", "1999-12", "2026-13", "2026-00", "2101-01", "٢٠٢٦-١٠", "2026/10", ""])
def test_months_outside_the_sane_range_are_refused(raw):
    assert parse_month(raw) is None
    with pytest.raises(ValidationError, match="YYYY-MM"):
        MonthField().run_validation(raw)


def test_a_sane_month_is_its_first_day():
    assert str(parse_month("2026-10")) == "2026-10-01"
    assert str(parse_month("2026-3")) == "2026-03-01"


@pytest.mark.parametrize(
    "raw", ["0001-01-01T00:00:00", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "昨天"]
)
def test_times_at_the_edge_of_the_calendar_are_refused_not_a_server_error(raw):
    with pytest.raises(ValidationError) as refused:
        DateTimeInputField().run_validation(raw)
    assert "时间" in str(refused.value.detail)
