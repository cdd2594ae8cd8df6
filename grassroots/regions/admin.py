from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from grassroots.accounts.admin import CapabilityAdmin

from .models import Node


@admin.register(Node)
class NodeAdmin(CapabilityAdmin):
    """Read-only here: needed for choosing a jurisdiction when editing a user.
    The tree is changed by import and by the regions services."""

    search_fields = ["name", "short_name", "code"]
    list_display = ["name", "level", "code", "kind"]
    list_filter = ["level", "kind"]
    ordering = ["path"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
