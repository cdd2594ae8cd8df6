"""渠道配置 (ADR 0053): the security administrator stores and rotates channel
credentials (encrypted, never shown again, audited without the value), sends
a test SMS through the gateway that reads the stored credentials (against the
local Alibaba Cloud server), and reads 30 days of delivery statistics."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry, ChannelCredential, Notification
from grassroots.core.notifications.credentials import CREDENTIAL_ACTION, TEST_SMS_ACTION, channel_credentials
from grassroots.core.notifications.sms.probe import TEST_KIND
from grassroots.core.tests.sms_servers import AliyunSmsServer, ProviderState
from grassroots.testing.factories import UserFactory

from ..backends import WechatpyMpBackend

pytestmark = pytest.mark.django_db

SECRET = "s3cr3t-Value-9XqZ-rotate-me"
SECRET_2 = "second-Secret-7Kp2-after-rotation"
SIGN = "某某街道"
TEST_TEMPLATE = "SMS_465000099"
PHONE = "13812345678"


@pytest.fixture
def sec(tree):
    return UserFactory(username="sec_cfg", role=Role.SECURITY_ADMIN, jurisdiction=tree.subdistrict)


def save(client, channel: str, **values: str):
    return client.post(reverse("channels:settings-save", kwargs={"channel": channel}), values)


def credential_audits() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=CREDENTIAL_ACTION).order_by("id"))


@pytest.mark.parametrize(
    "role",
    [r for r in Role if r != Role.SECURITY_ADMIN],
)
def test_only_the_security_administrator_opens_or_changes_the_page(client, tree, role):
    client.force_login(UserFactory(role=role, jurisdiction=tree.subdistrict))
    assert client.get(reverse("channels:settings")).status_code == 403
    assert save(client, "sms.aliyun", SMS_ALIYUN_ACCESS_KEY_SECRET=SECRET).status_code == 403
    assert client.post(reverse("channels:settings-test-sms"), {"phone": PHONE}).status_code == 403
    assert not ChannelCredential.objects.exists()
    assert not Notification.objects.exists()


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get(reverse("channels:settings"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_secret_is_stored_encrypted_never_shown_and_its_rotation_audited(client, sec, django_assert_max_num_queries):
    client.force_login(sec)
    response = save(client, "sms.aliyun", SMS_ALIYUN_ACCESS_KEY_ID="LTAI5tKeyId", SMS_ALIYUN_ACCESS_KEY_SECRET=SECRET)
    assert response.status_code == 302
    assert channel_credentials("sms.aliyun")["SMS_ALIYUN_ACCESS_KEY_SECRET"] == SECRET
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM core_channelcredential")
        raw = " ".join(row[0] for row in cursor.fetchall())
    assert SECRET not in raw and "LTAI5tKeyId" not in raw

    with django_assert_max_num_queries(12):
        page = client.get(reverse("channels:settings"))
    html = page.content.decode()
    assert page.status_code == 200
    assert SECRET not in html and SECRET[-4:] not in html
    assert "LTAI5tKeyId" in html  # a non-secret field is shown
    assert "已设置" in html and "sec_cfg" in html

    # A blank secret leaves it unchanged; a new one rotates it.
    assert save(client, "sms.aliyun", SMS_ALIYUN_ACCESS_KEY_SECRET="").status_code == 302
    assert channel_credentials("sms.aliyun")["SMS_ALIYUN_ACCESS_KEY_SECRET"] == SECRET
    followed = save(client, "sms.aliyun", SMS_ALIYUN_ACCESS_KEY_SECRET=SECRET_2)
    assert channel_credentials("sms.aliyun")["SMS_ALIYUN_ACCESS_KEY_SECRET"] == SECRET_2
    assert SECRET_2 not in client.get(followed["Location"]).content.decode()

    audits = credential_audits()
    assert [(a.detail["field"], a.detail["change"]) for a in audits] == [
        ("SMS_ALIYUN_ACCESS_KEY_ID", "set"),
        ("SMS_ALIYUN_ACCESS_KEY_SECRET", "set"),
        ("SMS_ALIYUN_ACCESS_KEY_SECRET", "rotated"),
    ]
    assert all(a.actor_id == sec.pk for a in audits)
    dumped = " ".join(str(a.detail) + a.object_id for a in audits)
    assert SECRET not in dumped and SECRET_2 not in dumped


def test_bad_input_is_refused_in_chinese_and_changes_nothing(client, sec):
    client.force_login(sec)
    response = save(client, "sms.tencent", SMS_TENCENT_SECRET_KEY="bad\x00value")
    assert response.status_code == 400
    assert "SecretKey的值无效" in response.content.decode()
    assert "bad\x00value" not in response.content.decode()
    response = save(client, "sms.tencent", SMS_TENCENT_SECRET_KEY="x" * 501)
    assert response.status_code == 400
    assert not ChannelCredential.objects.exists() and not credential_audits()
    assert save(client, "no.such.channel", X="1").status_code == 404


def test_a_cleared_non_secret_falls_back_to_the_settings(client, sec, settings):
    settings.SMS_ALIYUN_SIGN_NAME = "部署签名"
    client.force_login(sec)
    save(client, "sms.aliyun", SMS_ALIYUN_SIGN_NAME="页面签名")
    assert channel_credentials("sms.aliyun")["SMS_ALIYUN_SIGN_NAME"] == "页面签名"
    save(client, "sms.aliyun", SMS_ALIYUN_SIGN_NAME="")
    assert channel_credentials("sms.aliyun")["SMS_ALIYUN_SIGN_NAME"] == "部署签名"
    assert [a.detail["change"] for a in credential_audits()] == ["set", "cleared"]


def test_the_test_sms_goes_through_the_gateway_with_the_stored_credentials(client, sec, settings):
    state = ProviderState(key_id="LTAI5tStored", secret=SECRET, sign_names={SIGN}, templates={TEST_TEMPLATE: ["time"]})
    with AliyunSmsServer(state) as aliyun:
        settings.SMS_BACKEND = "grassroots.core.notifications.sms.gateway.GatewaySmsBackend"
        settings.SMS_GATEWAYS = ["aliyun"]
        # The settings hold stale credentials: only the stored ones are right.
        settings.SMS_ALIYUN_ACCESS_KEY_ID, settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "stale-id", "stale-secret"
        settings.SMS_ALIYUN_SIGN_NAME, settings.SMS_ALIYUN_PROTOCOL = SIGN, "http"
        settings.SMS_TEMPLATES = {TEST_KIND.code: {"aliyun": TEST_TEMPLATE}}
        client.force_login(sec)
        save(
            client,
            "sms.aliyun",
            SMS_ALIYUN_ACCESS_KEY_ID="LTAI5tStored",
            SMS_ALIYUN_ACCESS_KEY_SECRET=SECRET,
            SMS_ALIYUN_ENDPOINT=aliyun.endpoint,
        )
        response = client.post(reverse("channels:settings-test-sms"), {"phone": PHONE})
        html = response.content.decode()
        assert response.status_code == 200
        assert "测试短信发往 138****5678:<strong>已发送</strong>" in html
        assert "阿里云短信:已受理(OK)" in html
        assert PHONE not in html and SECRET not in html
        assert [s.phone for s in aliyun.state.sent] == [PHONE]
        assert aliyun.state.bad_signatures == 0

        # With a wrong stored secret the server refuses the signature: the page says so.
        save(client, "sms.aliyun", SMS_ALIYUN_ACCESS_KEY_SECRET="wrong-secret-value")
        response = client.post(reverse("channels:settings-test-sms"), {"phone": PHONE})
        assert "<strong>发送失败</strong>" in response.content.decode()
        assert aliyun.state.bad_signatures == 1
    tests = AuditEntry.objects.filter(action=TEST_SMS_ACTION).order_by("id")
    assert [a.detail["status"] for a in tests] == ["sent", "failed"]
    assert all(a.detail["phone"] == "138****5678" for a in tests)


def test_a_bad_test_number_is_400_in_chinese_and_sends_nothing(client, sec):
    client.force_login(sec)
    response = client.post(reverse("channels:settings-test-sms"), {"phone": "12345"})
    assert response.status_code == 400
    assert "手机号" in response.content.decode()
    assert not Notification.objects.exists()


def test_statistics_count_the_last_30_days_per_channel(client, sec, django_assert_max_num_queries):
    def sms(provider: str, status: str, receipt: str = "") -> Notification:
        return Notification.objects.create(
            channel="sms",
            address=PHONE,
            subject="t",
            body="b",
            provider=provider,
            status=status,
            receipt_status=receipt,
        )

    sms("aliyun", "sent", "delivered")
    sms("aliyun", "sent", "undelivered")
    sms("tencent", "sent")
    sms("", "failed")
    sms("", "limited")
    old = sms("aliyun", "sent")
    Notification.objects.filter(pk=old.pk).update(created_at=old.created_at.replace(year=old.created_at.year - 1))
    client.force_login(sec)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("channels:settings"))
    stats = response.context["sms_rows"]
    by_label = {row["label"]: row for row in stats}
    assert (
        by_label["阿里云短信"]["sent"],
        by_label["阿里云短信"]["delivered"],
        by_label["阿里云短信"]["undelivered"],
    ) == (
        2,
        1,
        1,
    )
    assert by_label["腾讯云短信"]["sent"] == 1
    unsent = by_label["未经通道发出(限流或全部失败)"]
    assert (unsent["failed"], unsent["limited"]) == (1, 1)
    assert [row["label"] for row in response.context["channel_rows"]] == [
        "企业微信群机器人",
        "微信公众号图文",
        "公众号订阅通知",
    ]


def test_the_wechat_backend_reads_the_stored_app_secret(client, sec, settings):
    settings.WECHAT_MP_APP_ID, settings.WECHAT_MP_APP_SECRET = "wx-from-settings", "settings-secret"
    assert WechatpyMpBackend().client.secret == "settings-secret"
    client.force_login(sec)
    save(client, "wechat_mp", WECHAT_MP_APP_SECRET=SECRET)
    backend = WechatpyMpBackend()
    assert (backend.client.appid, backend.client.secret) == ("wx-from-settings", SECRET)
    html = client.get(reverse("channels:settings")).content.decode()
    assert SECRET not in html and "settings-secret" not in html
