"""/api/v1/economy/ routes (under the app's own prefix: docs/architecture.md, "API routes")."""

from grassroots.core.api.routers import Router

from .views import CommitteeViewSet, CompanyViewSet, IncomeViewSet, PlanViewSet

router = Router()
router.register("committees", CommitteeViewSet, basename="economy-committee")
router.register("companies", CompanyViewSet, basename="economy-company")
router.register("income", IncomeViewSet, basename="economy-income")
router.register("plans", PlanViewSet, basename="economy-plan")

urlpatterns = router.urls
