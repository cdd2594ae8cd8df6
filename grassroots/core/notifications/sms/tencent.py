"""Tencent Cloud SMS (sms 2021-01-11 SendSms) through the official SDK, which
signs with TC3-HMAC-SHA256. A request-level error (signature, credentials,
parameters) is raised by the SDK; a per-number result sits in
`SendStatusSet[].Code`, "Ok" when accepted."""

from __future__ import annotations

import logging

from tencentcloud.common.credential import Credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models
from tencentcloud.sms.v20210111.sms_client import SmsClient

from .providers import Disposition, SendOutcome, transport_outcome

logger = logging.getLogger(__name__)

OK = "Ok"
REJECTED_CODES = frozenset(
    {
        "InvalidParameterValue.IncorrectPhoneNumber",
        "FailedOperation.PhoneNumberInBlacklist",
        "FailedOperation.PhoneNumberParseFail",
        "UnsupportedOperation.UnsupportedRegion",
    }
)
# Everything else (LimitExceeded.PhoneNumberDailyLimit, LimitExceeded.
# PhoneNumberThirtySecondLimit, FailedOperation.TemplateIncorrectOrUnapproved,
# FailedOperation.SignatureIncorrectOrUnapproved, FailedOperation.
# InsufficientBalanceInSmsPackage, AuthFailure.SignatureFailure,
# InternalError.*, a network error...) lets the next provider try.


class TencentSmsProvider:
    name = "tencent"

    def __init__(
        self,
        *,
        secret_id: str,
        secret_key: str,
        sdk_app_id: str,
        sign_name: str,
        region: str = "ap-guangzhou",
        endpoint: str = "sms.tencentcloudapi.com",
        protocol: str = "https",
        timeout_s: int = 10,
    ) -> None:
        self.sign_name = sign_name
        self._sdk_app_id = sdk_app_id
        self._credential = Credential(secret_id, secret_key)
        self._region = region
        http = HttpProfile(protocol=protocol, endpoint=endpoint, reqTimeout=timeout_s)
        self._profile = ClientProfile(signMethod="TC3-HMAC-SHA256", httpProfile=http)

    def send(self, *, phone: str, template_id: str, params: list[tuple[str, str]], out_id: str) -> SendOutcome:
        request = models.SendSmsRequest()
        request.PhoneNumberSet = [f"+86{phone}"]
        request.SmsSdkAppId = self._sdk_app_id
        request.SignName = self.sign_name
        request.TemplateId = template_id
        request.TemplateParamSet = [value for _name, value in params]
        request.SessionContext = out_id
        try:
            response = SmsClient(self._credential, self._region, self._profile).SendSms(request)
        except TencentCloudSDKException as exc:
            code = str(exc.get_code() or "Unknown")
            if code in {"ClientNetworkError", "ServerNetworkError"}:
                logger.warning("Tencent Cloud SMS unreachable: %s", exc.get_message())
            if code == "ClientNetworkError":  # no answer: sent or not? (ADR 0056)
                outcome = transport_outcome(exc)
                return SendOutcome(outcome.disposition, code, str(exc.get_message() or "")[:500])
            return _classify(code, str(exc.get_message() or ""))
        except Exception as exc:  # transport errors the SDK does not wrap
            logger.warning("Tencent Cloud SMS unreachable: %s", exc)
            return transport_outcome(exc)
        statuses = response.SendStatusSet or []
        if not statuses:
            return SendOutcome(Disposition.FALLBACK, "EmptySendStatusSet", "腾讯云未返回发送结果。")
        status = statuses[0]
        code = str(status.Code or "")
        if code == OK:
            return SendOutcome(Disposition.ACCEPTED, code, str(status.Message or ""), str(status.SerialNo or ""))
        return _classify(code or "Unknown", str(status.Message or ""))


def _classify(code: str, message: str) -> SendOutcome:
    disposition = Disposition.REJECTED if code in REJECTED_CODES else Disposition.FALLBACK
    return SendOutcome(disposition, code[:100], message[:500])
