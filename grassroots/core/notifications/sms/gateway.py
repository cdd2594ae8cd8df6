"""The gateway backend: the configured providers in their fallback order
(`SMS_GATEWAYS`), each with the kind's approved template (`SMS_TEMPLATES`).
Every provider tried leaves an `SmsAttempt` on the outbox row. A provider
without credentials or without a template for the kind is skipped (and
recorded); a `FALLBACK` answer moves to the next provider; a `REJECTED`
answer stops the message for good; when every provider failed the delivery
is retried later by the outbox."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from grassroots.core.models import Notification, SmsAttempt

from ..backends import SmsBackend, SmsRejected, SmsSendResult
from ..credentials import channel_credentials
from .aliyun import AliyunSmsProvider
from .providers import Disposition, SendOutcome, SmsProvider
from .tencent import TencentSmsProvider

PROVIDER_LABELS = {"aliyun": "阿里云短信", "tencent": "腾讯云短信", "log": "日志表(演示)", "quota": "平台限额"}


def provider_label(name: str) -> str:
    return PROVIDER_LABELS.get(name, name)


def build_provider(name: str) -> SmsProvider | None:
    """The provider named `name` with this installation's credentials (stored
    on 渠道配置, else the settings: ADR 0053), or None when they are not
    configured."""
    if name not in ("aliyun", "tencent"):
        return None
    stored = channel_credentials(f"sms.{name}")

    def _setting(setting: str) -> str:
        return stored.get(setting) or str(getattr(settings, setting, "") or "")

    if name == "aliyun":
        key_id, secret, sign = (
            _setting("SMS_ALIYUN_ACCESS_KEY_ID"),
            _setting("SMS_ALIYUN_ACCESS_KEY_SECRET"),
            _setting("SMS_ALIYUN_SIGN_NAME"),
        )
        if not (key_id and secret and sign):
            return None
        return AliyunSmsProvider(
            access_key_id=key_id,
            access_key_secret=secret,
            sign_name=sign,
            endpoint=_setting("SMS_ALIYUN_ENDPOINT") or "dysmsapi.aliyuncs.com",
            protocol=_setting("SMS_ALIYUN_PROTOCOL") or "https",
        )
    if name == "tencent":
        secret_id, secret_key, app_id, sign = (
            _setting("SMS_TENCENT_SECRET_ID"),
            _setting("SMS_TENCENT_SECRET_KEY"),
            _setting("SMS_TENCENT_SDK_APP_ID"),
            _setting("SMS_TENCENT_SIGN_NAME"),
        )
        if not (secret_id and secret_key and app_id and sign):
            return None
        return TencentSmsProvider(
            secret_id=secret_id,
            secret_key=secret_key,
            sdk_app_id=app_id,
            sign_name=sign,
            region=_setting("SMS_TENCENT_REGION") or "ap-guangzhou",
            endpoint=_setting("SMS_TENCENT_ENDPOINT") or "sms.tencentcloudapi.com",
            protocol=_setting("SMS_TENCENT_PROTOCOL") or "https",
        )
    return None


def fallback_order() -> list[str]:
    return [name for name in getattr(settings, "SMS_GATEWAYS", []) if name]


def template_for(kind: str, provider: str) -> str:
    templates: dict[str, Any] = getattr(settings, "SMS_TEMPLATES", {}) or {}
    return str((templates.get(kind) or {}).get(provider) or "")


class GatewaySmsBackend(SmsBackend):
    def send(self, *, phone: str, body: str, notification: Notification) -> SmsSendResult:
        params = [(str(name), str(value)) for name, value in notification.sms_params or []]
        failures: list[str] = []
        for name in fallback_order():
            provider = build_provider(name)
            template = template_for(notification.sms_kind, name)
            if provider is None:
                outcome = SendOutcome(Disposition.FALLBACK, "NotConfigured", "未配置该通道的密钥或签名。")
            elif not template:
                outcome = SendOutcome(Disposition.FALLBACK, "TemplateNotConfigured", "未配置该类型短信的模板。")
            else:
                outcome = provider.send(phone=phone, template_id=template, params=params, out_id=str(notification.pk))
            SmsAttempt.objects.create(
                notification=notification,
                provider=name,
                outcome=outcome.disposition.value,
                code=outcome.code,
                message=outcome.message,
                message_id=outcome.message_id,
            )
            if outcome.disposition is Disposition.ACCEPTED:
                return SmsSendResult(provider=name, message_id=outcome.message_id)
            if outcome.disposition is Disposition.REJECTED:
                raise SmsRejected(f"{provider_label(name)}拒绝发送:{outcome.code} {outcome.message}".strip())
            failures.append(f"{name}:{outcome.code}")
        if not failures:
            raise RuntimeError("未配置任何短信通道(SMS_GATEWAYS)。")
        raise RuntimeError("所有短信通道均未发送成功:" + ", ".join(failures))
