"""The official account's callback over HTTP: URL verification, signature
and timestamp checks, the encrypted safe mode (cross-checked against the
documented algorithm), malformed input, and a resident's message becoming a
matter with its tracking code in the passive reply, exactly once."""

from __future__ import annotations

import time

import pytest
import xmltodict
from django.urls import reverse

from grassroots.matters.models import Channel, Matter
from grassroots.matters.services.intake import format_tracking_code

from ..models import InboundOutcome, WechatIdentity, WechatInbound
from . import crypto_reference as ref
from .conftest import AES_KEY, TOKEN

URL = "/wechat/callback/"
OPENID = "oAbCdEfGhIjKlMnOpQrStUvWxYz0"
ACCOUNT = "gh_0123456789ab"


def signed(timestamp: int | None = None, nonce: str = "1357924680") -> dict[str, str]:
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    return {"timestamp": stamp, "nonce": nonce, "signature": ref.signature(TOKEN, stamp, nonce)}


def text_xml(content: str, msg_id: str = "23456789012345678", openid: str = OPENID) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>"
    )


def post(client, xml: str, params: dict[str, str] | None = None):
    query = "&".join(f"{k}={v}" for k, v in (params or signed()).items())
    return client.post(f"{URL}?{query}", data=xml.encode(), content_type="text/xml")


def reply_of(response) -> dict[str, str]:
    return xmltodict.parse(response.content.decode())["xml"]


def test_url_is_the_reversed_name():
    assert reverse("channels-public:wechat-callback") == URL


@pytest.mark.django_db
def test_without_a_token_the_callback_does_not_exist(client, settings):
    settings.WECHAT_MP_TOKEN = ""
    assert client.get(URL, {**signed(), "echostr": "x"}).status_code == 404


@pytest.mark.django_db
def test_url_verification_echoes_only_a_signed_request(client, callback_settings):
    ok = client.get(URL, {**signed(), "echostr": "5837421964"})
    assert ok.status_code == 200 and ok.content == b"5837421964"
    bad = client.get(URL, {**signed(), "signature": "0" * 40, "echostr": "5837421964"})
    assert bad.status_code == 403 and b"5837421964" not in bad.content
    old = client.get(URL, {**signed(int(time.time()) - 301), "echostr": "1"})
    assert old.status_code == 403
    assert client.get(URL, {"echostr": "1"}).status_code == 403
    assert client.get(URL, {**signed(), "timestamp": "abc"}).status_code == 403


@pytest.mark.django_db
def test_a_message_becomes_a_matter_with_the_code_in_the_reply(client, callback_settings, tree, served):
    response = post(client, text_xml("西张村 2号楼门口路灯坏了一个星期了,晚上很黑"))
    assert response.status_code == 200
    matter = Matter.objects.get()
    assert matter.channel == Channel.WECHAT_MP
    assert matter.node == tree.village_a
    assert matter.reporter_phone == "" and matter.reporter_name == ""
    reply = reply_of(response)
    assert reply["ToUserName"] == OPENID and reply["FromUserName"] == ACCOUNT and reply["MsgType"] == "text"
    assert format_tracking_code(matter.tracking_code) in reply["Content"]
    assert f"/report/track/{matter.tracking_code}/" in reply["Content"]
    inbound = WechatInbound.objects.get()
    assert inbound.matter == matter and inbound.identity.openid == OPENID
    assert inbound.outcome == InboundOutcome.MATTER
    # OpenID is the identity, never on the matter itself.
    assert OPENID not in str(matter.channel_detail)


@pytest.mark.django_db
def test_a_provider_retry_gets_the_same_reply_and_no_second_matter(client, callback_settings, tree, served):
    xml = text_xml("店子社区 垃圾桶满了没人清理,气味很大")
    first = post(client, xml)
    second = post(client, xml, signed(nonce="2468013579"))
    assert first.status_code == second.status_code == 200
    assert Matter.objects.count() == 1 and WechatInbound.objects.count() == 1
    assert reply_of(first)["Content"] == reply_of(second)["Content"]


@pytest.mark.django_db
def test_without_a_place_the_reply_asks_for_it_and_nothing_is_created(client, callback_settings, tree, served):
    response = post(client, text_xml("路灯坏了好几天了,请尽快修理"))
    assert "村或社区" in reply_of(response)["Content"]
    assert not Matter.objects.exists()
    assert WechatInbound.objects.get().outcome == InboundOutcome.NEED_PLACE
    short = post(client, text_xml("西张", msg_id="2"))
    assert "具体" in reply_of(short)["Content"] and not Matter.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        "not xml at all",
        "<xml><MsgType>text</MsgType>",
        "<xml><Content>no sender</Content></xml>",
        "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]>"
        "<xml><FromUserName>&a;</FromUserName><MsgType>text</MsgType></xml>",
        "",
    ],
)
def test_malformed_xml_is_400_never_500(client, callback_settings, body):
    response = post(client, body)
    assert response.status_code == 400
    assert "请求格式错误" in response.content.decode()
    assert not WechatInbound.objects.exists()


@pytest.mark.django_db
def test_a_post_with_a_bad_signature_or_old_timestamp_is_403(client, callback_settings, tree, served):
    xml = text_xml("西张村 路灯坏了一个星期")
    assert post(client, xml, {**signed(), "signature": "f" * 40}).status_code == 403
    assert post(client, xml, signed(int(time.time()) - 3600)).status_code == 403
    assert post(client, xml, signed(int(time.time()) + 3600)).status_code == 403
    assert not Matter.objects.exists()


def _encrypted_request(client, xml: str, *, timestamp: int | None = None, bad_signature: bool = False):
    params = signed(timestamp)
    encrypted = ref.encrypt(xml, encoding_aes_key=AES_KEY, appid="wx1234567890abcdef")
    msg_signature = ref.signature(TOKEN, params["timestamp"], params["nonce"], encrypted)
    if bad_signature:
        msg_signature = "0" * 40
    envelope = f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    query = {**params, "encrypt_type": "aes", "msg_signature": msg_signature, "openid": OPENID}
    return post(client, envelope, query), params


@pytest.mark.django_db
def test_safe_mode_decrypts_and_encrypts_as_documented(client, safe_mode, tree, served):
    response, params = _encrypted_request(client, text_xml("西张村 3号楼楼顶漏水,家里天花板湿了"))
    assert response.status_code == 200
    matter = Matter.objects.get()
    envelope = reply_of(response)
    # The reply is encrypted and signed: checked with the reference implementation.
    assert envelope["TimeStamp"] == params["timestamp"] and envelope["Nonce"] == params["nonce"]
    assert envelope["MsgSignature"] == ref.signature(TOKEN, params["timestamp"], params["nonce"], envelope["Encrypt"])
    xml, appid = ref.decrypt(envelope["Encrypt"], encoding_aes_key=AES_KEY)
    assert appid == "wx1234567890abcdef"
    assert format_tracking_code(matter.tracking_code) in xmltodict.parse(xml)["xml"]["Content"]


@pytest.mark.django_db
def test_safe_mode_refusals(client, safe_mode, tree, served):
    bad, _ = _encrypted_request(client, text_xml("西张村 路灯坏了一个星期"), bad_signature=True)
    assert bad.status_code == 403
    # A plain message is not WeChat's in safe mode.
    assert post(client, text_xml("西张村 路灯坏了一个星期")).status_code == 403
    params = signed()
    garbage = "A" * 40
    query = {
        **params,
        "encrypt_type": "aes",
        "msg_signature": ref.signature(TOKEN, params["timestamp"], params["nonce"], garbage),
    }
    assert post(client, f"<xml><Encrypt>{garbage}</Encrypt></xml>", query).status_code == 400
    assert post(client, "<xml><Encrypt>", {**params, "encrypt_type": "aes"}).status_code == 400
    # Encrypted for another account (AppID check).
    other = ref.encrypt(text_xml("西张村 路灯坏了一个星期"), encoding_aes_key=AES_KEY, appid="wxOTHER")
    query = {
        **params,
        "encrypt_type": "aes",
        "msg_signature": ref.signature(TOKEN, params["timestamp"], params["nonce"], other),
    }
    assert post(client, f"<xml><Encrypt><![CDATA[{other}]]></Encrypt></xml>", query).status_code == 403
    assert not Matter.objects.exists()


@pytest.mark.django_db
def test_events_follow_subscribe_and_the_progress_subscription(client, callback_settings):
    def event(name: str, extra: str = "", at: int = 0) -> str:
        return (
            f"<xml><ToUserName>{ACCOUNT}</ToUserName><FromUserName>{OPENID}</FromUserName>"
            f"<CreateTime>{1700000000 + at}</CreateTime><MsgType>event</MsgType><Event>{name}</Event>{extra}</xml>"
        )

    welcome = post(client, event("subscribe"))
    assert "欢迎关注" in reply_of(welcome)["Content"]
    popup = (
        "<SubscribeMsgPopupEvent><List><TemplateId>TPL_progress_001</TemplateId>"
        "<SubscribeStatusString>accept</SubscribeStatusString><PopupScene>2</PopupScene></List></SubscribeMsgPopupEvent>"
    )
    assert post(client, event("subscribe_msg_popup_event", popup, at=1)).content == b"success"
    identity = WechatIdentity.objects.get()
    assert identity.subscribed and identity.following
    post(client, event("unsubscribe", at=2))
    identity.refresh_from_db()
    assert not identity.following and not identity.subscribed
