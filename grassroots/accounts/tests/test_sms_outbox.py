"""短信发送记录: who sees it, masked numbers, filters, attempts, receipts,
the template table, and a pinned query count (ADR 0052)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.core.models import Notification, SmsAttempt
from grassroots.core.notifications import services
from grassroots.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

KIND = services.sms_kind("tests.outbox", "测试短信", ("title",))
URL = "/notifications/sms/"


def _row(phone: str, **fields) -> Notification:
    notification = services.notify_sms(phone, "正文", kind=KIND, params={"title": "路灯"}, subject="测试标题")
    Notification.objects.filter(pk=notification.pk).update(**fields)
    notification.refresh_from_db()
    return notification


@pytest.fixture
def rows():
    sent = _row(
        "13812345678",
        status=Notification.Status.SENT,
        provider="tencent",
        provider_message_id="2645:1",
        receipt_status=Notification.Receipt.DELIVERED,
        receipt_code="DELIVRD",
    )
    SmsAttempt.objects.create(
        notification=sent, provider="aliyun", outcome="fallback", code="isv.BUSINESS_LIMIT_CONTROL"
    )
    SmsAttempt.objects.create(notification=sent, provider="tencent", outcome="accepted", code="Ok", message_id="2645:1")
    limited = _row("13900001111", status=Notification.Status.LIMITED, last_error="该号码今日短信已达上限(20条)")
    failed = _row("13700002222", status=Notification.Status.FAILED, last_error="SmsRejected: 阿里云短信拒绝发送")
    return sent, limited, failed


def test_the_url_is_named():
    assert reverse("sms-outbox") == URL


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.SYSTEM_ADMIN, 200),
        (Role.SECURITY_ADMIN, 200),
        (Role.AUDIT_ADMIN, 403),
        (Role.VILLAGE_STAFF, 403),
        (Role.GRID_WORKER, 403),
    ],
)
def test_only_the_system_and_security_administrators_see_it(client, tree, role, status):
    client.force_login(UserFactory(role=role, jurisdiction=tree.subdistrict))
    assert client.get(URL).status_code == status


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_numbers_are_masked_and_attempts_and_receipts_shown(client, tree, rows):
    client.force_login(UserFactory(role=Role.SECURITY_ADMIN, jurisdiction=tree.subdistrict))
    html = client.get(URL).content.decode()
    assert "138****5678" in html and "13812345678" not in html
    assert "139****1111" in html and "13900001111" not in html
    assert "已送达" in html and "已限流" in html and "发送失败" in html
    assert "阿里云短信:失败,改用下一通道(isv.BUSINESS_LIMIT_CONTROL)" in html
    assert "腾讯云短信:已受理(Ok)" in html
    assert "该号码今日短信已达上限" in html
    assert "测试短信" in html  # the kind's label, and in the template table
    assert "日志表(演示,未接入短信网关)" in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("status=limited", "139****1111", "138****5678"),
        ("status=sent", "138****5678", "139****1111"),
        ("receipt=delivered", "138****5678", "137****2222"),
        ("receipt=none", "137****2222", "138****5678"),
        ("provider=tencent", "138****5678", "139****1111"),
    ],
)
def test_filters(client, tree, rows, query, shown, hidden):
    client.force_login(UserFactory(role=Role.SYSTEM_ADMIN, jurisdiction=tree.subdistrict))
    html = client.get(f"{URL}?{query}").content.decode()
    assert shown in html and hidden not in html


def test_unknown_filter_values_are_ignored_not_500(client, tree, rows):
    client.force_login(UserFactory(role=Role.SYSTEM_ADMIN, jurisdiction=tree.subdistrict))
    response = client.get(f"{URL}?status=zzz&receipt=%01&provider=x&kind=nope&page=-3")
    assert response.status_code == 200
    assert "138****5678" in response.content.decode()
    # A NUL is refused before the page (core.middleware.NulQueryMiddleware), never a 500.
    assert client.get(f"{URL}?receipt=%00").status_code == 400


def test_the_template_table_shows_configured_and_missing_templates(client, tree, settings):
    settings.SMS_TEMPLATES = {KIND.code: {"aliyun": "SMS_465000009"}}
    client.force_login(UserFactory(role=Role.SYSTEM_ADMIN, jurisdiction=tree.subdistrict))
    html = client.get(URL).content.decode()
    assert "SMS_465000009" in html and "未配置" in html


def test_the_query_count_is_pinned(client, tree, rows, django_assert_max_num_queries):
    for i in range(30):
        row = _row(f"1350000{i:04d}", status=Notification.Status.SENT, provider="aliyun")
        SmsAttempt.objects.create(notification=row, provider="aliyun", outcome="accepted", code="OK")
    client.force_login(UserFactory(role=Role.SYSTEM_ADMIN, jurisdiction=tree.subdistrict))
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.status_code == 200 and response.content.decode().count('data-testid="sms-row"') == 33


def test_the_nav_links_it_for_those_who_may_see_it(client, tree):
    client.force_login(UserFactory(role=Role.SYSTEM_ADMIN, jurisdiction=tree.subdistrict))
    assert f'href="{URL}"' in client.get("/notifications/").content.decode()
    client.force_login(UserFactory(role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a))
    assert f'href="{URL}"' not in client.get("/notifications/").content.decode()
