"""SMS gateways against local servers that speak Alibaba Cloud's and Tencent
Cloud's protocols (`sms_servers`): the official SDKs sign, the servers verify
the signatures with the documented algorithms and answer with the providers'
codes; the outbox row records every attempt, the fallback order, the limits
and the receipts (ADR 0052)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from grassroots.core.errors import DomainError
from grassroots.core.models import Notification, SmsAttempt, SmsMessage, SmsQuota
from grassroots.core.notifications import delivery, services
from grassroots.core.notifications.delivery import DeliveryOutcome
from grassroots.core.notifications.sms.aliyun import AliyunSmsProvider
from grassroots.core.notifications.sms.providers import Disposition
from grassroots.core.notifications.sms.tencent import TencentSmsProvider

from .sms_servers import AliyunSmsServer, ProviderState, TencentSmsServer

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
KIND = services.sms_kind("tests.progress", "测试进展", ("title", "code"))
LINK_KIND = services.sms_kind("tests.invite", "测试邀请", ("name", "link"))
ALIYUN_TEMPLATE, TENCENT_TEMPLATE = "SMS_465000001", "2001001"
SIGN = "某某街道"
GATEWAY = "grassroots.core.notifications.sms.gateway.GatewaySmsBackend"
TOKEN = "receipt-token-7f3a9c"


def aliyun_state(**kwargs) -> ProviderState:
    return ProviderState(
        key_id="LTAI5tTestKeyId",
        secret="aliyun-test-secret",
        sign_names={SIGN},
        templates={ALIYUN_TEMPLATE: ["title", "code"], "SMS_465000002": ["name", "link"]},
        **kwargs,
    )


def tencent_state(**kwargs) -> ProviderState:
    return ProviderState(
        key_id="AKIDTestSecretId",
        secret="tencent-test-secret",
        sign_names={SIGN},
        templates={TENCENT_TEMPLATE: ["title", "code"], "2001002": ["name", "link"]},
        **kwargs,
    )


@pytest.fixture
def aliyun():
    with AliyunSmsServer(aliyun_state()) as server:
        yield server


@pytest.fixture
def tencent():
    with TencentSmsServer(tencent_state()) as server:
        yield server


@pytest.fixture
def gateways(settings, aliyun, tencent):
    """The gateway backend switched on with this installation's credentials,
    pointing at the local servers; Alibaba Cloud first, then Tencent Cloud."""
    settings.SMS_BACKEND = GATEWAY
    settings.SMS_GATEWAYS = ["aliyun", "tencent"]
    settings.SMS_ALIYUN_ACCESS_KEY_ID = aliyun.state.key_id
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = aliyun.state.secret
    settings.SMS_ALIYUN_SIGN_NAME = SIGN
    settings.SMS_ALIYUN_ENDPOINT = aliyun.endpoint
    settings.SMS_ALIYUN_PROTOCOL = "http"
    settings.SMS_TENCENT_SECRET_ID = tencent.state.key_id
    settings.SMS_TENCENT_SECRET_KEY = tencent.state.secret
    settings.SMS_TENCENT_SDK_APP_ID = "1400123456"
    settings.SMS_TENCENT_SIGN_NAME = SIGN
    settings.SMS_TENCENT_ENDPOINT = tencent.endpoint
    settings.SMS_TENCENT_PROTOCOL = "http"
    settings.SMS_TEMPLATES = {
        KIND.code: {"aliyun": ALIYUN_TEMPLATE, "tencent": TENCENT_TEMPLATE},
        LINK_KIND.code: {"aliyun": "SMS_465000002", "tencent": "2001002"},
    }
    settings.SMS_RECEIPT_TOKEN = TOKEN
    settings.SMS_RECEIPT_ALLOWED_IPS = []
    settings.SMS_LIMIT_PER_NUMBER_PER_DAY = 20
    settings.SMS_LIMIT_PER_DAY = 5000
    return aliyun, tencent


def send(phone: str = PHONE, **params: str) -> tuple[Notification, DeliveryOutcome]:
    notification = services.notify_sms(
        phone,
        "您反映的“路灯不亮”已受理。",
        kind=KIND,
        params=params or {"title": "路灯不亮", "code": "SX-7K2P"},
        subject="事项已受理",
    )
    outcome = delivery.notification_deliver(notification_id=notification.pk, last_try=False)
    notification.refresh_from_db()
    return notification, outcome


def attempts(notification: Notification) -> list[tuple[str, str, str]]:
    return [(a.provider, a.outcome, a.code) for a in notification.sms_attempts.order_by("id")]


# --- The adapters on their own -------------------------------------------------------------


def aliyun_provider(server: AliyunSmsServer, **overrides: str) -> AliyunSmsProvider:
    options: dict[str, Any] = {
        "access_key_id": server.state.key_id,
        "access_key_secret": server.state.secret,
        "sign_name": SIGN,
        "endpoint": server.endpoint,
        "protocol": "http",
    } | overrides
    return AliyunSmsProvider(**options)


def tencent_provider(server: TencentSmsServer, **overrides: str) -> TencentSmsProvider:
    options: dict[str, Any] = {
        "secret_id": server.state.key_id,
        "secret_key": server.state.secret,
        "sdk_app_id": "1400123456",
        "sign_name": SIGN,
        "endpoint": server.endpoint,
        "protocol": "http",
    } | overrides
    return TencentSmsProvider(**options)


def test_aliyun_signature_is_verified_and_the_template_is_filled_by_name(aliyun):
    params = [("title", "路灯 不亮&?=+"), ("code", "SX-7K2P")]
    outcome = aliyun_provider(aliyun).send(phone=PHONE, template_id=ALIYUN_TEMPLATE, params=params, out_id="42")
    assert outcome.disposition is Disposition.ACCEPTED and outcome.code == "OK"
    [sent] = aliyun.state.sent
    assert sent.message_id == outcome.message_id and "^" in sent.message_id  # Alibaba Cloud's BizId shape
    assert (sent.phone, sent.template, sent.sign_name, sent.out_id) == (PHONE, ALIYUN_TEMPLATE, SIGN, "42")
    assert sent.params == {"title": "路灯 不亮&?=+", "code": "SX-7K2P"}
    assert aliyun.state.bad_signatures == 0


def test_aliyun_refuses_a_wrong_secret_and_nothing_is_sent(aliyun):
    outcome = aliyun_provider(aliyun, access_key_secret="not-the-secret").send(
        phone=PHONE, template_id=ALIYUN_TEMPLATE, params=[("title", "t"), ("code", "c")], out_id="1"
    )
    assert (outcome.disposition, outcome.code) == (Disposition.FALLBACK, "SignatureDoesNotMatch")
    assert aliyun.state.bad_signatures == 1 and aliyun.state.sent == []


@pytest.mark.parametrize(
    ("phone_error", "template", "sign", "key_id", "code", "disposition"),
    [
        ("isv.BUSINESS_LIMIT_CONTROL", ALIYUN_TEMPLATE, SIGN, None, "isv.BUSINESS_LIMIT_CONTROL", Disposition.FALLBACK),
        ("isv.AMOUNT_NOT_ENOUGH", ALIYUN_TEMPLATE, SIGN, None, "isv.AMOUNT_NOT_ENOUGH", Disposition.FALLBACK),
        ("isv.MOBILE_NUMBER_ILLEGAL", ALIYUN_TEMPLATE, SIGN, None, "isv.MOBILE_NUMBER_ILLEGAL", Disposition.REJECTED),
        (None, "SMS_465000002", SIGN, None, "isv.TEMPLATE_MISSING_PARAMETERS", Disposition.FALLBACK),
        (None, "SMS_000", SIGN, None, "isv.SMS_TEMPLATE_ILLEGAL", Disposition.FALLBACK),
        (None, ALIYUN_TEMPLATE, "别的签名", None, "isv.SMS_SIGNATURE_ILLEGAL", Disposition.FALLBACK),
        (None, ALIYUN_TEMPLATE, SIGN, "LTAIunknown", "InvalidAccessKeyId.NotFound", Disposition.FALLBACK),
    ],
)
def test_aliyun_error_codes_are_mapped(aliyun, phone_error, template, sign, key_id, code, disposition):
    if phone_error:
        aliyun.state.phone_errors[PHONE] = phone_error
    provider = aliyun_provider(aliyun, sign_name=sign, **({"access_key_id": key_id} if key_id else {}))
    outcome = provider.send(phone=PHONE, template_id=template, params=[("title", "t"), ("code", "c")], out_id="1")
    assert (outcome.code, outcome.disposition) == (code, disposition)
    assert aliyun.state.sent == []


def test_an_unreachable_aliyun_is_a_fallback():
    provider = AliyunSmsProvider(
        access_key_id="k",
        access_key_secret="s",
        sign_name=SIGN,
        endpoint="127.0.0.1:9",
        protocol="http",
        timeout_ms=2000,
    )
    outcome = provider.send(phone=PHONE, template_id=ALIYUN_TEMPLATE, params=[("title", "t")], out_id="1")
    assert (outcome.disposition, outcome.code) == (Disposition.FALLBACK, "NetworkError")


def test_tencent_signature_is_verified_and_the_template_is_filled_in_order(tencent):
    outcome = tencent_provider(tencent).send(
        phone=PHONE, template_id=TENCENT_TEMPLATE, params=[("title", "路灯不亮"), ("code", "SX-7K2P")], out_id="42"
    )
    assert outcome.disposition is Disposition.ACCEPTED and outcome.code == "Ok"
    [sent] = tencent.state.sent
    assert (sent.phone, sent.params, sent.out_id, sent.message_id) == (
        PHONE,
        ["路灯不亮", "SX-7K2P"],
        "42",
        outcome.message_id,
    )
    assert tencent.state.bad_signatures == 0


@pytest.mark.parametrize(
    ("phone_error", "template", "overrides", "code", "disposition"),
    [
        (
            "LimitExceeded.PhoneNumberDailyLimit",
            TENCENT_TEMPLATE,
            {},
            "LimitExceeded.PhoneNumberDailyLimit",
            Disposition.FALLBACK,
        ),
        (
            "InvalidParameterValue.IncorrectPhoneNumber",
            TENCENT_TEMPLATE,
            {},
            "InvalidParameterValue.IncorrectPhoneNumber",
            Disposition.REJECTED,
        ),
        (None, "999", {}, "FailedOperation.TemplateIncorrectOrUnapproved", Disposition.FALLBACK),
        (
            None,
            TENCENT_TEMPLATE,
            {"sign_name": "别的签名"},
            "FailedOperation.SignatureIncorrectOrUnapproved",
            Disposition.FALLBACK,
        ),
        (None, TENCENT_TEMPLATE, {"secret_key": "not-the-key"}, "AuthFailure.SignatureFailure", Disposition.FALLBACK),
        (None, TENCENT_TEMPLATE, {"secret_id": "AKIDunknown"}, "AuthFailure.SecretIdNotFound", Disposition.FALLBACK),
        (None, "2001002", {}, "InvalidParameterValue.TemplateParameterFormatError", Disposition.FALLBACK),
    ],
)
def test_tencent_error_codes_are_mapped(tencent, phone_error, template, overrides, code, disposition):
    if phone_error:
        tencent.state.phone_errors[PHONE] = phone_error
    params = [("title", "t"), ("code", "c")] if template != "2001002" else [("name", "n")]
    outcome = tencent_provider(tencent, **overrides).send(phone=PHONE, template_id=template, params=params, out_id="1")
    assert (outcome.code, outcome.disposition) == (code, disposition)
    assert tencent.state.sent == []


def test_a_wrong_tencent_key_is_caught_by_the_signature_check(tencent):
    tencent_provider(tencent, secret_key="not-the-key").send(
        phone=PHONE, template_id=TENCENT_TEMPLATE, params=[("title", "t"), ("code", "c")], out_id="1"
    )
    assert tencent.state.bad_signatures == 1


# --- Through the outbox: fallback order, attempts -------------------------------------------


def test_the_first_provider_sends_and_the_row_keeps_its_message_id(gateways):
    aliyun, tencent = gateways
    notification, outcome = send()
    assert outcome is DeliveryOutcome.SENT
    assert notification.status == Notification.Status.SENT
    assert (notification.provider, notification.provider_message_id) == ("aliyun", aliyun.state.sent[0].message_id)
    assert attempts(notification) == [("aliyun", "accepted", "OK")]
    assert aliyun.state.sent[0].params == {"title": "路灯不亮", "code": "SX-7K2P"}
    assert aliyun.state.sent[0].out_id == str(notification.pk)
    assert tencent.state.requests == 0
    assert not SmsMessage.objects.exists()  # the log table is the demo's, not the gateway's


def test_a_retryable_failure_falls_back_to_the_next_provider(gateways):
    aliyun, tencent = gateways
    aliyun.state.phone_errors[PHONE] = "isv.BUSINESS_LIMIT_CONTROL"
    notification, outcome = send()
    assert outcome is DeliveryOutcome.SENT
    assert attempts(notification) == [
        ("aliyun", "fallback", "isv.BUSINESS_LIMIT_CONTROL"),
        ("tencent", "accepted", "Ok"),
    ]
    assert (notification.provider, notification.provider_message_id) == ("tencent", tencent.state.sent[0].message_id)
    assert tencent.state.sent[0].params == ["路灯不亮", "SX-7K2P"]


def test_a_provider_without_a_template_is_skipped(gateways, settings):
    aliyun, _tencent = gateways
    settings.SMS_TEMPLATES = {KIND.code: {"tencent": TENCENT_TEMPLATE}}
    notification, outcome = send()
    assert outcome is DeliveryOutcome.SENT
    assert attempts(notification) == [("aliyun", "fallback", "TemplateNotConfigured"), ("tencent", "accepted", "Ok")]
    assert aliyun.state.requests == 0


def test_a_provider_without_credentials_is_skipped(gateways, settings):
    aliyun, _tencent = gateways
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = ""
    notification, _outcome = send()
    assert attempts(notification)[0] == ("aliyun", "fallback", "NotConfigured")
    assert notification.provider == "tencent" and aliyun.state.requests == 0


def test_the_fallback_order_is_the_configured_one(gateways, settings):
    aliyun, _tencent = gateways
    settings.SMS_GATEWAYS = ["tencent", "aliyun"]
    notification, _outcome = send()
    assert attempts(notification) == [("tencent", "accepted", "Ok")]
    assert aliyun.state.requests == 0


def test_an_illegal_number_stops_at_once_and_is_never_retried(gateways):
    aliyun, tencent = gateways
    aliyun.state.phone_errors[PHONE] = "isv.MOBILE_NUMBER_ILLEGAL"
    notification, outcome = send()
    assert outcome is DeliveryOutcome.FAILED
    assert notification.status == Notification.Status.FAILED
    assert "isv.MOBILE_NUMBER_ILLEGAL" in notification.last_error
    assert attempts(notification) == [("aliyun", "rejected", "isv.MOBILE_NUMBER_ILLEGAL")]
    assert tencent.state.requests == 0
    # The periodic task reopens failed rows, but not a refused number.
    Notification.objects.filter(pk=notification.pk).update(updated_at=notification.updated_at.replace(year=2020))
    assert delivery.notifications_requeue_unsent(schedule=lambda _pk: None) == []


def test_when_every_provider_fails_the_row_stays_pending_for_a_retry(gateways):
    aliyun, tencent = gateways
    aliyun.state.phone_errors[PHONE] = "isv.AMOUNT_NOT_ENOUGH"
    tencent.state.phone_errors[PHONE] = "LimitExceeded.PhoneNumberDailyLimit"
    notification, outcome = send()
    assert outcome is DeliveryOutcome.RETRY
    assert notification.status == Notification.Status.PENDING and notification.sent_at is None
    assert "所有短信通道均未发送成功" in notification.last_error
    assert [a[2] for a in attempts(notification)] == ["isv.AMOUNT_NOT_ENOUGH", "LimitExceeded.PhoneNumberDailyLimit"]
    assert SmsQuota.objects.get(key="*").count == 0  # the limit unit is given back
    # The next attempt, once the provider accepts again, sends it.
    aliyun.state.phone_errors.clear()
    assert delivery.notification_deliver(notification_id=notification.pk, last_try=False) is DeliveryOutcome.SENT


def test_a_kind_with_a_link_gets_the_absolute_link(gateways):
    aliyun, _tencent = gateways
    notification = services.notify_sms(
        PHONE, "请参加议事会。", kind=LINK_KIND, params={"name": "张三"}, link="/deliberation/i/abc/"
    )
    delivery.notification_deliver(notification_id=notification.pk, last_try=False)
    link = aliyun.state.sent[0].params["link"]
    assert link.startswith("http") and link.endswith("/deliberation/i/abc/")


def test_parameters_must_match_the_kind_and_nothing_is_written():
    with pytest.raises(DomainError) as missing:
        services.notify_sms(PHONE, "x", kind=KIND, params={"title": "t"})
    with pytest.raises(DomainError) as empty:
        services.notify_sms(PHONE, "x", kind=KIND, params={"title": "t", "code": " "})
    assert (missing.value.code, empty.value.code) == ("sms_params_mismatch", "sms_param_empty")
    assert "模板参数" in missing.value.message
    assert not Notification.objects.exists()


# --- Limits -----------------------------------------------------------------------------------


def test_the_per_number_limit_stops_the_next_message(gateways, settings):
    aliyun, _tencent = gateways
    settings.SMS_LIMIT_PER_NUMBER_PER_DAY = 2
    assert [send()[1] for _ in range(2)] == [DeliveryOutcome.SENT, DeliveryOutcome.SENT]
    limited, outcome = send()
    assert outcome is DeliveryOutcome.FAILED
    assert limited.status == Notification.Status.LIMITED and limited.get_status_display() == "已限流"
    assert "该号码今日短信已达上限(2条)" in limited.last_error
    assert attempts(limited) == [("quota", "limited", "")]
    assert aliyun.state.requests == 2
    # Another number is not limited, and a limited row is not reopened.
    assert send("13900001111")[1] is DeliveryOutcome.SENT
    assert delivery.notifications_requeue_unsent(schedule=lambda _pk: None) == []


def test_the_per_day_limit_counts_every_number(gateways, settings):
    settings.SMS_LIMIT_PER_DAY = 1
    assert send("13900001111")[1] is DeliveryOutcome.SENT
    limited, _outcome = send("13900002222")
    assert limited.status == Notification.Status.LIMITED
    assert "平台今日短信已达上限(1条)" in limited.last_error
    # The per-number unit taken before the day's limit refused is given back.
    assert sorted(SmsQuota.objects.values_list("count", flat=True)) == [0, 1, 1]


def test_limits_apply_to_the_demo_log_backend_too(settings):
    settings.SMS_LIMIT_PER_NUMBER_PER_DAY = 1
    first, _ = send()
    second, _ = send()
    assert (first.status, second.status) == (Notification.Status.SENT, Notification.Status.LIMITED)
    assert SmsMessage.objects.count() == 1


# --- The demo default --------------------------------------------------------------------------


def test_the_demo_stays_on_the_log_backend():
    assert django_settings.SMS_BACKEND == "grassroots.core.notifications.backends.LogTableSmsBackend"
    notification, outcome = send()
    assert outcome is DeliveryOutcome.SENT
    assert notification.provider == "log"
    assert notification.provider_message_id == str(SmsMessage.objects.get().pk)
    assert notification.sms_kind == KIND.code and notification.sms_params == [
        ["title", "路灯不亮"],
        ["code", "SX-7K2P"],
    ]


# --- Receipts ----------------------------------------------------------------------------------


def receipt_url(provider: str, token: str = TOKEN) -> str:
    return reverse("sms-receipt", args=[provider, token])


def post(provider: str, payload: object, token: str = TOKEN) -> Any:
    body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload, ensure_ascii=False)
    return Client().post(receipt_url(provider, token), data=body, content_type="application/json")


def test_an_aliyun_receipt_marks_the_row_delivered(gateways):
    aliyun, _tencent = gateways
    notification, _outcome = send()
    push = aliyun.receipt_push()
    response = post("aliyun", push)
    assert response.status_code == 200 and response.json() == {"code": 0, "msg": "成功"}
    notification.refresh_from_db()
    assert notification.receipt_status == Notification.Receipt.DELIVERED
    assert notification.receipt_code == "DELIVERED" and notification.receipt_at is not None
    # A provider retry of the same push changes nothing more.
    first_at = notification.receipt_at
    assert post("aliyun", push).status_code == 200
    notification.refresh_from_db()
    assert (notification.receipt_status, notification.receipt_at) == (Notification.Receipt.DELIVERED, first_at)


def test_a_tencent_failure_receipt_marks_the_row_undelivered(gateways, settings):
    _aliyun, tencent = gateways
    settings.SMS_GATEWAYS = ["tencent"]
    notification, _outcome = send()
    response = post("tencent", tencent.receipt_push(success=False))
    assert response.status_code == 200 and response.json() == {"result": 0, "errmsg": "OK"}
    notification.refresh_from_db()
    assert (notification.receipt_status, notification.receipt_code) == (Notification.Receipt.UNDELIVERED, "UNDELIV")


def test_a_receipt_is_matched_by_provider_and_id_only(gateways):
    aliyun, _tencent = gateways
    notification, _outcome = send()
    push = aliyun.receipt_push()
    assert (
        post("tencent", [{"report_status": "SUCCESS", "sid": push[0]["biz_id"], "errmsg": "DELIVRD"}]).status_code
        == 200
    )
    push[0]["biz_id"] = "000^0"
    assert post("aliyun", push).status_code == 200
    notification.refresh_from_db()
    assert notification.receipt_status == Notification.Receipt.NONE


@pytest.mark.parametrize("provider", ["aliyun", "tencent"])
def test_a_wrong_token_is_403_and_changes_nothing(gateways, settings, provider):
    aliyun, tencent = gateways
    settings_for = {"aliyun": aliyun, "tencent": tencent}
    settings.SMS_GATEWAYS = [provider]
    notification, _outcome = send()
    response = post(provider, settings_for[provider].receipt_push(), token="wrong-token")
    assert response.status_code == 403
    assert "令牌" in json.dumps(response.json(), ensure_ascii=False)
    notification.refresh_from_db()
    assert notification.receipt_status == Notification.Receipt.NONE


@pytest.mark.parametrize(
    ("provider", "body"),
    [
        ("aliyun", "not json"),
        ("aliyun", b"\xff\xfe"),
        ("aliyun", {"biz_id": "1"}),
        ("aliyun", []),
        ("aliyun", [{"biz_id": "1", "success": "yes"}]),
        ("aliyun", [{"success": True}]),
        ("aliyun", [1, 2]),
        ("tencent", [{"sid": "1", "report_status": "MAYBE"}]),
        ("tencent", [{"report_status": "SUCCESS"}]),
        ("tencent", [{"sid": {"x": 1}, "report_status": "SUCCESS"}]),
    ],
)
def test_a_malformed_receipt_is_400(gateways, provider, body):
    response = post(provider, body)
    assert response.status_code == 400
    assert response.json()["code" if provider == "aliyun" else "result"] == 1


def test_receipts_are_off_without_a_token_and_unknown_providers_404(gateways, settings):
    assert post("wechat", []).status_code == 404
    settings.SMS_RECEIPT_TOKEN = ""
    assert post("aliyun", [], token="anything").status_code == 404


def test_receipts_accept_only_post(gateways):
    assert Client().get(receipt_url("aliyun")).status_code == 405


def test_the_peer_allow_list_is_enforced(gateways, settings):
    aliyun, _tencent = gateways
    notification, _outcome = send()
    settings.SMS_RECEIPT_ALLOWED_IPS = ["10.1.2.3"]
    assert post("aliyun", aliyun.receipt_push()).status_code == 403
    settings.SMS_RECEIPT_ALLOWED_IPS = ["127.0.0.1"]
    assert post("aliyun", aliyun.receipt_push()).status_code == 200
    notification.refresh_from_db()
    assert notification.receipt_status == Notification.Receipt.DELIVERED


def test_attempts_are_listed_in_order(gateways):
    aliyun, _tencent = gateways
    aliyun.state.phone_errors[PHONE] = "isv.BUSINESS_LIMIT_CONTROL"
    notification, _outcome = send()
    assert list(SmsAttempt.objects.filter(notification=notification).values_list("provider", flat=True)) == [
        "aliyun",
        "tencent",
    ]
