"""The gateway backend: the configured providers in their fallback order
(`SMS_GATEWAYS`), each with the kind's approved template (`SMS_TEMPLATES`).
Every provider tried leaves an `SmsAttempt` on the outbox row. A provider
without credentials or without a template for the kind is skipped (and
recorded); a `FALLBACK` answer moves to the next provider; `UNKNOWN` (no
answer to a request that went out) stops here and the outbox holds the row
for the provider's receipt (ADR 0056); a `REJECTED`
answer stops the message for good; when every provider failed the delivery
is retried later by the outbox."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from grassroots.core.models import Notification, SmsAttempt

from ..backends import SmsOutcomeUnknown, SmsRejected, SmsSendResult
from ..credentials import channel_credentials
from .aliyun import AliyunSmsProvider
from .providers import Disposition, SendOutcome, SmsProvider
from .tencent import TencentSmsProvider

PROVIDER_LABELS = {"aliyun": "阿里云短信", "tencent": "腾讯云短信", "log": "日志表(演示)", "quota": "平台限额"}


def provider_label(name: str) -> str:
    return PROVIDER_LABELS.get(name, name)


# Per provider: the credential fields that must all be set, and the
# optional ones with their defaults (setting name -> default).
_REQUIRED = {
    "aliyun": ("SMS_ALIYUN_ACCESS_KEY_ID", "SMS_ALIYUN_ACCESS_KEY_SECRET", "SMS_ALIYUN_SIGN_NAME"),
    "tencent": ("SMS_TENCENT_SECRET_ID", "SMS_TENCENT_SECRET_KEY", "SMS_TENCENT_SDK_APP_ID", "SMS_TENCENT_SIGN_NAME"),
}
_OPTIONAL = {
    "aliyun": {"SMS_ALIYUN_ENDPOINT": "dysmsapi.aliyuncs.com", "SMS_ALIYUN_PROTOCOL": "https"},
    "tencent": {
        "SMS_TENCENT_REGION": "ap-guangzhou",
        "SMS_TENCENT_ENDPOINT": "sms.tencentcloudapi.com",
        "SMS_TENCENT_PROTOCOL": "https",
    },
}


def build_provider(name: str) -> SmsProvider | None:
    """The provider named `name` with this installation's credentials (stored
    on 渠道配置, else the settings: ADR 0053), or None when they are not
    configured."""
    if name not in _REQUIRED:
        return None
    stored = channel_credentials(f"sms.{name}")
    values = {
        setting: stored.get(setting) or str(getattr(settings, setting, "") or "") or default
        for setting, default in [*((r, "") for r in _REQUIRED[name]), *_OPTIONAL[name].items()]
    }
    if not all(values[setting] for setting in _REQUIRED[name]):
        return None
    if name == "aliyun":
        return AliyunSmsProvider(
            access_key_id=values["SMS_ALIYUN_ACCESS_KEY_ID"],
            access_key_secret=values["SMS_ALIYUN_ACCESS_KEY_SECRET"],
            sign_name=values["SMS_ALIYUN_SIGN_NAME"],
            endpoint=values["SMS_ALIYUN_ENDPOINT"],
            protocol=values["SMS_ALIYUN_PROTOCOL"],
            timeout_ms=int(settings.SMS_GATEWAY_TIMEOUT_MS),
        )
    return TencentSmsProvider(
        secret_id=values["SMS_TENCENT_SECRET_ID"],
        secret_key=values["SMS_TENCENT_SECRET_KEY"],
        sdk_app_id=values["SMS_TENCENT_SDK_APP_ID"],
        sign_name=values["SMS_TENCENT_SIGN_NAME"],
        region=values["SMS_TENCENT_REGION"],
        endpoint=values["SMS_TENCENT_ENDPOINT"],
        protocol=values["SMS_TENCENT_PROTOCOL"],
        timeout_s=max(1, int(settings.SMS_GATEWAY_TIMEOUT_MS) // 1000),
    )


def fallback_order() -> list[str]:
    return [name for name in getattr(settings, "SMS_GATEWAYS", []) if name]


def template_for(kind: str, provider: str) -> str:
    templates: dict[str, Any] = getattr(settings, "SMS_TEMPLATES", {}) or {}
    return str((templates.get(kind) or {}).get(provider) or "")


class GatewaySmsBackend:
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
            if outcome.disposition is Disposition.UNKNOWN:
                # Falling back now could send the message twice (ADR 0056).
                raise SmsOutcomeUnknown(name, f"{provider_label(name)}未应答,结果未知:{outcome.message}".strip())
            if outcome.disposition is Disposition.REJECTED:
                raise SmsRejected(f"{provider_label(name)}拒绝发送:{outcome.code} {outcome.message}".strip())
            failures.append(f"{name}:{outcome.code}")
        if not failures:
            raise RuntimeError("未配置任何短信通道(SMS_GATEWAYS)。")
        raise RuntimeError("所有短信通道均未发送成功:" + ", ".join(failures))
