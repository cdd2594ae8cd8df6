"""Appointments at the window: windows, weekly slot templates and bookings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.fields import BlindIndexField, EncryptedTextField

from ..states import AppointmentState
from .catalogue import Service


class Window(models.Model):
    name = models.CharField(_("窗口"), max_length=50)
    location = models.CharField(_("位置"), max_length=100, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("服务窗口")
        verbose_name_plural = _("服务窗口")

    def __str__(self) -> str:
        return self.name


class SlotTemplate(models.Model):
    """A bookable slot on every working day (from the calendar service)."""

    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="slot_templates")
    start_time = models.TimeField(_("开始"))
    end_time = models.TimeField(_("结束"))
    capacity = models.PositiveSmallIntegerField(_("可预约人数"), default=2)

    class Meta:
        ordering = ["window", "start_time"]
        verbose_name = _("预约时段")
        verbose_name_plural = _("预约时段")
        constraints = [
            models.CheckConstraint(condition=models.Q(end_time__gt=models.F("start_time")), name="slot_time_order"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="slot_capacity_positive"),
            models.UniqueConstraint(fields=["window", "start_time"], name="slot_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.window} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class Appointment(models.Model):
    Status = AppointmentState  # the table is in states.py

    slot = models.ForeignKey(SlotTemplate, on_delete=models.PROTECT, related_name="appointments")
    date = models.DateField(_("日期"), db_index=True)
    # seat makes capacity a database fact: (slot, date, seat) is unique and seat < capacity.
    seat = models.PositiveSmallIntegerField()
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="appointments")
    name = models.CharField(_("姓名"), max_length=50)
    phone = EncryptedTextField(_("手机号"))
    phone_index = BlindIndexField(source="phone", purpose="registration.appointment.phone")
    note = models.CharField(_("备注"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    code = models.CharField(_("预约号"), max_length=12, unique=True)
    cancel_token_hash = models.CharField(max_length=64, unique=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "slot__start_time", "seat"]
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        constraints = [
            # A cancelled booking frees its seat.
            models.UniqueConstraint(
                fields=["slot", "date", "seat"], condition=~models.Q(status="cancelled"), name="appointment_unique_seat"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.slot} {self.name}"
