"""The service catalogue: the authority, organisation types, services and their material rules."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Authority(models.Model):
    """The registration authority this installation serves (one row)."""

    name = models.CharField(_("登记管理机关"), max_length=100)
    division_code = models.CharField(
        _("登记管理机关行政区划码"), max_length=6, help_text=_("统一社会信用代码第 3–8 位。")
    )
    certificate_validity_years = models.PositiveSmallIntegerField(_("证书有效期(年)"), default=5)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("登记管理机关")
        verbose_name_plural = _("登记管理机关")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(division_code__regex=r"^[0-9]{6}$"), name="authority_division_code_6_digits"
            ),
            models.CheckConstraint(
                condition=models.Q(certificate_validity_years__gte=1), name="authority_validity_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrgType(models.TextChoices):
    SOCIAL_GROUP = "social_group", _("社会团体")
    PNE = "pne", _("民办非企业单位(社会服务机构)")
    FOUNDATION = "foundation", _("基金会")


# GB 32100-2015 organisation-type digits for registration authority 5 (civil affairs).
USCC_TYPE = {OrgType.SOCIAL_GROUP: "1", OrgType.PNE: "2", OrgType.FOUNDATION: "3"}


class PneForm(models.TextChoices):
    LEGAL = "legal", _("法人")
    PARTNERSHIP = "partnership", _("合伙")
    INDIVIDUAL = "individual", _("个体")


class ServiceKind(models.TextChoices):
    ESTABLISH = "establish", _("成立登记")
    RENEWAL = "renewal", _("换证")
    CHANGE = "change", _("变更登记")
    DEREGISTER = "deregister", _("注销登记")


class Service(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("事项名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=ServiceKind.choices)
    org_type = models.CharField(_("组织类型"), max_length=20, choices=OrgType.choices, blank=True)
    legal_basis = models.TextField(_("设定依据"))
    statutory_days = models.PositiveSmallIntegerField(_("法定时限(工作日)"))
    promised_days = models.PositiveSmallIntegerField(_("承诺时限(工作日,0 为当场办结)"))
    online = models.BooleanField(_("可网上申请"), default=True)
    no_visit = models.BooleanField(_("不见面审批"), default=False)
    description = models.TextField(_("办事指南"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("登记事项")
        verbose_name_plural = _("登记事项")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(promised_days__lte=models.F("statutory_days")), name="service_promise_within_statute"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MaterialRequirement(models.Model):
    """One material of a service. `conditions` select when it applies, keys
    from the one-time-notice questionnaire, e.g. ``{"needs_supervisor": true}``,
    ``{"pne_form": ["legal"]}``, ``{"funds_proof": ["capital_report"]}``;
    empty means always."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="requirements")
    code = models.SlugField(max_length=40)
    name = models.CharField(_("材料名称"), max_length=100)
    description = models.TextField(_("要求说明"), blank=True)
    copies = models.CharField(_("份数/形式"), max_length=50, blank=True)
    template = models.CharField(
        _("模板文件"), max_length=100, blank=True, help_text=_("static/registration/templates/ 下的文件名。")
    )
    conditions = models.JSONField(_("适用条件"), default=dict, blank=True)
    commitment_replaceable = models.BooleanField(_("可以告知承诺替代"), default=False)
    legal_basis = models.CharField(_("依据"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["service", "sort_order", "id"]
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="requirement_unique_code")]

    def __str__(self) -> str:
        return self.name
