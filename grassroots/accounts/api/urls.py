"""/api/v1/ routes of accounts: the signed-in user, notifications and the audit log."""

from django.urls import path

from grassroots.core.api.routers import Router

from .views import AuditEntryViewSet, MeView, NotificationViewSet

router = Router()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("audit", AuditEntryViewSet, basename="audit")

urlpatterns = [
    path("me", MeView.as_view(), name="me"),
    *router.urls,
]
