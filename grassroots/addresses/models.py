"""The standard address register (标准地址) and its verification campaigns
(核采). An address is a building, a unit or a room (户/室) tied to its tree
node, built like the national address-coding rules: administrative division
(the 12-digit division code) + road + door number + building + unit + room.
`full_text` is the normalised text built from the parts (services/parts.py);
it is what search, the Excel export and household linking read.

A campaign is opened by the subdistrict over a subtree; the addresses it
covers are split into one batch per grid, collected by that grid's worker.
Progress is counted from the addresses' states (selectors.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped, WorkflowEvent
from grassroots.regions.models import Node

from .states import State

LAT_RANGE = (-90, 90)
LNG_RANGE = (-180, 180)


class Kind(models.TextChoices):
    BUILDING = "building", _("楼栋")
    UNIT = "unit", _("单元")
    ROOM = "room", _("户/室")


class Campaign(PathScoped):
    """One 核采 campaign over the subtree of `node` (the subdistrict or a village)."""

    path_from = "node"

    title = models.CharField(_("名称"), max_length=100)
    node = models.ForeignKey(Node, verbose_name=_("范围"), on_delete=models.PROTECT, related_name="address_campaigns")
    due_on = models.DateField(_("计划完成日期"), null=True, blank=True)
    # None: opened by the system (the demo, a command).
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("地址核采")
        verbose_name_plural = _("地址核采")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Batch(PathScoped):
    """The part of a campaign one grid worker collects: the addresses under one grid."""

    path_from = "grid"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="batches")
    grid = models.ForeignKey(Node, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="address_batches")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("网格员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="address_batches",
    )

    class Meta:
        ordering = ["path", "id"]
        verbose_name = _("核采批次")
        verbose_name_plural = _("核采批次")
        constraints = [models.UniqueConstraint(fields=["campaign", "grid"], name="address_batch_unique_grid")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.grid_id}"


class Address(PathScoped):
    """One standard address: a building, a unit or a room under its tree node
    (a building node for a building, a unit node for a unit or a room)."""

    path_from = "node"

    node = models.ForeignKey(Node, verbose_name=_("所在节点"), on_delete=models.PROTECT, related_name="addresses")
    kind = models.CharField(_("地址类型"), max_length=10, choices=Kind.choices)
    division_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    road = models.CharField(_("街路巷"), max_length=50)
    door_number = models.CharField(_("门牌号"), max_length=20)
    building = models.CharField(_("楼栋号"), max_length=20, blank=True)
    unit = models.CharField(_("单元号"), max_length=20, blank=True)
    room = models.CharField(_("户室号"), max_length=20, blank=True)
    full_text = models.CharField(_("标准地址"), max_length=200, unique=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    photo = models.ImageField(_("现场照片"), upload_to="addresses/%Y/%m/", blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.PENDING, db_index=True)
    doubt_reason = models.CharField(_("存疑原因"), max_length=200, blank=True)
    batch = models.ForeignKey(
        Batch, verbose_name=_("核采批次"), null=True, blank=True, on_delete=models.SET_NULL, related_name="addresses"
    )
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    collected_at = models.DateTimeField(null=True, blank=True)
    village_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    village_verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path", "building", "unit", "room", "id"]
        verbose_name = _("标准地址")
        verbose_name_plural = _("标准地址")
        indexes = [
            models.Index(fields=["batch", "state"], name="address_batch_state"),
            # The register's order: a page of a large subtree walks this index and stops.
            models.Index(fields=["path", "building", "unit", "room", "id"], name="address_register_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=LAT_RANGE[0], latitude__lte=LAT_RANGE[1]),
                name="address_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=LNG_RANGE[0], longitude__lte=LNG_RANGE[1]),
                name="address_longitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="address_position_pair",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="doubtful") | ~models.Q(doubt_reason=""),
                name="address_doubt_reason_required",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="building") | ~models.Q(building=""), name="address_building_required"
            ),
            models.CheckConstraint(condition=~models.Q(kind="room") | ~models.Q(room=""), name="address_room_required"),
            models.CheckConstraint(condition=~models.Q(kind="unit") | ~models.Q(unit=""), name="address_unit_required"),
        ]

    def __str__(self) -> str:
        return self.full_text

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class AddressEvent(WorkflowEvent):
    """Append-only record of an address: collected (with what was corrected),
    verified, signed off, sent back with the reason, edited, imported."""

    address = models.ForeignKey(Address, on_delete=models.CASCADE, related_name="events")
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")

    append_only_message = "地址记录只允许追加,不能修改。"

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("地址记录")
        verbose_name_plural = _("地址记录")
        indexes = [models.Index(fields=["campaign", "action", "created_at"], name="address_event_daily")]

    def __str__(self) -> str:
        return f"{self.address_id} {self.action}"
