"""Activities: a calendar of the subdistrict's and villages' activities (the
six kinds of the seed and others), registration and attendance of residents,
and recurring activities (周五固定清扫日) checked in per village each week.
Party points read attendance through `selectors.attendance_count_for`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped
from grassroots.regions.models import Node, Resident


class ActivityKind(models.TextChoices):
    SPORTS = "sports", _("运动会")
    RED_SONG = "red_song", _("红歌会")
    EXHIBITION = "exhibition", _("书法摄影展")
    ART_SHOW = "art_show", _("文艺汇演")
    FILM = "film", _("电影季")
    VILLAGE = "village", _("进村活动")
    CLEANING = "cleaning", _("环境清扫")
    OTHER = "other", _("其他")


class Activity(PathScoped):
    path_from = "node"

    title = models.CharField(_("活动名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=ActivityKind.choices)
    node = models.ForeignKey(Node, verbose_name=_("举办范围"), on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("日期"), db_index=True)
    place = models.CharField(_("地点"), max_length=100)
    capacity = models.PositiveIntegerField(_("名额"), null=True, blank=True)
    # 0 = Monday … 4 = Friday: a weekly activity, checked in per village and week.
    weekday = models.PositiveSmallIntegerField(_("每周固定"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__isnull=True) | models.Q(weekday__lte=6), name="livelihood_activity_weekday"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_weekday_label(self) -> str:
        return "一二三四五六日"[self.weekday] if self.weekday is not None else ""


class Registration(PathScoped):
    """A resident signed up for an activity; `attended` once they came."""

    path_from = "resident"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField(_("已到场"), default=False)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "id"]
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        constraints = [models.UniqueConstraint(fields=["activity", "resident"], name="livelihood_registration_once")]


class CheckIn(PathScoped):
    """A village's weekly check-in of a recurring activity (one per week)."""

    path_from = "village"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="check_ins")
    village = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("日期"))
    week = models.DateField(_("周(周一)"))
    participants = models.PositiveIntegerField(_("参加人数"))
    note = models.CharField(_("情况"), max_length=200, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-week", "path"]
        verbose_name = _("周打卡")
        verbose_name_plural = _("周打卡")
        constraints = [
            models.UniqueConstraint(fields=["activity", "village", "week"], name="livelihood_checkin_weekly"),
            models.CheckConstraint(condition=models.Q(participants__gte=1), name="livelihood_checkin_participants"),
        ]


class ActivityPhoto(PathScoped):
    """A photo of an activity (checked by content, like a project's)."""

    path_from = "activity"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="livelihood/activities/%Y/%m/")
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "id"]
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")

    def __str__(self) -> str:
        return f"{self.activity_id} {self.sha256[:12]}"
