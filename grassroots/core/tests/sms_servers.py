"""Local HTTP servers that speak the SMS providers' protocols, for the gateway
tests (ADR 0052). Each verifies the request signature with the documented
algorithm and the test secret (Alibaba Cloud ACS3-HMAC-SHA256, Tencent Cloud
TC3-HMAC-SHA256), checks the action, signature name, template and its
parameters, and answers with the provider's response shapes and error codes.
Each remembers what it accepted and can write the delivery-receipt push the
provider would send for it. Nothing of our own code is mocked."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, quote, urlsplit

MOBILE = re.compile(r"1[3-9]\d{9}")


@dataclass
class Sent:
    phone: str
    template: str
    params: Any
    sign_name: str
    message_id: str
    out_id: str


@dataclass
class ProviderState:
    key_id: str
    secret: str
    sign_names: set[str]
    templates: dict[str, list[str]]  # template id -> parameter names (Aliyun) / count (Tencent: len)
    # phone -> error code the provider answers for it (limits, blacklist...)
    phone_errors: dict[str, str] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)
    requests: int = 0
    bad_signatures: int = 0
    # Accept the message, then answer only after this many seconds (a
    # gateway that took it and whose answer is lost to a client timeout).
    stall_seconds: float = 0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: ProviderState


class _LocalServer:
    handler: type[BaseHTTPRequestHandler]

    def __init__(self, state: ProviderState) -> None:
        self.state = state
        self._server = _Server(("127.0.0.1", 0), self.handler)
        self._server.state = state
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{host!s}:{port}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    content_type = "application/json;charset=utf-8"  # Alibaba Cloud's

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def _reply(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))


# --- Alibaba Cloud ---------------------------------------------------------------------


def _acs_encode(value: str) -> str:
    # RFC 3986 percent-encoding, as the V3 signature document specifies.
    return quote(value, safe="-_.~")


def acs3_signature(
    *,
    method: str,
    path: str,
    query: dict[str, str],
    headers: dict[str, str],
    signed: list[str],
    payload_hash: str,
    secret: str,
) -> str:
    """The documented ACS3-HMAC-SHA256 signature (阿里云 V3 请求签名)."""
    canonical_query = "&".join(f"{_acs_encode(k)}={_acs_encode(v)}" for k, v in sorted(query.items()))
    canonical_headers = "".join(f"{name}:{headers[name].strip()}\n" for name in signed)
    canonical_request = "\n".join([method, path, canonical_query, canonical_headers, ";".join(signed), payload_hash])
    string_to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical_request.encode()).hexdigest()
    return hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()


class _AliyunHandler(_Handler):
    def do_POST(self) -> None:
        state = self.server.state
        state.requests += 1
        request_id = str(uuid.uuid4()).upper()
        body = self._body()
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        headers = {name.lower(): value for name, value in self.headers.items()}
        auth = headers.get("authorization", "")
        match = re.fullmatch(r"ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)", auth)
        if match is None:
            return self._reply(
                400,
                {
                    "Code": "IncompleteSignature",
                    "Message": "The request signature does not conform to Aliyun standards.",
                    "RequestId": request_id,
                },
            )
        key_id, signed_headers, signature = match.groups()
        if key_id != state.key_id:
            return self._reply(
                404,
                {
                    "Code": "InvalidAccessKeyId.NotFound",
                    "Message": "Specified access key is not found.",
                    "RequestId": request_id,
                },
            )
        signed = signed_headers.split(";")
        payload_hash = hashlib.sha256(body).hexdigest()
        if headers.get("x-acs-content-sha256") != payload_hash or not {"host", "x-acs-action", "x-acs-date"} <= set(
            signed
        ):
            return self._reply(
                400,
                {
                    "Code": "IncompleteSignature",
                    "Message": "The request signature does not conform to Aliyun standards.",
                    "RequestId": request_id,
                },
            )
        expected = acs3_signature(
            method="POST",
            path=parts.path or "/",
            query=query,
            headers=headers,
            signed=signed,
            payload_hash=payload_hash,
            secret=state.secret,
        )
        if not hmac.compare_digest(expected, signature):
            state.bad_signatures += 1
            return self._reply(
                400,
                {
                    "Code": "SignatureDoesNotMatch",
                    "Message": "Specified signature is not matched with our calculation.",
                    "RequestId": request_id,
                },
            )
        if headers.get("x-acs-action") != "SendSms" or headers.get("x-acs-version") != "2017-05-25":
            return self._reply(
                400,
                {"Code": "InvalidAction.NotFound", "Message": "Specified api is not found.", "RequestId": request_id},
            )
        self._send_sms(query, request_id)

    def _send_sms(self, query: dict[str, str], request_id: str) -> None:
        state = self.server.state
        phone = query.get("PhoneNumbers", "")
        template = query.get("TemplateCode", "")
        sign_name = query.get("SignName", "")

        def business(code: str, message: str) -> None:
            self._reply(200, {"Code": code, "Message": message, "RequestId": request_id})

        if not phone or not template or not sign_name:
            return self._reply(
                400,
                {"Code": "MissingParameter", "Message": "A required parameter is missing.", "RequestId": request_id},
            )
        if not MOBILE.fullmatch(phone):
            return business("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
        if sign_name not in state.sign_names:
            return business("isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名")
        if template not in state.templates:
            return business("isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板")
        try:
            params = json.loads(query.get("TemplateParam") or "{}")
        except ValueError:
            return business("isv.INVALID_JSON_PARAM", "JSON参数不合法,只接受字符串值")
        if not isinstance(params, dict) or any(not isinstance(v, str) for v in params.values()):
            return business("isv.INVALID_JSON_PARAM", "JSON参数不合法,只接受字符串值")
        if set(state.templates[template]) - set(params):
            return business("isv.TEMPLATE_MISSING_PARAMETERS", "模板变量缺少对应参数值")
        if phone in state.phone_errors:
            code = state.phone_errors[phone]
            return business(
                code,
                {"isv.BUSINESS_LIMIT_CONTROL": "触发号码天级流控", "isv.AMOUNT_NOT_ENOUGH": "账户余额不足"}.get(
                    code, code
                ),
            )
        biz_id = f"{int(time.time() * 1000) % 10**12}^{len(state.sent)}"
        state.sent.append(Sent(phone, template, params, sign_name, biz_id, query.get("OutId", "")))
        if state.stall_seconds:
            time.sleep(state.stall_seconds)
        self._reply(200, {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": request_id})


class AliyunSmsServer(_LocalServer):
    handler = _AliyunHandler

    def receipt_push(self, *, success: bool = True, err_code: str = "DELIVERED") -> list[dict[str, Any]]:
        """The SmsReport batch push Alibaba Cloud sends for what it accepted."""
        now = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=8)
        return [
            {
                "phone_number": sent.phone,
                "send_time": f"{now:%Y-%m-%d %H:%M:%S}",
                "report_time": f"{now:%Y-%m-%d %H:%M:%S}",
                "success": success,
                "err_code": err_code,
                "err_msg": "用户接收成功" if success else "失败",
                "sms_size": "1",
                "biz_id": sent.message_id,
                "out_id": sent.out_id,
            }
            for sent in self.state.sent
        ]


# --- Tencent Cloud ---------------------------------------------------------------------


def tc3_signature(*, secret_key: str, date: str, service: str, timestamp: str, canonical_request: str) -> str:
    """The documented TC3-HMAC-SHA256 signature (腾讯云 API 签名 v3)."""

    def sign(key: bytes, msg: str) -> bytes:
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    scope = f"{date}/{service}/tc3_request"
    string_to_sign = "\n".join(
        ["TC3-HMAC-SHA256", timestamp, scope, hashlib.sha256(canonical_request.encode()).hexdigest()]
    )
    key = sign(sign(sign(("TC3" + secret_key).encode(), date), service), "tc3_request")
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


class _TencentHandler(_Handler):
    content_type = "application/json"  # Tencent Cloud's, which its SDK checks before reading an error

    def _error(self, code: str, message: str, request_id: str) -> None:
        self._reply(200, {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": request_id}})

    def do_POST(self) -> None:
        state = self.server.state
        state.requests += 1
        request_id = str(uuid.uuid4())
        body = self._body()
        headers = {name.lower(): value for name, value in self.headers.items()}
        auth = headers.get("authorization", "")
        match = re.fullmatch(
            r"TC3-HMAC-SHA256 Credential=([^/]+)/(\d{4}-\d{2}-\d{2})/([a-z]+)/tc3_request, "
            r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})",
            auth,
        )
        if match is None:
            return self._error(
                "AuthFailure.SignatureFailure", "请求签名验证失败,请检查您的签名计算是否正确。", request_id
            )
        secret_id, date, service, signed_headers, signature = match.groups()
        if secret_id != state.key_id:
            return self._error("AuthFailure.SecretIdNotFound", "密钥不存在。", request_id)
        timestamp = headers.get("x-tc-timestamp", "")
        if not timestamp.isdigit() or abs(int(timestamp) - time.time()) > 300:
            return self._error("AuthFailure.SignatureExpire", "签名过期。", request_id)
        utc_date = datetime.datetime.fromtimestamp(int(timestamp), datetime.UTC).strftime("%Y-%m-%d")
        signed = signed_headers.split(";")
        canonical_headers = "".join(f"{name}:{headers.get(name, '').strip().lower()}\n" for name in signed)
        canonical_request = "\n".join(
            [
                "POST",
                urlsplit(self.path).path or "/",
                "",
                canonical_headers,
                signed_headers,
                hashlib.sha256(body).hexdigest(),
            ]
        )
        expected = tc3_signature(
            secret_key=state.secret,
            date=date,
            service=service,
            timestamp=timestamp,
            canonical_request=canonical_request,
        )
        if service != "sms" or date != utc_date or "host" not in signed or not hmac.compare_digest(expected, signature):
            state.bad_signatures += 1
            return self._error(
                "AuthFailure.SignatureFailure", "请求签名验证失败,请检查您的签名计算是否正确。", request_id
            )
        if headers.get("x-tc-action") != "SendSms" or headers.get("x-tc-version") != "2021-01-11":
            return self._error("InvalidAction", "接口不存在。", request_id)
        try:
            params = json.loads(body or b"{}")
        except ValueError:
            return self._error("InvalidParameter", "请求参数不是有效的 JSON。", request_id)
        self._send_sms(params, request_id)

    def _send_sms(self, params: dict[str, Any], request_id: str) -> None:
        state = self.server.state
        template = str(params.get("TemplateId") or "")
        if not params.get("SmsSdkAppId") or not params.get("PhoneNumberSet"):
            return self._error("MissingParameter", "缺少必要参数。", request_id)
        if params.get("SignName") not in state.sign_names:
            return self._error("FailedOperation.SignatureIncorrectOrUnapproved", "签名未审批或格式错误。", request_id)
        if template not in state.templates:
            return self._error("FailedOperation.TemplateIncorrectOrUnapproved", "模板未审批或内容不合法。", request_id)
        values = params.get("TemplateParamSet") or []
        if len(values) != len(state.templates[template]):
            return self._error(
                "InvalidParameterValue.TemplateParameterFormatError", "验证码模板参数格式错误。", request_id
            )
        statuses = []
        for number in params["PhoneNumberSet"]:
            phone = str(number).removeprefix("+86")
            if not MOBILE.fullmatch(phone):
                code, message = "InvalidParameterValue.IncorrectPhoneNumber", "手机号格式错误。"
            elif phone in state.phone_errors:
                code = state.phone_errors[phone]
                message = {"LimitExceeded.PhoneNumberDailyLimit": "单个手机号日下发短信条数超过设定的上限"}.get(
                    code, code
                )
            else:
                serial = f"2645:{uuid.uuid4().int % 10**18}"
                state.sent.append(
                    Sent(
                        phone,
                        template,
                        list(values),
                        str(params["SignName"]),
                        serial,
                        str(params.get("SessionContext") or ""),
                    )
                )
                statuses.append(
                    {
                        "SerialNo": serial,
                        "PhoneNumber": str(number),
                        "Fee": 1,
                        "SessionContext": params.get("SessionContext") or "",
                        "Code": "Ok",
                        "Message": "send success",
                        "IsoCode": "CN",
                    }
                )
                continue
            statuses.append(
                {
                    "SerialNo": "",
                    "PhoneNumber": str(number),
                    "Fee": 0,
                    "SessionContext": "",
                    "Code": code,
                    "Message": message,
                    "IsoCode": "CN",
                }
            )
        self._reply(200, {"Response": {"SendStatusSet": statuses, "RequestId": request_id}})


class TencentSmsServer(_LocalServer):
    handler = _TencentHandler

    def receipt_push(self, *, success: bool = True) -> list[dict[str, Any]]:
        """The status report push Tencent Cloud sends for what it accepted."""
        now = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=8)
        return [
            {
                "user_receive_time": f"{now:%Y-%m-%d %H:%M:%S}",
                "nationcode": "86",
                "mobile": sent.phone,
                "report_status": "SUCCESS" if success else "FAIL",
                "errmsg": "DELIVRD" if success else "UNDELIV",
                "description": "用户短信送达成功" if success else "用户短信未送达",
                "sid": sent.message_id,
            }
            for sent in self.state.sent
        ]
