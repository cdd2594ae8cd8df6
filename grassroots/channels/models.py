"""Reaching residents where they are (ADR 0051): the WeChat official account
(公众号) and the WeCom (企业微信) robots of the community's resident groups.

- `WechatIdentity`: a resident known by the OpenID the official account sees
  (an app-scoped pseudonym, never a phone) and whether they agreed to the
  progress subscription message.
- `WechatInbound`: each message the account received, keyed by WeChat's
  MsgId so that a provider retry never creates a second matter.
- `WechatNotice`: a subscription message queued for a resident (accepted,
  resolved, deadline changed), delivered by Celery with backoff.
- `WecomRobot`: a village's resident group and its robot's webhook key
  (SM4-encrypted, shown masked).
- `ChannelPost`: one publication pushed to one group robot or to the
  official account as an article, with its attempts and the provider's
  answer, shown on the publication's push page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.fields import EncryptedTextField
from grassroots.core.models import PathScoped
from grassroots.regions.models import Node

from .states import State

# Delivery states (states.py).
Status = State


class WechatIdentity(models.Model):
    openid = models.CharField(_("OpenID"), max_length=64, unique=True)
    following = models.BooleanField(_("关注中"), default=True)
    # The resident accepted the progress subscription template (subscribe_msg_popup_event).
    subscribed = models.BooleanField(_("订阅办理进度"), default=False)
    subscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公众号用户")
        verbose_name_plural = _("公众号用户")

    def __str__(self) -> str:
        return f"wechat:{self.pk}"


class InboundOutcome(models.TextChoices):
    MATTER = "matter", _("已登记为事项")
    NEED_PLACE = "need_place", _("未写明村/社区")
    TOO_SHORT = "too_short", _("内容过短")
    EVENT = "event", _("事件")
    PREFERENCE = "preference", _("设置接收方式")
    OTHER = "other", _("其他消息")


class WechatInbound(models.Model):
    # MsgId for messages; "<openid>:<CreateTime>:<Event>" for events (WeChat's own dedupe rule).
    msg_key = models.CharField(max_length=128, unique=True)
    identity = models.ForeignKey(WechatIdentity, on_delete=models.PROTECT, related_name="inbound")
    msg_type = models.CharField(max_length=32)
    text = models.TextField(blank=True, max_length=5000)
    outcome = models.CharField(max_length=12, choices=InboundOutcome.choices)
    matter = models.OneToOneField(
        "matters.Matter", null=True, blank=True, on_delete=models.PROTECT, related_name="wechat_inbound"
    )
    reply = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("公众号来信")
        verbose_name_plural = _("公众号来信")

    def __str__(self) -> str:
        return self.msg_key


class WechatNotice(models.Model):
    """A subscription message (订阅通知) to one resident about one matter event."""

    identity = models.ForeignKey(WechatIdentity, on_delete=models.PROTECT, related_name="notices")
    matter = models.ForeignKey("matters.Matter", on_delete=models.PROTECT, related_name="wechat_notices")
    subject = models.CharField(max_length=100)
    body = models.CharField(max_length=500)
    link = models.CharField(max_length=500, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The start of the attempt in progress (a lease: a dead worker's claim expires).
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("公众号订阅通知")
        verbose_name_plural = _("公众号订阅通知")

    def __str__(self) -> str:
        return self.dedupe_key


class WecomRobot(PathScoped):
    """A resident group (社区微信群) of a village with its WeCom robot."""

    path_from = "node"

    node = models.ForeignKey(Node, verbose_name=_("所属村/社区"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("群名称"), max_length=50)
    webhook_key = EncryptedTextField(_("机器人 Webhook 密钥"))
    key_tail = models.CharField(max_length=4)
    active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path", "name", "id"]
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")
        constraints = [
            models.UniqueConstraint(
                fields=["node", "name"], condition=models.Q(active=True), name="channels_robot_active_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_key(self) -> str:
        return f"****{self.key_tail}"


class Target(models.TextChoices):
    WECOM = "wecom", _("企业微信群机器人")
    WECHAT_MP = "wechat_mp", _("微信公众号图文")


class ChannelPost(PathScoped):
    path_from = "publication"

    publication = models.ForeignKey("publicity.Publication", on_delete=models.PROTECT, related_name="channel_posts")
    target = models.CharField(_("渠道"), max_length=10, choices=Target.choices)
    robot = models.ForeignKey(WecomRobot, null=True, blank=True, on_delete=models.PROTECT, related_name="posts")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    # What the provider answered: errcode, media_id, publish_id, article_url, the parts already posted.
    result = models.JSONField(default=dict, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("公示推送")
        verbose_name_plural = _("公示推送")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target="wecom", robot__isnull=False)
                | models.Q(target="wechat_mp", robot__isnull=True),
                name="channels_post_target_robot",
            ),
            models.UniqueConstraint(fields=["publication", "robot"], name="channels_post_once_per_robot"),
            models.UniqueConstraint(
                fields=["publication"], condition=models.Q(target="wechat_mp"), name="channels_post_once_to_mp"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} → {self.robot_id or 'mp'}"
