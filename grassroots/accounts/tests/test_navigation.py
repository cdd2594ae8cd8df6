from __future__ import annotations

import pytest
from django.urls import reverse

from grassroots.accounts.roles import Role

pytestmark = pytest.mark.django_db


def _nav_labels(client):
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 200
    return [item["label"] for item in response.context["nav_items"]]


@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        (Role.GRID_WORKER, ["工作台", "辖区", "居民"], ["审计日志", "系统管理"]),
        (Role.SUBDISTRICT_STAFF, ["工作台", "辖区", "居民"], ["审计日志", "系统管理"]),
        (Role.WINDOW_STAFF, ["工作台"], ["辖区", "居民", "审计日志"]),
        (Role.SYSTEM_ADMIN, ["工作台", "辖区", "系统管理"], ["居民", "审计日志"]),
        (Role.SECURITY_ADMIN, ["工作台", "居民"], ["审计日志", "系统管理"]),
        (Role.AUDIT_ADMIN, ["工作台", "审计日志"], ["辖区", "居民", "系统管理"]),
    ],
)
def test_navigation_by_role(client, tree, make_user, role, expected, absent):
    client.force_login(make_user(role, tree.subdistrict))
    labels = _nav_labels(client)
    for label in expected:
        assert label in labels
    for label in absent:
        assert label not in labels


def test_home_shows_real_counts_for_scope(client, tree, make_user):
    client.force_login(make_user(Role.VILLAGE_STAFF, tree.village_a))
    response = client.get(reverse("accounts:home"))
    summary = dict(response.context["summary"])
    assert summary["网格"] == 2
    assert summary["居民"] == 1  # only village A's resident


def test_home_without_jurisdiction_warns(client, make_user):
    client.force_login(make_user(Role.VILLAGE_STAFF, None))
    response = client.get(reverse("accounts:home"))
    assert "尚未分配辖区" in response.content.decode()


def test_admin_site_only_for_system_admin(client, tree, make_user):
    client.force_login(make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict))
    assert client.get("/admin/").status_code == 302  # admin sends non-admins to its login
    client.force_login(make_user(Role.SYSTEM_ADMIN, tree.subdistrict))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/core/auditentry/").status_code == 404  # not registered: 三权分立


def test_home_shows_matter_counts_in_scope(client, tree, served, make_user):
    from grassroots.matters.models import Channel
    from grassroots.matters.services.intake import MatterInput, matter_create

    for node in (tree.grid_a1, tree.grid_b1):
        matter_create(
            data=MatterInput(node=node, title="楼道灯坏了", description="三号楼楼道灯不亮", channel=Channel.HOTLINE)
        )
    client.force_login(make_user(Role.VILLAGE_STAFF, tree.village_a))
    response = client.get(reverse("accounts:home"))
    links = {label: value for label, value, _url, _badge in response.context["matter_links"]}
    assert links["待受理"] == 1  # village B's matter is not counted
    assert "matter-counts" in response.content.decode()


def test_home_has_no_matter_counts_for_window_staff(client, tree, make_user):
    client.force_login(make_user(Role.WINDOW_STAFF, tree.subdistrict))
    assert client.get(reverse("accounts:home")).context["matter_links"] is None
