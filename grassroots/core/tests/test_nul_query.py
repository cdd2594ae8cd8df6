"""A NUL in any query string is a 400 with a Chinese message on every
route, pages and API alike. PostgreSQL refuses NUL in a text parameter, so
before this a filter that passed `?q=%00` to the database answered 500
(schemathesis found it on the organisations list)."""

from __future__ import annotations

import pytest

from grassroots.accounts.roles import Role
from grassroots.core.tests.test_head import _parameterless_routes
from grassroots.core.text import NUL_MESSAGE

pytestmark = pytest.mark.django_db


def test_the_organisations_filter_refuses_nul_with_a_problem_document(client, make_user):
    client.force_login(make_user(Role.WINDOW_STAFF, None))
    response = client.get("/api/v1/registration/organisations?q=%E6%96%87%00%E5%8C%96")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"] == {"q": [NUL_MESSAGE]}
    # The same filter without NUL still answers.
    assert client.get("/api/v1/registration/organisations?q=%E6%96%87%E5%8C%96").status_code == 200


def test_a_nul_in_a_parameter_name_is_named_without_the_nul(client, make_user):
    client.force_login(make_user(Role.WINDOW_STAFF, None))
    body = client.get("/api/v1/registration/organisations?a%00b=1").json()
    assert body["errors"] == {"a\\0b": [NUL_MESSAGE]}


def test_a_page_answers_a_chinese_400_page(client, tree, make_user):
    client.force_login(make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict))
    response = client.get("/matters/?q=%00")
    assert response.status_code == 400
    text = response.content.decode()
    assert 'data-testid="bad-request"' in text
    assert NUL_MESSAGE in text


def test_other_encoded_bytes_pass_through(client, make_user):
    client.force_login(make_user(Role.WINDOW_STAFF, None))
    # "%2500" is a literal "%00" typed by someone: text, not a NUL.
    assert client.get("/api/v1/registration/organisations?q=%2500").status_code == 200


@pytest.mark.parametrize("role", [None, Role.SUBDISTRICT_STAFF])
def test_no_get_route_answers_500_to_nul_in_its_query(client, tree, make_user, role):
    if role is not None:
        client.force_login(make_user(role, tree.subdistrict))
    checked = 0
    for url in _parameterless_routes():
        if url.startswith(("/admin/", "/api/docs/", "/api/v1/schema/")):
            continue
        response = client.get(url + "?q=%00&status=%00&page=%00")
        assert response.status_code in {400, 401, 302, 405}, f"{url}: {response.status_code}"
        checked += 1
    assert checked > 10
