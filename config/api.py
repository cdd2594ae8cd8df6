"""/api/v1/ routes. Each app contributes its viewsets here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from grassroots.core.api.views import AuditEntryViewSet, MeView, NotificationViewSet
from grassroots.regions.api.views import NodeViewSet, ResidentViewSet

router = DefaultRouter(trailing_slash=False)
router.include_root_view = False
router.register("nodes", NodeViewSet, basename="node")
router.register("residents", ResidentViewSet, basename="resident")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("audit", AuditEntryViewSet, basename="audit")

urlpatterns = [
    path("me", MeView.as_view(), name="me"),
    path("", include(router.urls)),
]
