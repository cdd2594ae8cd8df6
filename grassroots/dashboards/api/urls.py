"""/api/v1/dashboards/ routes (under the app's own prefix: docs/architecture.md,
"API routes"). One read-only resource at the prefix itself, which a router
cannot register (it needs a non-empty prefix)."""

from django.urls import path

from .views import DashboardViewSet

urlpatterns = [
    path("", DashboardViewSet.as_view({"get": "list"}), name="dashboards-list"),
]
