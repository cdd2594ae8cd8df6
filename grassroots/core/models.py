"""Models shared by every app: the holiday calendar, the audit chain and the
notification outbox. The bigram search index lives in `search_models.py`."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import EncryptedTextField
from .preference_models import ContactPreference
from .search_models import SearchEntry

__all__ = [
    "AuditEntry",
    "AuditLogImmutable",
    "ChannelCredential",
    "ContactPreference",
    "HolidayOverride",
    "HolidayYear",
    "Notification",
    "SearchEntry",
    "SmsAttempt",
    "SmsMessage",
    "SmsQuota",
]


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class WorkflowEvent(models.Model):
    """The append-only event row of a workflow (core/workflow.py): what was
    done, from which state to which, by whom, when. Each app's timeline model
    adds its foreign key to the object and whatever else it shows."""

    action = models.CharField(max_length=20, blank=True)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # What a user is told when code tries to change an event after the fact.
    append_only_message: ClassVar[str] = "动态只允许追加,不能修改。"

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(self.append_only_message)
        super().save(*args, **kwargs)


class HolidayYear(TimeStampedModel):
    """A year whose holidays an administrator has entered in `HolidayOverride`.
    Without a row here (or coverage by chinese-calendar) the year is unknown and
    working-day arithmetic refuses to guess."""

    year = models.PositiveIntegerField(_("年份"), unique=True)
    confirmed = models.BooleanField(
        _("已按国务院通知确认"),
        default=False,
        help_text=_("未确认的年份为暂定安排,受其影响的期限会显示警告。"),
    )
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("节假日年度")
        verbose_name_plural = _("节假日年度")

    def __str__(self) -> str:
        return f"{self.year}{'' if self.confirmed else '(暂定)'}"


class HolidayOverride(TimeStampedModel):
    """One day whose status differs from what chinese-calendar says, or that it
    does not know: a holiday (is_workday=False) or a make-up workday (调休, True)."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("名称"), max_length=50, blank=True)
    confirmed = models.BooleanField(_("已确认"), default=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '休息'} {self.name}"


class AuditLogImmutable(Exception):
    """Any attempt to change or delete audit entries through the ORM."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogImmutable("审计日志只允许追加,不能修改。")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AuditLogImmutable("审计日志只允许追加,不能修改。")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        raise AuditLogImmutable("审计日志只能通过 grassroots.core.audit.audit_record 写入。")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutable("审计日志只允许追加,不能删除。")


class AuditEntry(models.Model):
    """Append-only, hash-chained audit log. `prev_hash` is unique, so two
    concurrent appends cannot both extend the same head: one fails and retries.
    See `grassroots.core.audit`."""

    class Result(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")
        DENIED = "denied", _("拒绝")

    created_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # DO_NOTHING: actor_id is part of the hash, so deleting a user must not
        # null it; actor_username keeps the name readable.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    result = models.CharField(_("结果"), max_length=10, choices=Result.choices, default=Result.SUCCESS)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")

    def __str__(self) -> str:
        return f"#{self.pk} {self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogImmutable("审计日志只允许追加,不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutable("审计日志只允许追加,不能删除。")


class Notification(TimeStampedModel):
    """The outbox. A row is written in the same transaction as the change that
    causes it and delivered by a Celery task queued after commit; failed rows
    stay and are retried, so nothing is lost."""

    class Channel(models.TextChoices):
        IN_APP = "inapp", _("站内消息")
        SMS = "sms", _("短信")
        EMAIL = "email", _("电子邮件")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        # SMS only: a per-number or per-day limit stopped it before any gateway (final).
        LIMITED = "limited", _("已限流")
        # SMS only: the resident chose another channel or none (ADR 0056); never sent.
        WITHHELD = "withheld", _("按居民意愿未发送")

    class Receipt(models.TextChoices):
        NONE = "", _("未回执")
        DELIVERED = "delivered", _("已送达")
        UNDELIVERED = "undelivered", _("未送达")

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收用户"),
    )
    address = EncryptedTextField(_("接收地址"), blank=True, help_text=_("手机号或电子邮箱,加密保存。"))
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    link = models.CharField(_("链接"), max_length=500, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    # SMS through a gateway: the message kind names the approved template, the
    # parameters fill it ([[name, value], ...]: ordered, Tencent's are positional).
    sms_kind = models.CharField(_("短信类型"), max_length=60, blank=True)
    sms_params = models.JSONField(_("模板参数"), default=list, blank=True)
    provider = models.CharField(_("发送通道"), max_length=20, blank=True)
    provider_message_id = models.CharField(_("通道回执编号"), max_length=100, blank=True)
    receipt_status = models.CharField(_("回执状态"), max_length=12, choices=Receipt.choices, default="", blank=True)
    receipt_code = models.CharField(_("回执代码"), max_length=64, blank=True)
    receipt_at = models.DateTimeField(_("回执时间"), null=True, blank=True)
    # A gateway took the request and gave no answer (ADR 0056): not sent again,
    # through any provider, before this time unless a receipt settles it first.
    hold_until = models.DateTimeField(_("等待回执至"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["provider", "provider_message_id"], name="notification_provider_msg"),
            models.Index(fields=["channel", "created_at"], name="notification_channel_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(channel="inapp") | models.Q(recipient__isnull=False),
                name="notification_inapp_has_recipient",
            ),
            models.CheckConstraint(
                condition=models.Q(channel="inapp") | ~models.Q(address=""),
                name="notification_external_has_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}:{self.subject}"


class SmsMessage(models.Model):
    """What the default SMS backend 'sends': a log table that staff can read
    until a real SMS gateway backend is configured."""

    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    phone = EncryptedTextField(_("手机号"))
    body = models.TextField(_("内容"))
    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("短信记录")
        verbose_name_plural = _("短信记录")

    def __str__(self) -> str:
        return f"短信 #{self.pk} {self.created_at:%Y-%m-%d %H:%M}"


class SmsAttempt(models.Model):
    """One try of one SMS at one gateway: the fallback order leaves one row
    per provider tried, shown on the outbox row."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("已受理")
        FALLBACK = "fallback", _("失败,改用下一通道")
        REJECTED = "rejected", _("被拒绝,不再重试")
        LIMITED = "limited", _("已限流")
        # The request went out, no answer came back (ADR 0056): no fallback, held for a receipt.
        UNKNOWN = "unknown", _("结果未知,等待回执")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="sms_attempts", verbose_name=_("通知")
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    provider = models.CharField(_("发送通道"), max_length=20)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    code = models.CharField(_("返回代码"), max_length=100, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    message_id = models.CharField(_("通道回执编号"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("短信发送尝试")
        verbose_name_plural = _("短信发送尝试")

    def __str__(self) -> str:
        return f"{self.provider}:{self.outcome}:{self.code}"


class SmsQuota(models.Model):
    """A day's counter of SMS handed to a gateway, per number (`key` is the
    number's blind index) and in total (`key` = "*"). One conditional UPDATE
    takes a unit, so two workers never both take the last one."""

    key = models.CharField(max_length=64)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("短信限额计数")
        verbose_name_plural = _("短信限额计数")
        constraints = [models.UniqueConstraint(fields=["key", "day"], name="smsquota_key_day_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.key[:8]} {self.count}"


class Sequence(models.Model):
    """Named counters for human-readable numbers (SX20261129-0001 …). The
    increment is one UPDATE, which holds the row lock until commit, so two
    concurrent transactions never get the same value. See core/sequences.py."""

    name = models.CharField(max_length=100, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class PathScoped(models.Model):
    """A row that belongs to a place in the tree. `path` is a copy of the
    materialised path of the object named by `path_from` (a node, or a row
    that is itself path-scoped), taken on every save, so that jurisdiction
    scoping and rollups are one indexed prefix filter (ADR 0002)."""

    path_from: ClassVar[str]

    path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.path = getattr(self, self.path_from).path
        super().save(*args, **kwargs)


class ChannelCredential(models.Model):
    """One stored credential field of an outbound channel (SMS gateways, the
    WeChat official account), set by the security administrator on 渠道配置.
    The value is encrypted; secret fields are never displayed again. Read
    through `core.notifications.credentials`, which falls back to settings
    when a field has no stored value (ADR 0053)."""

    channel = models.CharField(_("渠道"), max_length=30)
    field = models.CharField(_("字段"), max_length=60)
    value = EncryptedTextField(_("值"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("渠道凭据")
        verbose_name_plural = _("渠道凭据")
        constraints = [models.UniqueConstraint(fields=["channel", "field"], name="channel_credential_unique")]

    def __str__(self) -> str:
        return f"{self.channel}.{self.field}"
