"""OpenAPI schema helpers for views drf-spectacular would describe wrongly."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema


class SingleObjectSchema(AutoSchema):
    """For a viewset whose `list` answers one object (a month's table, say),
    not a page of rows: drf-spectacular takes every `list` for a list, and
    would describe a paginated array the view never sends."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False
