"""Browser test of 渠道配置 at phone width: the security administrator opens
it from the menu, stores the Alibaba Cloud credentials (the secret never
comes back to the page), sends a test SMS that the local Alibaba Cloud
server accepts with the stored credentials, and sees it in the statistics
(ADR 0053)."""

from __future__ import annotations

import pytest

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry
from grassroots.core.notifications.sms.probe import TEST_KIND
from grassroots.core.tests.sms_servers import AliyunSmsServer, ProviderState
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "browser-Secret-4Hq8-never-shown"
SIGN = "某某街道"
TEMPLATE = "SMS_465000099"


def test_security_admin_configures_aliyun_and_sends_a_test_sms(page, live_server, settings):
    state = ProviderState(key_id="LTAI5tBrowser", secret=SECRET, sign_names={SIGN}, templates={TEMPLATE: ["time"]})
    with AliyunSmsServer(state) as aliyun:
        settings.SMS_BACKEND = "grassroots.core.notifications.sms.gateway.GatewaySmsBackend"
        settings.SMS_GATEWAYS = ["aliyun"]
        settings.SMS_ALIYUN_ACCESS_KEY_ID = settings.SMS_ALIYUN_ACCESS_KEY_SECRET = ""
        settings.SMS_ALIYUN_SIGN_NAME, settings.SMS_ALIYUN_PROTOCOL = "", "http"
        settings.SMS_TEMPLATES = {TEST_KIND.code: {"aliyun": TEMPLATE}}
        tree = build_small_tree()
        UserFactory(username="sec1", role=Role.SECURITY_ADMIN, jurisdiction=tree.subdistrict)
        page.set_viewport_size({"width": 390, "height": 844})
        login(page, live_server, "sec1", DEFAULT_PASSWORD)
        page.goto(f"{live_server.url}/")
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible():
            toggler.click()
        page.locator("#mainnav").get_by_role("link", name="渠道配置").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_role("heading", name="渠道配置").is_visible()
        card = page.get_by_test_id("channel-sms.aliyun")
        assert "未设置" in card.get_by_test_id("secret-status").inner_text()

        card.get_by_label("AccessKey ID").fill("LTAI5tBrowser")
        card.get_by_label("AccessKey Secret").fill(SECRET)
        card.get_by_label("短信签名").fill(SIGN)
        card.get_by_label("接入地址").fill(aliyun.endpoint)
        card.get_by_test_id("save-sms.aliyun").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_text("阿里云短信:已更新 4 项配置。").is_visible()
        card = page.get_by_test_id("channel-sms.aliyun")
        assert "已设置" in card.get_by_test_id("secret-status").inner_text()
        assert card.get_by_label("AccessKey Secret").input_value() == ""
        assert SECRET not in page.content()

        page.get_by_label("接收手机号").fill("13812345678")
        page.get_by_test_id("send-test").click()
        page.wait_for_load_state("networkidle")
        result = page.get_by_test_id("test-result").inner_text()
        assert "138****5678" in result and "已发送" in result and "阿里云短信" in result
        assert "13812345678" not in page.content() and SECRET not in page.content()
        assert [s.phone for s in aliyun.state.sent] == ["13812345678"]
        stats = page.get_by_test_id("sms-stat").first.inner_text()
        assert stats.split("\t")[:2] == ["阿里云短信", "1"]
        page.screenshot(path=artifact("channel-settings.png"), full_page=True)
    assert AuditEntry.objects.filter(action="channel.credential").count() == 4
