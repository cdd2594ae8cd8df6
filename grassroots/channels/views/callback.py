"""The official account's message callback (ADR 0051), public and
CSRF-exempt because WeChat's servers call it; everything it accepts is
signed. GET answers the URL verification (signature over token, timestamp
and nonce → echostr). POST checks the signature (plain mode) or the
msg_signature and decrypts the AES "safe mode" envelope with wechatpy's
WeChatCrypto, then hands the message to `services.inbound` and answers the
passive reply (encrypted again in safe mode) or "success".

A bad signature or a timestamp outside the window is 403, a malformed body
400, never 500. A replay inside the window is answered from the stored
reply and creates nothing (the message's MsgId is the key). Without a
configured token the callback does not exist (404)."""

from __future__ import annotations

import time
from typing import Any

import xmltodict
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from grassroots.core.errors import DomainError
from grassroots.core.notifications.credentials import channel_credentials

from ..services.inbound import inbound_handle

MAX_BODY = 64 * 1024


def _text(body: str, status: int) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


def _forbidden(why: str) -> HttpResponse:
    return _text(f"签名校验失败:{why}", 403)


def _bad(why: str) -> HttpResponse:
    return _text(f"请求格式错误:{why}", 400)


def _parse(xml: str) -> dict[str, Any] | None:
    try:
        parsed = xmltodict.parse(xml, disable_entities=True)
    except Exception:  # expat errors, entity refusals: all malformed input
        return None
    message = parsed.get("xml") if isinstance(parsed, dict) else None
    if not isinstance(message, dict) or not message.get("MsgType") or not message.get("FromUserName"):
        return None
    return dict(message)


@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def wechat_callback(request: HttpRequest) -> HttpResponse:
    # Stored on 渠道配置 first, else the settings (ADR 0053).
    stored = channel_credentials("wechat_mp")
    token = stored["WECHAT_MP_TOKEN"]
    if not token:
        raise Http404()
    signature = request.GET.get("signature", "")
    timestamp = request.GET.get("timestamp", "")
    nonce = request.GET.get("nonce", "")
    if not timestamp.isdigit() or len(timestamp) > 12 or not nonce or len(nonce) > 64:
        return _forbidden("缺少时间戳或随机数")
    if abs(time.time() - int(timestamp)) > int(settings.WECHAT_CALLBACK_MAX_SKEW):
        return _forbidden("时间戳超出允许范围")
    try:
        check_signature(token, signature, timestamp, nonce)
    except InvalidSignatureException:
        return _forbidden("signature 不正确")
    if request.method == "GET":
        return _text(request.GET.get("echostr", ""), 200)

    if len(request.body) > MAX_BODY:
        return _bad("消息过大")
    try:
        body = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return _bad("不是 UTF-8 文本")
    aes_key = stored["WECHAT_MP_AES_KEY"]
    encrypted = request.GET.get("encrypt_type", "raw") == "aes"
    crypto = None
    if aes_key:
        if not encrypted:
            # Safe mode: WeChat encrypts every message; a plain one is not WeChat's.
            return _forbidden("安全模式下消息必须加密")
        crypto = WeChatCrypto(token, aes_key, stored["WECHAT_MP_APP_ID"])
        if _parse_envelope(body) is None:
            return _bad("XML 无法解析")
        try:
            body = crypto.decrypt_message(body, request.GET.get("msg_signature", ""), timestamp, nonce)
        except (InvalidSignatureException, InvalidAppIdException):
            return _forbidden("msg_signature 或 AppID 不正确")
        except Exception:  # base64, padding, truncated plaintext: malformed
            return _bad("密文无法解密")
    elif encrypted:
        return _bad("本平台未配置消息加解密密钥")
    message = _parse(body)
    if message is None:
        return _bad("XML 无法解析或缺少必需字段")
    try:
        reply_text = inbound_handle(message=message)
    except DomainError as exc:
        return _bad(exc.message)
    if not reply_text:
        return _text("success", 200)
    reply = TextReply(source=message.get("ToUserName", ""), target=message["FromUserName"], content=reply_text)
    xml = reply.render()
    if crypto is not None:
        xml = crypto.encrypt_message(xml, nonce, timestamp)
    return HttpResponse(xml, content_type="application/xml; charset=utf-8")


def _parse_envelope(body: str) -> dict[str, Any] | None:
    try:
        parsed = xmltodict.parse(body, disable_entities=True)
    except Exception:
        return None
    envelope = parsed.get("xml") if isinstance(parsed, dict) else None
    if not isinstance(envelope, dict) or not isinstance(envelope.get("Encrypt"), str):
        return None
    return envelope
