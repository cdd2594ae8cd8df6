from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from grassroots.accounts.admin import CapabilityAdmin
from grassroots.accounts.permissions import current_user
from grassroots.accounts.roles import Capability

from .models import HolidayOverride, HolidayYear


class CalendarAdmin(CapabilityAdmin):
    capability = Capability.MANAGE_CALENDAR

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        from .workdays import invalidate_calendar_cache

        if isinstance(obj, HolidayOverride):
            obj.updated_by = current_user(request)
        super().save_model(request, obj, form, change)
        invalidate_calendar_cache()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        from .workdays import invalidate_calendar_cache

        super().delete_model(request, obj)
        invalidate_calendar_cache()


@admin.register(HolidayYear)
class HolidayYearAdmin(CalendarAdmin):
    list_display = ["year", "confirmed", "source", "updated_at"]


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(CalendarAdmin):
    list_display = ["date", "is_workday", "name", "confirmed", "updated_by", "updated_at"]
    list_filter = ["is_workday", "confirmed"]
    date_hierarchy = "date"
    search_fields = ["name", "note"]
    readonly_fields = ["updated_by"]
