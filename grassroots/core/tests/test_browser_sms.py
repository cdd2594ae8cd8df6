"""Browser test of 短信发送记录: a message goes through the gateway backend to
the local Alibaba Cloud server, falls back to the local Tencent Cloud server,
the receipt is pushed over HTTP to the live server's callback, and the
security administrator finds it, masked and delivered (ADR 0052)."""

from __future__ import annotations

import json
import urllib.request

import pytest

from grassroots.accounts.roles import Role
from grassroots.core.models import Notification
from grassroots.core.notifications import services
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from .sms_servers import AliyunSmsServer, TencentSmsServer
from .test_sms_gateways import ALIYUN_TEMPLATE, KIND, SIGN, TENCENT_TEMPLATE, TOKEN, aliyun_state, tencent_state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_security_admin_follows_an_sms_from_fallback_to_receipt(page, live_server, settings):
    with AliyunSmsServer(aliyun_state()) as aliyun, TencentSmsServer(tencent_state()) as tencent:
        settings.SMS_BACKEND = "grassroots.core.notifications.sms.gateway.GatewaySmsBackend"
        settings.SMS_GATEWAYS = ["aliyun", "tencent"]
        settings.SMS_ALIYUN_ACCESS_KEY_ID, settings.SMS_ALIYUN_ACCESS_KEY_SECRET = (
            aliyun.state.key_id,
            aliyun.state.secret,
        )
        settings.SMS_ALIYUN_SIGN_NAME, settings.SMS_ALIYUN_ENDPOINT, settings.SMS_ALIYUN_PROTOCOL = (
            SIGN,
            aliyun.endpoint,
            "http",
        )
        settings.SMS_TENCENT_SECRET_ID, settings.SMS_TENCENT_SECRET_KEY = tencent.state.key_id, tencent.state.secret
        settings.SMS_TENCENT_SDK_APP_ID, settings.SMS_TENCENT_SIGN_NAME = "1400123456", SIGN
        settings.SMS_TENCENT_ENDPOINT, settings.SMS_TENCENT_PROTOCOL = tencent.endpoint, "http"
        settings.SMS_TEMPLATES = {KIND.code: {"aliyun": ALIYUN_TEMPLATE, "tencent": TENCENT_TEMPLATE}}
        settings.SMS_RECEIPT_TOKEN = TOKEN
        aliyun.state.phone_errors["13812345678"] = "isv.BUSINESS_LIMIT_CONTROL"

        notification = services.notify_sms(
            "13812345678", "您反映的“路灯不亮”已受理。", kind=KIND, params={"title": "路灯不亮", "code": "SX-7K2P"}
        )
        # Autocommit: the outbox queued the delivery on commit, and Celery ran it eagerly.
        notification.refresh_from_db()
        assert (notification.status, notification.provider) == ("sent", "tencent")
        request = urllib.request.Request(  # noqa: S310 - the live server's http URL
            f"{live_server.url}/sms/receipts/tencent/{TOKEN}",
            data=json.dumps(tencent.receipt_push()).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            assert json.loads(response.read()) == {"result": 0, "errmsg": "OK"}
        assert Notification.objects.get(pk=notification.pk).receipt_status == "delivered"

        tree = build_small_tree()
        UserFactory(username="sec1", role=Role.SECURITY_ADMIN, jurisdiction=tree.subdistrict)
        login(page, live_server, "sec1", DEFAULT_PASSWORD)
        page.locator("#mainnav").get_by_role("link", name="短信记录").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_role("heading", name="短信发送记录").is_visible()
        row = page.get_by_test_id("sms-row").first
        assert row.get_by_test_id("sms-phone").inner_text() == "138****5678"
        assert "13812345678" not in page.content()
        attempts = row.get_by_test_id("sms-attempt").all_inner_texts()
        assert attempts == [
            "1. 阿里云短信:失败,改用下一通道(isv.BUSINESS_LIMIT_CONTROL)",
            "2. 腾讯云短信:已受理(Ok)",
        ]
        assert "已送达" in row.get_by_test_id("sms-receipt").inner_text()
        assert "阿里云短信 → 腾讯云短信" in page.get_by_test_id("sms-backend").inner_text()

        page.locator("#f-receipt").select_option("undelivered")
        page.get_by_test_id("filter-submit").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_text("没有符合条件的短信。").is_visible()
        page.locator("#f-receipt").select_option("delivered")
        page.get_by_test_id("filter-submit").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_test_id("sms-row").count() == 1
        page.screenshot(path=artifact("sms-outbox.png"), full_page=True)
