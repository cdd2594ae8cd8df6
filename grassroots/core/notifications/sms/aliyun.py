"""Alibaba Cloud SMS (dysmsapi 2017-05-25 SendSms) through the official SDK,
which signs with ACS3-HMAC-SHA256. Business errors come back as HTTP 200 with
a `Code`; signature and parameter errors as HTTP 4xx, raised by the SDK."""

from __future__ import annotations

import json
import logging

from alibabacloud_dysmsapi20170525.client import Client
from alibabacloud_dysmsapi20170525.models import SendSmsRequest
from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
from alibabacloud_tea_openapi.models import Config
from darabonba.runtime import RuntimeOptions

from .providers import Disposition, SendOutcome, transport_outcome

logger = logging.getLogger(__name__)

OK = "OK"
# The number is refused whatever the gateway: stop.
REJECTED_CODES = frozenset(
    {
        "isv.MOBILE_NUMBER_ILLEGAL",
        "isv.MOBILE_COUNT_OVER_LIMIT",
        "isv.DENY_IP_RANGE",
    }
)
# Everything else (isv.BUSINESS_LIMIT_CONTROL, isv.DAY_LIMIT_CONTROL,
# isv.AMOUNT_NOT_ENOUGH, isv.TEMPLATE_MISSING_PARAMETERS, isv.SMS_TEMPLATE_ILLEGAL,
# isv.SMS_SIGNATURE_ILLEGAL, SignatureDoesNotMatch, isp.SYSTEM_ERROR, a network
# error...) is this provider's trouble: the next provider may send it.


class AliyunSmsProvider:
    name = "aliyun"

    def __init__(
        self,
        *,
        access_key_id: str,
        access_key_secret: str,
        sign_name: str,
        endpoint: str = "dysmsapi.aliyuncs.com",
        protocol: str = "https",
        timeout_ms: int = 10000,
    ) -> None:
        self.sign_name = sign_name
        self._config = Config(
            access_key_id=access_key_id,
            access_key_secret=access_key_secret,
            endpoint=endpoint,
            protocol=protocol.upper(),
            connect_timeout=timeout_ms,
            read_timeout=timeout_ms,
        )

    def send(self, *, phone: str, template_id: str, params: list[tuple[str, str]], out_id: str) -> SendOutcome:
        request = SendSmsRequest(
            phone_numbers=phone,
            sign_name=self.sign_name,
            template_code=template_id,
            template_param=json.dumps(dict(params), ensure_ascii=False),
            out_id=out_id,
        )
        try:
            response = Client(self._config).send_sms_with_options(request, RuntimeOptions(autoretry=False))
        except AlibabaCloudException as exc:
            return _classify(str(exc.code or "Unknown"), str(exc.message or ""))
        except Exception as exc:  # transport: refused, timeout, TLS
            logger.warning("Alibaba Cloud SMS unreachable: %s", exc)
            return transport_outcome(exc)
        body = response.body
        code = str(body.code or "")
        if code == OK:
            return SendOutcome(Disposition.ACCEPTED, code, str(body.message or ""), str(body.biz_id or ""))
        return _classify(code or "Unknown", str(body.message or ""))


def _classify(code: str, message: str) -> SendOutcome:
    disposition = Disposition.REJECTED if code in REJECTED_CODES else Disposition.FALLBACK
    return SendOutcome(disposition, code[:100], message[:500])
