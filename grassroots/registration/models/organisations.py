"""Registered social organisations."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.fields import EncryptedTextField

from .catalogue import OrgType, PneForm


class Organisation(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("正常")
        DEREGISTERED = "deregistered", _("已注销")
        REVOKED = "revoked", _("已撤销登记")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    org_type = models.CharField(_("类型"), max_length=20, choices=OrgType.choices)
    pne_form = models.CharField(_("民非形式"), max_length=20, choices=PneForm.choices, blank=True)
    field = models.CharField(_("业务领域"), max_length=50, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50)
    # Phones on file (留存电话): a renewal by mail is verified by a code sent to
    # one of them (ADR 0028), never to a number the requester types.
    legal_representative_phone = EncryptedTextField(_("法定代表人手机号"), blank=True)
    contact_phone = EncryptedTextField(_("联系人手机号"), blank=True)
    address = models.CharField(_("住所"), max_length=200)
    supervising_unit = models.CharField(_("业务主管单位"), max_length=100, blank=True)
    funds = models.DecimalField(_("开办资金(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    business_scope = models.TextField(_("业务范围"), blank=True)
    registered_on = models.DateField(_("登记日期"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["-registered_on", "name"]
        verbose_name = _("社会组织")
        verbose_name_plural = _("社会组织")

    def __str__(self) -> str:
        return self.name
