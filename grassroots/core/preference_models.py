"""Residents' channel preferences (ADR 0056), re-exported by `core.models`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactPreference(models.Model):
    """A resident's choice of channel for messages about their matters and
    services (短信 / 微信 / 不接收, ADR 0056), keyed by what the outbox knows
    of them: a phone number (as an HMAC blind index, never the number) or a
    WeChat OpenID. No row means today's behaviour: every channel that can
    reach them. Read and written through `core.notifications.preferences`."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("手机号")
        WECHAT = "wechat", _("微信公众号")

    class Choice(models.TextChoices):
        SMS = "sms", _("短信")
        WECHAT = "wechat", _("微信")
        NONE = "none", _("不接收")

    class Source(models.TextChoices):
        TRACKING = "tracking", _("居民在查询页设置")
        WECHAT = "wechat", _("居民在公众号回复")
        STAFF = "staff", _("工作人员代为登记")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    key = models.CharField(_("标识"), max_length=64)
    choice = models.CharField(_("接收方式"), max_length=10, choices=Choice.choices)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("居民接收方式")
        verbose_name_plural = _("居民接收方式")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="contact_preference_unique"),
            models.CheckConstraint(
                condition=models.Q(choice__in=["sms", "wechat", "none"]), name="contact_preference_choice_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.choice}"
