"""/api/v1/exports/ routes (under the app's own prefix)."""

from django.urls import path

from grassroots.core.api.routers import Router

from .views import ExportRequestCreateView, ExportRequestViewSet, ExportRunView

router = Router()
router.register("requests", ExportRequestViewSet, basename="export-request")

urlpatterns = [
    path("run/<slug:kind>", ExportRunView.as_view(), name="export-run"),
    path("run/<slug:kind>/request", ExportRequestCreateView.as_view(), name="export-request-create"),
    *router.urls,
]
