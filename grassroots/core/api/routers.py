"""The router every API app registers its viewsets with: detail routes take
`<id:pk>` (core's converter) instead of DRF's "anything but a slash", so a
non-numeric or out-of-range id is a 404 before any view runs (ADR 0029)."""

from __future__ import annotations

from typing import Any

from rest_framework.routers import SimpleRouter


class Router(SimpleRouter):
    # No browsable root view and no `.json` suffix routes: one URL per operation.

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("trailing_slash", False)
        kwargs["use_regex_path"] = False
        super().__init__(*args, **kwargs)
        self._default_value_pattern = "id"
