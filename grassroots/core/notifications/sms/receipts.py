"""Delivery receipts pushed by the gateways, applied to the outbox row that
the gateway accepted (matched by provider and message id: Alibaba Cloud's
`biz_id`, Tencent Cloud's `sid`, i.e. the SerialNo SendSms returned).
Applying a receipt twice changes nothing more: a provider may push again."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from grassroots.core.models import Notification

# Both providers write their report times in China Standard Time.
_CST = ZoneInfo("Asia/Shanghai")
MAX_RECEIPTS_PER_PUSH = 1000


class ReceiptMalformed(ValueError):
    """The push is not the provider's receipt format."""


@dataclass(frozen=True)
class Receipt:
    message_id: str
    delivered: bool
    code: str
    reported_at: datetime.datetime | None
    # Our own id sent as the provider's OutId (Alibaba Cloud echoes it back).
    out_id: str = ""


def _time(value: Any) -> datetime.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return parsed.replace(tzinfo=_CST)


def _items(payload: Any) -> list[dict[str, Any]]:
    if not isinstance(payload, list) or not payload or len(payload) > MAX_RECEIPTS_PER_PUSH:
        raise ReceiptMalformed("回执应为非空的 JSON 数组。")
    if not all(isinstance(item, dict) for item in payload):
        raise ReceiptMalformed("回执数组的每一项都应为 JSON 对象。")
    return payload


def _text(item: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = item.get(key)
    if value is None or isinstance(value, (dict, list)):
        if required:
            raise ReceiptMalformed(f"回执缺少字段 {key}。")
        return ""
    text = str(value).strip()
    if required and not text:
        raise ReceiptMalformed(f"回执缺少字段 {key}。")
    return text


def parse_aliyun(payload: Any) -> list[Receipt]:
    """Alibaba Cloud's SmsReport batch push: [{"phone_number", "send_time",
    "report_time", "success", "err_code", "err_msg", "sms_size", "biz_id",
    "out_id"}, ...]."""
    receipts = []
    for item in _items(payload):
        success = item.get("success")
        if not isinstance(success, bool):
            raise ReceiptMalformed("回执字段 success 应为 true 或 false。")
        receipts.append(
            Receipt(
                message_id=_text(item, "biz_id", required=True)[:100],
                delivered=success,
                code=_text(item, "err_code")[:64],
                reported_at=_time(item.get("report_time")),
                out_id=_text(item, "out_id")[:32],
            )
        )
    return receipts


def parse_tencent(payload: Any) -> list[Receipt]:
    """Tencent Cloud's status report push: [{"user_receive_time",
    "nationcode", "mobile", "report_status": "SUCCESS"|"FAIL", "errmsg",
    "description", "sid"}, ...]."""
    receipts = []
    for item in _items(payload):
        status = _text(item, "report_status", required=True)
        if status not in {"SUCCESS", "FAIL"}:
            raise ReceiptMalformed("回执字段 report_status 应为 SUCCESS 或 FAIL。")
        receipts.append(
            Receipt(
                message_id=_text(item, "sid", required=True)[:100],
                delivered=status == "SUCCESS",
                code=_text(item, "errmsg")[:64],
                reported_at=_time(item.get("user_receive_time")),
            )
        )
    return receipts


PARSERS = {"aliyun": parse_aliyun, "tencent": parse_tencent}


def sms_receipts_apply(*, provider: str, receipts: list[Receipt]) -> int:
    """Write each receipt on its outbox row. Returns how many rows matched;
    a receipt for a message this installation never sent is ignored."""
    matched = 0
    now = timezone.now()
    for receipt in receipts:
        status = Notification.Receipt.DELIVERED if receipt.delivered else Notification.Receipt.UNDELIVERED
        fields = {"receipt_status": status, "receipt_code": receipt.code, "receipt_at": receipt.reported_at or now}
        found = Notification.objects.filter(
            channel=Notification.Channel.SMS, provider=provider, provider_message_id=receipt.message_id
        ).update(updated_at=now, **fields)
        if not found and receipt.out_id.isdigit():
            # A row held after the gateway gave no answer (ADR 0056): the
            # receipt, found by our OutId, proves it was sent: settle it.
            found = Notification.objects.filter(
                pk=int(receipt.out_id),
                channel=Notification.Channel.SMS,
                provider=provider,
                status=Notification.Status.PENDING,
                hold_until__isnull=False,
            ).update(
                status=Notification.Status.SENT,
                sent_at=now,
                hold_until=None,
                last_error="",
                provider_message_id=receipt.message_id,
                updated_at=now,
                **fields,
            )
        matched += found
    return matched
