"""The router every API app registers its viewsets with: detail routes take
`<id:pk>` (core's converter) instead of DRF's "anything but a slash", so a
non-numeric or out-of-range id is a 404 before any view runs (ADR 0029).

A viewset whose collection URL had a name before the router (an answer to
POST only, such as `app-public-create`) keeps it with `list_route_name`
(ADR 0036): URL names are part of the API's contract with its tests and
clients, so moving views onto viewsets does not rename them."""

from __future__ import annotations

from typing import Any

from rest_framework.routers import Route, SimpleRouter


class Router(SimpleRouter):
    # No browsable root view and no `.json` suffix routes: one URL per operation.

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("trailing_slash", False)
        kwargs["use_regex_path"] = False
        super().__init__(*args, **kwargs)
        self._default_value_pattern = "id"

    def get_routes(self, viewset: Any) -> list[Any]:
        routes = super().get_routes(viewset)
        name = getattr(viewset, "list_route_name", None)
        if not name:
            return routes
        return [
            route._replace(name=name) if isinstance(route, Route) and route.name == "{basename}-list" else route
            for route in routes
        ]
