"""/api/v1/bigscreen/figures: roles, the caller's own node, the query count."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from grassroots.matters.tests.factories import make_staff, report

pytestmark = pytest.mark.django_db
URL = "/api/v1/bigscreen/figures"


def test_roles(tree, people):
    client = APIClient()
    assert client.get(URL).status_code in (401, 403)
    client.force_authenticate(people.village_a)
    refused = client.get(URL)
    assert refused.status_code == 403 and "权限" in refused.json()["detail"]
    client.force_authenticate(people.mediator)
    assert client.get(URL).status_code == 403


def test_figures_of_the_callers_own_node(tree, people, django_assert_max_num_queries):
    make_staff(tree)
    report(node=tree.grid_a1)
    client = APIClient()
    client.force_authenticate(people.street)
    with django_assert_max_num_queries(22):  # the matter figures: 2 + by child 3 + trend 4, each + the calendar
        data = client.get(URL).json()
    assert data["node"] == "湖田街道" and data["matters"]["open"] == 1
    # Staff posted at village b see village b's screen, without village a's matter.
    client.force_authenticate(people.street_b)
    other = client.get(URL).json()
    assert other["node"] == "店子社区" and other["matters"]["open"] == 0


def test_post_is_not_allowed(tree, people):
    client = APIClient()
    client.force_authenticate(people.street)
    response = client.post(URL, {})
    assert response.status_code == 405
