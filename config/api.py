"""/api/v1/ routes. Each app contributes its viewsets here."""

from django.urls import include, path

from grassroots.accounts.api import AuditEntryViewSet, MeView, NotificationViewSet
from grassroots.core.api.routers import Router
from grassroots.matters.api.views import CategoryViewSet, MatterViewSet, ReopenRequestViewSet
from grassroots.regions.api.views import NodeViewSet, ResidentViewSet

router = Router()
router.register("nodes", NodeViewSet, basename="node")
router.register("residents", ResidentViewSet, basename="resident")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("audit", AuditEntryViewSet, basename="audit")
router.register("matters", MatterViewSet, basename="matter")
router.register("categories", CategoryViewSet, basename="category")
router.register("reopen-requests", ReopenRequestViewSet, basename="reopen-request")

urlpatterns = [
    path("me", MeView.as_view(), name="me"),
    path("registration/", include("grassroots.registration.api.urls")),
    path("mediation/", include("grassroots.mediation.api.urls")),
    path("deliberation/", include("grassroots.deliberation.api.urls")),
    path("evaluation/", include("grassroots.evaluation.api.urls")),
    path("publicity/", include("grassroots.publicity.api.urls")),
    path("", include(router.urls)),
]
