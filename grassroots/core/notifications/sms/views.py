"""The receipt callbacks the gateways push to:
POST /sms/receipts/<provider>/<token>. Public (the providers have no login)
and CSRF-exempt; authenticated by the secret token in the path (compared in
constant time) and, when configured, by the peer's address. A wrong token is
403, a body that is not the provider's receipt format 400; neither changes
anything. The answer is the acknowledgement each provider expects."""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from grassroots.core.clientip import client_ip

from .receipts import PARSERS, ReceiptMalformed, sms_receipts_apply

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024

ACKNOWLEDGEMENTS = {
    "aliyun": ({"code": 0, "msg": "成功"}, {"code": 1, "msg": "{}"}),
    "tencent": ({"result": 0, "errmsg": "OK"}, {"result": 1, "errmsg": "{}"}),
}


def _refusal(provider: str, message: str, status: int) -> JsonResponse:
    template = ACKNOWLEDGEMENTS[provider][1]
    body = {key: (value.format(message) if isinstance(value, str) else value) for key, value in template.items()}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@login_not_required
@csrf_exempt
@never_cache
@require_POST
def sms_receipt(request: HttpRequest, provider: str, token: str) -> HttpResponse:
    expected = str(settings.SMS_RECEIPT_TOKEN or "")
    if provider not in PARSERS or not expected:
        raise Http404("未启用短信回执。")
    if not hmac.compare_digest(token.encode(), expected.encode()):
        logger.warning("SMS receipt for %s with a wrong token from %s", provider, client_ip(request))
        return _refusal(provider, "回执令牌不正确。", 403)
    allowed = list(settings.SMS_RECEIPT_ALLOWED_IPS or [])
    if allowed and client_ip(request) not in allowed:
        logger.warning("SMS receipt for %s from a peer not allowed: %s", provider, client_ip(request))
        return _refusal(provider, "来源地址不在允许范围内。", 403)
    if len(request.body) > MAX_BODY_BYTES:
        return _refusal(provider, "回执过大。", 400)
    try:
        payload = json.loads(request.body.decode("utf-8"))
        receipts = PARSERS[provider](payload)
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError and ReceiptMalformed are ValueErrors
        message = str(exc) if isinstance(exc, ReceiptMalformed) else "回执不是有效的 JSON。"
        return _refusal(provider, message, 400)
    matched = sms_receipts_apply(provider=provider, receipts=receipts)
    logger.info("SMS receipts from %s: %s received, %s matched", provider, len(receipts), matched)
    return JsonResponse(ACKNOWLEDGEMENTS[provider][0], json_dumps_params={"ensure_ascii": False})
