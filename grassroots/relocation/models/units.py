"""A unit of a relocation batch (a house or a non-residential property) and
the case of it: stage, assigned worker, the date of each stage, the amounts
and a handed-over dispute. The household head's phone and ID number are
encrypted with blind indexes, as regions' residents are; every page, export
and API answer shows them masked, and revealing one is audited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.addresses.models import Address
from grassroots.core.fields import BlindIndexField, EncryptedTextField
from grassroots.core.models import PathScoped, WorkflowEvent
from grassroots.mediation.models import DisputeCase
from grassroots.regions.models import Node

from ..states import State
from .projects import Batch, Project


class UnitKind(models.TextChoices):
    HOUSE = "house", _("住宅")
    SHOP = "shop", _("商铺")
    ENTERPRISE = "enterprise", _("企业厂房")
    OTHER = "other", _("其他")


class Unit(PathScoped):
    path_from = "village"

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="units")
    batch = models.ForeignKey(Batch, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="units")
    number = models.CharField(_("户号"), max_length=30)
    village = models.ForeignKey(Node, verbose_name=_("所属村/社区"), on_delete=models.PROTECT, related_name="+")
    address = models.ForeignKey(
        Address, verbose_name=_("标准地址"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    location = models.CharField(_("位置说明"), max_length=200, blank=True)
    kind = models.CharField(_("房屋类型"), max_length=20, choices=UnitKind.choices, default=UnitKind.HOUSE)
    floor_area = models.DecimalField(_("建筑面积(㎡)"), max_digits=10, decimal_places=2)
    head_name = models.CharField(_("户主/产权人"), max_length=50)
    head_phone = EncryptedTextField(_("联系电话"), blank=True)
    head_phone_index = BlindIndexField(source="head_phone", purpose="relocation.unit.phone")
    head_id_number = EncryptedTextField(_("身份证号"), blank=True)
    head_id_number_index = BlindIndexField(source="head_id_number", purpose="relocation.unit.id_number")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("包户工作人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(_("环节"), max_length=20, choices=State.choices, default=State.PENDING)
    confirmed_on = models.DateField(_("信息确认日期"), null=True, blank=True)
    assessed_on = models.DateField(_("评估日期"), null=True, blank=True)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    vacated_on = models.DateField(_("腾空日期"), null=True, blank=True)
    demolished_on = models.DateField(_("拆除日期"), null=True, blank=True)
    compensated_on = models.DateField(_("补偿到位日期"), null=True, blank=True)
    assessed_amount = models.DecimalField(_("评估金额(元)"), null=True, blank=True, max_digits=14, decimal_places=2)
    agreed_amount = models.DecimalField(_("协议补偿金额(元)"), null=True, blank=True, max_digits=14, decimal_places=2)
    paid_amount = models.DecimalField(_("已付补偿(元)"), null=True, blank=True, max_digits=14, decimal_places=2)
    note = models.TextField(_("备注"), blank=True)
    dispute = models.ForeignKey(
        DisputeCase, verbose_name=_("调解案件"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project_id", "batch_id", "number", "id"]
        verbose_name = _("征迁户")
        verbose_name_plural = _("征迁户")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="relocation_unit_number_unique"),
            models.CheckConstraint(condition=models.Q(floor_area__gt=0), name="relocation_unit_area_positive"),
            models.CheckConstraint(
                condition=models.Q(state="pending") | models.Q(confirmed_on__isnull=False),
                name="relocation_unit_confirmed_dated",
            ),
            models.CheckConstraint(
                condition=~models.Q(state__in=["signed", "vacated", "demolished", "compensated"])
                | models.Q(signed_on__isnull=False),
                name="relocation_unit_signed_dated",
            ),
        ]
        # The counts of the dashboards: by project, batch, village, worker and stage.
        indexes = [
            models.Index(fields=["project", "state"], name="relocation_unit_proj_state"),
            models.Index(fields=["batch", "state"], name="relocation_unit_batch_state"),
            models.Index(fields=["project", "path", "state"], name="relocation_unit_proj_path"),
            models.Index(fields=["worker", "state"], name="relocation_unit_worker_state"),
            models.Index(fields=["project", "signed_on"], name="relocation_unit_proj_signed"),
            # The dashboard's cache key: the latest change of a project's units.
            models.Index(fields=["project", "updated_at"], name="relocation_unit_proj_changed"),
            # The drill-down pages (ADR 0046): a page of a batch's, a village's or a
            # worker's units is read in this order straight from an index, and
            # the unsigned units (what a brief asks about) from a small partial one.
            models.Index(fields=["project", "batch", "number"], name="relocation_unit_batch_no"),
            models.Index(fields=["project", "village", "batch", "number"], name="relocation_unit_village_no"),
            models.Index(fields=["project", "worker", "batch", "number"], name="relocation_unit_worker_no"),
            models.Index(
                fields=["project", "batch", "number"],
                name="relocation_unit_unsigned_no",
                condition=models.Q(signed_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class UnitEvent(WorkflowEvent):
    """Append-only record of a unit: registered, each stage, the dispute handed over."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="events")

    append_only_message = "征迁户记录只允许追加,不能修改。"

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("征迁户记录")
        verbose_name_plural = _("征迁户记录")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.action}"
