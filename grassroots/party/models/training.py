"""专题培训 (issue 15, item 7): sessions for members and party-affairs
workers, attendance by QR sign-in on a phone (once per member), hours per
member per year."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped
from grassroots.regions.models import Node

from .organisation import Member

# The salt of the QR sign-in token: a signed training id with its time; the
# service refuses it after the session's sign-in deadline (services.training).
SIGNIN_SALT = "party.training.signin"


class Audience(models.TextChoices):
    MEMBERS = "members", _("基层党员")
    WORKERS = "workers", _("党务工作者")
    ALL = "all", _("党员和党务工作者")


class Training(PathScoped):
    path_from = "node"

    title = models.CharField(_("培训主题"), max_length=100)
    audience = models.CharField(_("培训对象"), max_length=10, choices=Audience.choices, default=Audience.ALL)
    node = models.ForeignKey(Node, verbose_name=_("举办单位"), on_delete=models.PROTECT, related_name="party_trainings")
    starts_at = models.DateTimeField(_("开始时间"))
    signin_until = models.DateTimeField(_("签到截止"))
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1)
    location = models.CharField(_("地点"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("专题培训")
        verbose_name_plural = _("专题培训")
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="party_training_hours_positive"),
            models.CheckConstraint(
                condition=models.Q(signin_until__gt=models.F("starts_at")), name="party_training_signin_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def signin_token(self) -> str:
        """The signed payload of the session's QR code (services.training)."""
        return signing.TimestampSigner(salt=SIGNIN_SALT).sign(str(self.pk))


class Method(models.TextChoices):
    QR = "qr", _("扫码签到")
    MANUAL = "manual", _("补签")


class Attendance(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendances")
    method = models.CharField(_("方式"), max_length=10, choices=Method.choices, default=Method.QR)
    signed_at = models.DateTimeField(_("签到时间"), auto_now_add=True)

    class Meta:
        ordering = ["signed_at", "id"]
        verbose_name = _("培训签到")
        verbose_name_plural = _("培训签到")
        constraints = [models.UniqueConstraint(fields=["training", "member"], name="party_attendance_once")]

    def __str__(self) -> str:
        return f"{self.training_id} {self.member_id}"
