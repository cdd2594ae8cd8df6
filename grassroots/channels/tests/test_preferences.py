"""A resident's channel preference through the official account (ADR 0056):
a "TD"/"退订" reply stops the subscription messages (and the reporter's SMS),
"恢复" brings them back, and a choice made with the matter's phone number is
respected by the WeChat channel too."""

from __future__ import annotations

import pytest

from grassroots.core.models import AuditEntry, ContactPreference
from grassroots.core.notifications.preferences import PREFERENCE_ACTION, contact_preference, contact_preference_set
from grassroots.matters.services import lifecycle
from grassroots.matters.tests.staff_setup import category, seed_categories

from ..models import InboundOutcome, WechatIdentity, WechatInbound, WechatNotice
from ..services.inbound import RESUBSCRIBED_REPLY, UNSUBSCRIBED_REPLY, inbound_handle, preference_word

OPENID = "oReporter0001"


def _say(text: str, msg_id: str) -> str:
    return inbound_handle(
        message={
            "ToUserName": "gh_0123456789ab",
            "FromUserName": OPENID,
            "CreateTime": "1700000300",
            "MsgType": "text",
            "Content": text,
            "MsgId": msg_id,
        }
    )


def _wechat_matter():
    _say("西张村 1号楼楼道灯坏了,晚上看不见", "9100000001")
    inbound = WechatInbound.objects.get(msg_key="msg:9100000001")
    WechatIdentity.objects.filter(pk=inbound.identity_id).update(subscribed=True)
    return inbound.matter


@pytest.mark.parametrize(
    ("text", "choice"),
    [("TD", "none"), ("td", "none"), ("退订", "none"), ("退订。", "none"), ("恢复", "wechat"), ("路灯坏了", None)],
)
def test_the_words_that_set_a_preference(text, choice):
    assert preference_word(text) == choice


def test_td_stops_the_messages_and_restore_brings_them_back(wechat, tree, served):
    seed_categories()
    matter = _wechat_matter()
    assert _say("TD", "9100000002") == UNSUBSCRIBED_REPLY
    assert contact_preference(openid=OPENID) == "none"
    inbound = WechatInbound.objects.get(msg_key="msg:9100000002")
    assert inbound.outcome == InboundOutcome.PREFERENCE and inbound.matter is None
    entry = AuditEntry.objects.get(action=PREFERENCE_ACTION)
    assert entry.detail["source"] == "wechat" and entry.actor_id is None
    # WeChat retries the same message: same reply, no second audit entry.
    assert _say("TD", "9100000002") == UNSUBSCRIBED_REPLY
    assert AuditEntry.objects.filter(action=PREFERENCE_ACTION).count() == 1
    lifecycle.matter_accept(actor=served[0], matter=matter, category=category())
    assert not WechatNotice.objects.exists()

    assert _say("恢复", "9100000003") == RESUBSCRIBED_REPLY
    assert contact_preference(openid=OPENID) == "wechat"
    lifecycle.matter_assign(actor=served[0], matter=matter, assignee=served[0], plan="更换楼道灯。")
    lifecycle.matter_resolve(actor=served[0], matter=matter, result="已更换楼道灯。")
    assert WechatNotice.objects.count() >= 1


def test_a_choice_made_with_the_matters_phone_holds_for_wechat(wechat, tree, served):
    seed_categories()
    matter = _wechat_matter()
    matter.reporter_phone = "13912345678"
    matter.save()
    contact_preference_set(
        actor=None, choice="sms", source=ContactPreference.Source.TRACKING, phone="13912345678", object_label="t"
    )
    lifecycle.matter_accept(actor=served[0], matter=matter, category=category())
    assert not WechatNotice.objects.exists()
