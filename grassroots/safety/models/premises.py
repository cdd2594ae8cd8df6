"""The premises register of the safety inspections (issue 13, item 5):
warehouses, courtyards, disused factories, the 九小场所 and enterprises of
key industries, each anchored at a village or grid node (the path copied for
scoping), with an optional standard address, its operator (the phone is
encrypted, indexed blind and shown masked everywhere), its type and risk
level. `PremisesEvent` is its append-only record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.addresses.models import Address
from grassroots.core.fields import BlindIndexField, EncryptedTextField
from grassroots.core.models import PathScoped, WorkflowEvent
from grassroots.regions.models import Node

from ..states import State


class PremisesKind(models.TextChoices):
    WAREHOUSE = "warehouse", _("仓库")
    COURTYARD = "courtyard", _("院落")
    DISUSED_FACTORY = "disused_factory", _("废弃厂房")
    # 九小场所
    SMALL_SHOP = "small_shop", _("小商店")
    SMALL_RESTAURANT = "small_restaurant", _("小餐饮")
    SMALL_HOTEL = "small_hotel", _("小旅馆")
    SMALL_WORKSHOP = "small_workshop", _("小生产加工作坊")
    SMALL_ENTERTAINMENT = "small_entertainment", _("小歌舞娱乐场所")
    SMALL_INTERNET_CAFE = "small_internet_cafe", _("小网吧")
    SMALL_BEAUTY = "small_beauty", _("小美容洗浴场所")
    SMALL_CLINIC = "small_clinic", _("小医院(诊所)")
    SMALL_SCHOOL = "small_school", _("小学校(幼儿园)")
    KEY_INDUSTRY = "key_industry", _("重点行业企业")


# The 九小场所 kinds, for filters and checklists.
NINE_SMALL = frozenset(
    {
        PremisesKind.SMALL_SHOP,
        PremisesKind.SMALL_RESTAURANT,
        PremisesKind.SMALL_HOTEL,
        PremisesKind.SMALL_WORKSHOP,
        PremisesKind.SMALL_ENTERTAINMENT,
        PremisesKind.SMALL_INTERNET_CAFE,
        PremisesKind.SMALL_BEAUTY,
        PremisesKind.SMALL_CLINIC,
        PremisesKind.SMALL_SCHOOL,
    }
)


class RiskLevel(models.TextChoices):
    """The four-colour grading of safety risk (红橙黄蓝)."""

    LOW = "low", _("低风险(蓝)")
    GENERAL = "general", _("一般风险(黄)")
    HIGH = "high", _("较大风险(橙)")
    MAJOR = "major", _("重大风险(红)")


class Premises(PathScoped):
    """One place that safety inspections cover, under a village or grid node."""

    path_from = "node"

    name = models.CharField(_("场所名称"), max_length=100)
    kind = models.CharField(_("场所类型"), max_length=30, choices=PremisesKind.choices, db_index=True)
    risk_level = models.CharField(
        _("风险等级"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.GENERAL, db_index=True
    )
    node = models.ForeignKey(Node, verbose_name=_("所属村/网格"), on_delete=models.PROTECT, related_name="premises")
    address = models.ForeignKey(
        Address,
        verbose_name=_("标准地址"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="premises",
    )
    location = models.CharField(_("位置说明"), max_length=200, blank=True)
    operator_name = models.CharField(_("经营者/负责人"), max_length=50)
    operator_phone = EncryptedTextField(_("联系电话"), blank=True)
    operator_phone_index = BlindIndexField(source="operator_phone", purpose="safety.premises.phone")
    note = models.TextField(_("备注"), blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.OPERATING, db_index=True)
    closed_reason = models.CharField(_("关停原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path", "name", "id"]
        verbose_name = _("场所")
        verbose_name_plural = _("场所")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="closed") | ~models.Q(closed_reason=""),
                name="premises_closed_reason_required",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PremisesEvent(WorkflowEvent):
    """Append-only record of a premises: registered, corrected (with what
    changed), closed with the reason, taken back into use."""

    premises = models.ForeignKey(Premises, on_delete=models.CASCADE, related_name="events")

    append_only_message = "场所记录只允许追加,不能修改。"

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("场所记录")
        verbose_name_plural = _("场所记录")

    def __str__(self) -> str:
        return f"{self.premises_id} {self.action}"
