"""/api/v1/field/ routes (under the app's own prefix: docs/architecture.md, "API routes")."""

from django.urls import path

from grassroots.core.api.routers import Router

from .views import ItemViewSet, SnapshotView, SyncView

router = Router()
router.register("items", ItemViewSet, basename="field-item")

urlpatterns = [
    path("snapshot", SnapshotView.as_view(), name="field-snapshot"),
    path("sync", SyncView.as_view(), name="field-sync"),
    *router.urls,
]
