"""Core API endpoints: /me, notifications, audit; authorisation matrix and
RFC 7807 problems."""

from __future__ import annotations

import pytest
from django.db import connection
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.core.audit import Action, audit_record
from grassroots.core.models import AuditEntry, Notification
from grassroots.core.notifications.services import notify_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_me_anonymous_401(api):
    response = api.get("/api/v1/me")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["detail"] == "请先登录,或提供有效的令牌。"


def test_me_returns_role_and_scope(api, tree, make_user):
    user = make_user(Role.GRID_WORKER, tree.grid_a1)
    api.force_authenticate(user)
    body = api.get("/api/v1/me").json()
    assert body["role"] == "grid_worker"
    assert body["role_display"] == "网格员"
    assert body["jurisdiction"] == tree.grid_a1.pk
    assert "view_tree" in body["capabilities"]
    assert "reveal_personal_data" not in body["capabilities"]


def test_unknown_method_is_a_chinese_problem(api, tree, make_user):
    api.force_authenticate(make_user(Role.GRID_WORKER, tree.grid_a1))
    response = api.delete("/api/v1/me")
    assert response.status_code == 405
    assert response.json()["title"] == "不支持该请求方法"


def test_notifications_are_own_only(api, tree, make_user, django_capture_on_commit_callbacks):
    me = make_user(Role.VILLAGE_STAFF, tree.village_a)
    other = make_user(Role.VILLAGE_STAFF, tree.village_b)
    with django_capture_on_commit_callbacks(execute=True):
        mine = notify_user(me, "新事项", "西张村有一件新事项待受理")
        theirs = notify_user(other, "新事项", "店子社区有一件新事项")
    api.force_authenticate(me)
    rows = api.get("/api/v1/notifications").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert api.get(f"/api/v1/notifications/{theirs.pk}").status_code == 404
    response = api.post(f"/api/v1/notifications/{theirs.pk}/read")
    assert response.status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_notification_mark_read_and_unread_filter(api, tree, make_user, django_capture_on_commit_callbacks):
    me = make_user(Role.VILLAGE_STAFF, tree.village_a)
    with django_capture_on_commit_callbacks(execute=True):
        first = notify_user(me, "一", "第一条")
        notify_user(me, "二", "第二条")
    api.force_authenticate(me)
    response = api.post(f"/api/v1/notifications/{first.pk}/read")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    unread = api.get("/api/v1/notifications", {"unread": "1"}).json()["results"]
    assert [r["subject"] for r in unread] == ["二"]
    assert api.post("/api/v1/notifications/abc/read").status_code == 404


def test_notifications_anonymous_401(api):
    assert api.get("/api/v1/notifications").status_code == 401


@pytest.mark.parametrize("role", [Role.SUBDISTRICT_STAFF, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN])
def test_audit_api_only_for_audit_admin(api, tree, make_user, role):
    user = make_user(role, tree.subdistrict)
    api.force_authenticate(user)
    assert api.get("/api/v1/audit").status_code == 403
    assert api.post("/api/v1/audit/verify").status_code == 403
    assert AuditEntry.objects.filter(action=Action.DENIED, actor_id=user.pk).count() == 2


def test_audit_api_lists_and_verifies(api, tree, make_user):
    auditor = make_user(Role.AUDIT_ADMIN, tree.subdistrict)
    audit_record(action=Action.LOGIN, actor=auditor)
    api.force_authenticate(auditor)
    rows = api.get("/api/v1/audit").json()["results"]
    assert rows[0]["action"] == Action.LOGIN
    assert rows[0]["action_display"]
    result = api.post("/api/v1/audit/verify").json()
    assert result["ok"] is True
    assert result["checked"] >= 1


def test_audit_api_verify_reports_tampering(api, tree, make_user):
    auditor = make_user(Role.AUDIT_ADMIN, tree.subdistrict)
    entry = audit_record(action=Action.LOGIN, actor=auditor)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET action = %s WHERE id = %s", ["auth.logout", entry.pk])
    api.force_authenticate(auditor)
    result = api.post("/api/v1/audit/verify").json()
    assert result["ok"] is False
    assert result["first_broken_id"] == entry.pk


def test_audit_page_filters_and_verifies(client, tree, make_user):
    auditor = make_user(Role.AUDIT_ADMIN, tree.subdistrict)
    audit_record(action=Action.EXPORT, actor=auditor)
    client.force_login(auditor)
    response = client.get("/audit/", {"action": Action.EXPORT})
    assert response.status_code == 200
    assert [e.action for e in response.context["page"].object_list] == [Action.EXPORT]
    verify = client.post("/audit/verify/")
    assert "审计日志完整" in verify.content.decode()


def test_audit_page_denied_for_other_roles(client, tree, make_user):
    client.force_login(make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict))
    response = client.get("/audit/")
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()
