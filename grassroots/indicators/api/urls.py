"""/api/v1/indicators/ routes (under the app's own prefix: docs/architecture.md, "API routes")."""

from grassroots.core.api.routers import Router

from .views import DefinitionViewSet, LedgerViewSet, ValueViewSet

router = Router()
router.register("definitions", DefinitionViewSet, basename="indicators-definition")
router.register("values", ValueViewSet, basename="indicators-value")
router.register("ledgers", LedgerViewSet, basename="indicators-ledger")

urlpatterns = router.urls
