"""/api/v1/channels/ routes (under the app's own prefix: docs/architecture.md, "API routes")."""

from grassroots.core.api.routers import Router

from .views import PublicationPushViewSet, RobotViewSet

router = Router()
router.register("robots", RobotViewSet, basename="channels-robot")
router.register("publications", PublicationPushViewSet, basename="channels-publication")

urlpatterns = router.urls
