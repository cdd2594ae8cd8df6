"""Channel credentials (渠道配置, ADR 0053). Each outbound channel declares
its fields; a field's value is the one the security administrator stored
(`ChannelCredential`, encrypted) or, when none is stored, the setting of the
same name. Secret fields are write-only: nothing here returns a stored secret
to a page, only whether it is set and when. Setting or rotating a field is
audited with who and which field, never the value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from grassroots.core.audit import Action, audit_record
from grassroots.core.errors import DomainError
from grassroots.core.models import ChannelCredential

if TYPE_CHECKING:
    import datetime


@dataclass(frozen=True)
class CredentialField:
    name: str  # the setting it overrides, e.g. SMS_ALIYUN_ACCESS_KEY_SECRET
    label: str
    secret: bool


@dataclass(frozen=True)
class ChannelSpec:
    key: str
    label: str
    fields: tuple[CredentialField, ...]


CHANNELS: tuple[ChannelSpec, ...] = (
    ChannelSpec(
        "sms.aliyun",
        "阿里云短信",
        (
            CredentialField("SMS_ALIYUN_ACCESS_KEY_ID", "AccessKey ID", secret=False),
            CredentialField("SMS_ALIYUN_ACCESS_KEY_SECRET", "AccessKey Secret", secret=True),
            CredentialField("SMS_ALIYUN_SIGN_NAME", "短信签名", secret=False),
            CredentialField("SMS_ALIYUN_ENDPOINT", "接入地址", secret=False),
        ),
    ),
    ChannelSpec(
        "sms.tencent",
        "腾讯云短信",
        (
            CredentialField("SMS_TENCENT_SECRET_ID", "SecretId", secret=False),
            CredentialField("SMS_TENCENT_SECRET_KEY", "SecretKey", secret=True),
            CredentialField("SMS_TENCENT_SDK_APP_ID", "SDK AppID", secret=False),
            CredentialField("SMS_TENCENT_SIGN_NAME", "短信签名", secret=False),
            CredentialField("SMS_TENCENT_ENDPOINT", "接入地址", secret=False),
        ),
    ),
    ChannelSpec(
        "wechat_mp",
        "微信公众号",
        (
            CredentialField("WECHAT_MP_APP_ID", "AppID", secret=False),
            CredentialField("WECHAT_MP_APP_SECRET", "AppSecret", secret=True),
            CredentialField("WECHAT_MP_TOKEN", "消息校验 Token", secret=True),
            CredentialField("WECHAT_MP_AES_KEY", "消息加解密密钥 EncodingAESKey", secret=True),
        ),
    ),
)
CHANNEL_BY_KEY = {spec.key: spec for spec in CHANNELS}

# Audit actions of 渠道配置, with their labels on the audit log page.
CREDENTIAL_ACTION = "channel.credential"
TEST_SMS_ACTION = "channel.test_sms"
Action.LABELS.update({CREDENTIAL_ACTION: _("设置渠道凭据"), TEST_SMS_ACTION: _("发送渠道测试短信")})
MAX_VALUE_LENGTH = 500


def _invalid(message: str) -> DomainError:
    return DomainError("credential_invalid", message)


def channel_credentials(channel: str) -> dict[str, str]:
    """Every field of `channel`: the stored value, else the setting (one query)."""
    spec = CHANNEL_BY_KEY[channel]
    stored = dict(ChannelCredential.objects.filter(channel=channel).values_list("field", "value"))
    return {f.name: str(stored.get(f.name) or getattr(settings, f.name, "") or "") for f in spec.fields}


def credential(channel: str, name: str) -> str:
    return channel_credentials(channel)[name]


@dataclass(frozen=True)
class FieldStatus:
    name: str
    label: str
    secret: bool
    source: str  # "stored", "settings" or ""
    shown: str  # non-secret fields only; "" for secrets
    updated_at: datetime.datetime | None
    updated_by: str


def credential_status() -> list[tuple[ChannelSpec, list[FieldStatus]]]:
    """What 渠道配置 shows: non-secret values, and for secret fields only
    whether they are set and when (one query)."""
    rows = {(row.channel, row.field): row for row in ChannelCredential.objects.select_related("updated_by")}
    result = []
    for spec in CHANNELS:
        statuses = []
        for f in spec.fields:
            row = rows.get((spec.key, f.name))
            fallback = str(getattr(settings, f.name, "") or "")
            value = row.value if row is not None else fallback
            source = "stored" if row is not None else ("settings" if fallback else "")
            statuses.append(
                FieldStatus(
                    name=f.name,
                    label=f.label,
                    secret=f.secret,
                    source=source,
                    shown="" if f.secret else value,
                    updated_at=row.updated_at if row is not None else None,
                    updated_by=(row.updated_by.get_username() if row is not None and row.updated_by else ""),
                )
            )
        result.append((spec, statuses))
    return result


def credentials_update(*, actor: Any, channel: str, values: dict[str, str]) -> list[str]:
    """Store the fields given (a blank secret is left unchanged; a blank
    non-secret field is cleared back to the setting). Each changed field is
    audited: who, which channel and field, set or rotated, never the value.
    Returns the names of the fields changed."""
    spec = CHANNEL_BY_KEY.get(channel)
    if spec is None:
        raise _invalid("未知的渠道。")
    known = {f.name: f for f in spec.fields}
    unknown = set(values) - set(known)
    if unknown:
        raise _invalid("未知的配置项:" + "、".join(sorted(unknown)))
    changed: list[str] = []
    with transaction.atomic():
        stored = {row.field: row for row in ChannelCredential.objects.select_for_update().filter(channel=channel)}
        for name, raw in values.items():
            value = raw.strip()
            if len(value) > MAX_VALUE_LENGTH or any(ord(ch) < 32 for ch in value):
                raise _invalid(f"{known[name].label}的值无效(不超过 {MAX_VALUE_LENGTH} 个字符,不含控制字符)。")
            row = stored.get(name)
            if not value:
                if known[name].secret or row is None:
                    continue
                row.delete()
                verb = "cleared"
            elif row is None:
                ChannelCredential.objects.create(channel=channel, field=name, value=value, updated_by=actor)
                verb = "set"
            elif row.value == value:
                continue
            else:
                row.value, row.updated_by = value, actor
                row.save(update_fields=["value", "updated_by", "updated_at"])
                verb = "rotated"
            changed.append(name)
            audit_record(
                action=CREDENTIAL_ACTION,
                actor=actor,
                object_type="core.channelcredential",
                object_id=f"{channel}.{name}"[:64],
                detail={"channel": channel, "field": name, "change": verb, "secret": known[name].secret},
            )
    return changed
