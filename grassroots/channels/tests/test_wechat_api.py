"""The official account's outgoing calls against a local server speaking
api.weixin.qq.com's protocol: a notice published as an article (cover →
draft/add → freepublish/submit, the PUBLISHJOBFINISH result recorded), an
expired access token refreshed and the call retried once, a quota error
(45009) retried by the next attempt, subscription messages to a reporter on
accept and resolve, and the menu."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from grassroots.accounts.roles import Role
from grassroots.matters.models import Channel
from grassroots.matters.services import lifecycle
from grassroots.matters.tests.staff_setup import category, new_matter, seed_categories
from grassroots.publicity.services import publication_publish
from grassroots.publicity.tests.staff_helpers import draft_of
from grassroots.testing.factories import UserFactory

from ..models import ChannelPost, Status, Target, WechatIdentity, WechatInbound, WechatNotice
from ..services.delivery import Outcome, notice_deliver, post_deliver
from ..services.inbound import inbound_handle
from ..services.posts import publication_push


@pytest.fixture
def handler(tree):
    return UserFactory(username="wx_handler", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)


@pytest.fixture
def published(tree, handler):
    seed_categories()
    matter = new_matter(tree.grid_a1)
    lifecycle.matter_accept(actor=handler, matter=matter, category=category())
    lifecycle.matter_assign(actor=handler, matter=matter, assignee=handler, plan="厂房按公开招租方式出租。")
    publication = draft_of(handler, matter)
    return publication_publish(actor=handler, publication=publication)


def test_a_notice_is_published_as_an_article(wechat, published, handler, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        [post] = publication_push(actor=handler, publication=published, robot_ids=[], to_account=True)
    assert post_deliver(post_id=post.pk, last_try=False) is Outcome.SENT
    post.refresh_from_db()
    assert post.status == Status.SENT and post.attempts == 1
    assert post.result["media_id"] == "DRAFT_1" and post.result["thumb_media_id"] == "IMG_1"
    draft = wechat.drafts["DRAFT_1"]["articles"][0]
    assert draft["title"].startswith("【理事方案公示】")
    assert f"/notices/{published.pk}/" in draft["content_source_url"]
    assert "租金收入纳入村集体账户" in draft["content"]
    assert wechat.images["IMG_1"].startswith(b"\x89PNG")  # the notice's QR as the cover
    assert [name for name, _ in wechat.calls] == ["material/add_material", "draft/add", "freepublish/submit"]
    # WeChat reports the result later to the callback.
    inbound_handle(
        message={
            "ToUserName": "gh_0123456789ab",
            "FromUserName": "oSystemPublisher",
            "CreateTime": "1700000100",
            "MsgType": "event",
            "Event": "PUBLISHJOBFINISH",
            "PublishEventInfo": {
                "publish_id": post.result["publish_id"],
                "publish_status": "0",
                "article_id": "Xy7",
                "article_detail": {"count": "1", "item": {"idx": "1", "article_url": "https://mp.weixin.qq.com/s/Xy7"}},
            },
        }
    )
    post.refresh_from_db()
    assert post.result["article_url"] == "https://mp.weixin.qq.com/s/Xy7"
    assert post.result["publish_status_label"] == "发布成功"


def test_a_rejected_publication_is_shown_failed(wechat, published, handler, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        [post] = publication_push(actor=handler, publication=published, robot_ids=[], to_account=True)
    post_deliver(post_id=post.pk, last_try=False)
    post.refresh_from_db()
    inbound_handle(
        message={
            "FromUserName": "oSys",
            "CreateTime": "1700000200",
            "MsgType": "event",
            "Event": "PUBLISHJOBFINISH",
            "PublishEventInfo": {"publish_id": post.result["publish_id"], "publish_status": "4"},
        }
    )
    post.refresh_from_db()
    assert post.status == Status.FAILED and "平台审核不通过" in post.last_error


def test_an_expired_token_is_refreshed_and_the_call_retried_once(wechat, published, handler):
    post = ChannelPost.objects.create(publication=published, target=Target.WECHAT_MP, created_by=handler)
    assert post_deliver(post_id=post.pk, last_try=False) is Outcome.SENT
    assert wechat.tokens_issued == 1
    wechat.expire_tokens()
    second = ChannelPost.objects.create(
        publication=draft_of(handler, published.matter), target=Target.WECHAT_MP, created_by=handler
    )
    assert post_deliver(post_id=second.pk, last_try=False) is Outcome.SENT
    assert wechat.tokens_issued == 2
    assert ("material/add_material", "40001") in wechat.calls


def test_a_quota_error_is_retried_where_it_stopped(wechat, published, handler):
    post = ChannelPost.objects.create(publication=published, target=Target.WECHAT_MP, created_by=handler)
    wechat.fail("freepublish/submit", 45009, "reach max api daily quota limit")
    assert post_deliver(post_id=post.pk, last_try=False) is Outcome.RETRY
    post.refresh_from_db()
    assert post.status == Status.PENDING and post.result["errcode"] == 45009
    assert "45009" in post.last_error and post.result["media_id"] == "DRAFT_1"
    assert post_deliver(post_id=post.pk, last_try=False) is Outcome.SENT
    post.refresh_from_db()
    assert post.status == Status.SENT and post.attempts == 2 and post.last_error == ""
    # The cover and the draft were not sent twice.
    assert len(wechat.images) == 1 and len(wechat.drafts) == 1


def test_the_last_failed_attempt_fails_the_post(wechat, published, handler):
    post = ChannelPost.objects.create(publication=published, target=Target.WECHAT_MP, created_by=handler)
    wechat.fail("draft/add", 45009, "reach max api daily quota limit")
    assert post_deliver(post_id=post.pk, last_try=True) is Outcome.FAILED
    post.refresh_from_db()
    assert post.status == Status.FAILED
    assert post_deliver(post_id=post.pk, last_try=False) is Outcome.SKIPPED


def _wechat_reporter(tree, served, *, subscribed: bool):
    inbound_handle(
        message={
            "ToUserName": "gh_0123456789ab",
            "FromUserName": "oReporter0001",
            "CreateTime": "1700000300",
            "MsgType": "text",
            "Content": "西张村 1号楼楼道灯坏了,晚上看不见",
            "MsgId": "9000000001",
        }
    )
    inbound = WechatInbound.objects.get(msg_key="msg:9000000001")
    WechatIdentity.objects.filter(pk=inbound.identity_id).update(subscribed=subscribed)
    assert inbound.matter is not None and inbound.matter.channel == Channel.WECHAT_MP
    return inbound.matter


def test_the_reporter_hears_of_accept_and_resolve(wechat, tree, served, django_capture_on_commit_callbacks):
    seed_categories()
    matter = _wechat_reporter(tree, served, subscribed=True)
    handler = served[0]
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.matter_accept(actor=handler, matter=matter, category=category())
    notices = list(WechatNotice.objects.order_by("pk"))
    assert len(notices) == 1 and notices[0].status == Status.SENT
    sent = [body for name, body in wechat.calls if name == "message/subscribe/bizsend"]
    assert sent[0]["touser"] == "oReporter0001" and sent[0]["template_id"] == "TPL_progress_001"
    assert sent[0]["data"]["character_string2"]["value"] == matter.tracking_code
    assert f"/report/track/{matter.tracking_code}/" in sent[0]["page"]
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.matter_assign(actor=handler, matter=matter, assignee=handler, plan="更换楼道灯。")
        lifecycle.matter_resolve(actor=handler, matter=matter, result="已更换楼道灯。")
    assert WechatNotice.objects.filter(status=Status.SENT).count() >= 2


def test_no_message_without_the_subscription(wechat, tree, served):
    seed_categories()
    matter = _wechat_reporter(tree, served, subscribed=False)
    lifecycle.matter_accept(actor=served[0], matter=matter, category=category())
    assert not WechatNotice.objects.exists()


def test_a_withdrawn_subscription_stops_the_messages(wechat, tree, served):
    seed_categories()
    matter = _wechat_reporter(tree, served, subscribed=True)
    lifecycle.matter_accept(actor=served[0], matter=matter, category=category())
    notice = WechatNotice.objects.get()
    wechat.fail("message/subscribe/bizsend", 43101, "user refuse to accept the msg")
    assert notice_deliver(notice_id=notice.pk, last_try=False) is Outcome.FAILED
    notice.refresh_from_db()
    assert notice.status == Status.FAILED and "43101" in notice.last_error
    assert not WechatIdentity.objects.get().subscribed


def test_the_menu_command_creates_the_menu(db, wechat, settings):
    # The client reads the stored credentials first (ADR 0053): it needs the database.
    settings.PUBLIC_BASE_URL = "https://grassroots.example.gov.cn/"
    call_command("wechat_menu")
    [(_name, body)] = [call for call in wechat.calls if call[0] == "menu/create"]
    assert [b["name"] for b in body["button"]] == ["我要说事", "进度查询", "公示公开"]
    assert body["button"][1]["url"] == "https://grassroots.example.gov.cn/report/track/"


def test_the_menu_command_reports_a_refusal(db, wechat):
    from django.core.management.base import CommandError

    wechat.fail("menu/create", 48001, "api unauthorized")
    with pytest.raises(CommandError, match="48001"):
        call_command("wechat_menu")


def test_a_wrong_secret_is_reported_not_raised_as_500(wechat, published, handler, settings):
    settings.WECHAT_MP_APP_SECRET = "wrong"
    post = ChannelPost.objects.create(publication=published, target=Target.WECHAT_MP, created_by=handler)
    assert post_deliver(post_id=post.pk, last_try=False) is Outcome.RETRY
    post.refresh_from_db()
    assert "40125" in post.last_error
