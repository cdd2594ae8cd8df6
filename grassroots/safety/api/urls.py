"""/api/v1/safety/ routes: the premises register (under the app's own prefix:
docs/architecture.md, "API routes")."""

from grassroots.core.api.routers import Router

from .views import PremisesViewSet

router = Router()
router.register("premises", PremisesViewSet, basename="safety-premises")

urlpatterns = router.urls
