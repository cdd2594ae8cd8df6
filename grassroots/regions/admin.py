from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
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
    # The tree's bookkeeping (treebeard) means nothing to an administrator.
    exclude = ["path", "depth", "numchild"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TreeAutocompleteJsonView(AutocompleteJsonView):
    """Autocomplete answers for tree nodes show the whole chain
    (湖田街道 / 西张村 / 第1网格): names like 第1网格 repeat in every village."""

    def serialize_result(self, obj: Any, to_field_name: str) -> dict[str, str]:
        result: dict[str, str] = super().serialize_result(obj, to_field_name)  # type: ignore[misc]
        if isinstance(obj, Node):
            ancestors = Node.objects.filter(path__in=[obj.path[: i * Node.steplen] for i in range(1, obj.depth)])
            result["text"] = " / ".join([*(a.label for a in ancestors.order_by("depth")), obj.label])
        return result


def _autocomplete_view(request: HttpRequest) -> Any:
    return TreeAutocompleteJsonView.as_view(admin_site=admin.site)(request)


admin.site.autocomplete_view = _autocomplete_view  # type: ignore[method-assign]
