"""The five-level tree (subdistrict → village/community → grid → building →
unit), households and residents. Case rows elsewhere copy `Node.path` so that
one indexed prefix filter serves both access scoping and rollups."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from grassroots.core.fields import BlindIndexField, EncryptedTextField
from grassroots.core.models import PathScoped


class Level(models.IntegerChoices):
    SUBDISTRICT = 1, _("街道")
    VILLAGE = 2, _("村/社区")
    GRID = 3, _("网格")
    BUILDING = 4, _("楼栋")
    UNIT = 5, _("单元")


class VillageKind(models.TextChoices):
    VILLAGE = "village", _("村")
    COMMUNITY = "community", _("社区")
    UNIT_COMMUNITY = "unit_community", _("单位社区")


class Node(MP_Node):
    # No node_order_by: siblings are appended, so a path never changes once
    # assigned and the copies on case rows stay valid.
    steplen = 4
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

    # Annotated because treebeard is untyped, so mypy cannot infer them.
    name: models.CharField[str, str] = models.CharField(_("名称"), max_length=100)
    short_name: models.CharField[str, str] = models.CharField(_("简称"), max_length=50, blank=True)
    level: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(
        _("层级"), choices=Level.choices
    )
    code: models.CharField[str | None, str | None] = models.CharField(
        _("统计用区划代码"),
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        help_text=_("12 位统计用区划代码,仅街道、村/社区有。"),
    )
    kind: models.CharField[str, str] = models.CharField(
        _("类型"), max_length=20, choices=VillageKind.choices, blank=True
    )

    class Meta:
        verbose_name = _("辖区节点")
        verbose_name_plural = _("辖区节点")
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="node_level_range"),
            models.CheckConstraint(condition=models.Q(kind="") | models.Q(level=2), name="node_kind_only_on_villages"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Household(PathScoped):
    path_from = "unit"

    unit = models.ForeignKey(Node, verbose_name=_("单元"), on_delete=models.PROTECT, related_name="households")
    room = models.CharField(_("门牌/室号"), max_length=20)
    address = models.CharField(_("地址"), max_length=200)
    # The verified standard address (addresses app, above regions: a string
    # reference only, regions never imports it). Linked by the addresses
    # migration 0002 where the free text matches, and by `link_households`.
    standard_address = models.ForeignKey(
        "addresses.Address",
        verbose_name=_("标准地址"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="households",
    )

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        constraints = [models.UniqueConstraint(fields=["unit", "room"], name="household_unique_room")]

    def __str__(self) -> str:
        return self.address


class Resident(PathScoped):
    path_from = "household"

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    household = models.ForeignKey(Household, verbose_name=_("户"), on_delete=models.PROTECT, related_name="residents")
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"), db_index=True)
    id_number = EncryptedTextField(_("身份证号"))
    id_number_index = BlindIndexField(source="id_number", purpose="resident.id_number", unique=True)
    phone = EncryptedTextField(_("手机号"), blank=True)
    phone_index = BlindIndexField(source="phone", purpose="resident.phone")
    is_household_head = models.BooleanField(_("户主"), default=False)
    # A child's school or kindergarten and grade (the livelihood app's
    # children list reads them); blank for everyone else.
    school = models.CharField(_("学校/幼儿园"), max_length=100, blank=True)
    grade = models.CharField(_("年级"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Representative(PathScoped):
    """A resident representative (群众代表) of a village/community, who attends
    consultation and appraisal meetings."""

    path_from = "village"

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="representative_terms")
    village = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="representatives")
    since = models.DateField(_("任期开始"))
    until = models.DateField(_("任期结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("群众代表")
        verbose_name_plural = _("群众代表")
        constraints = [
            models.UniqueConstraint(fields=["resident", "village", "since"], name="representative_unique_term")
        ]

    def __str__(self) -> str:
        return f"{self.resident} ({self.village})"
