"""/api/v1/economy/ routes (under the app's own prefix: docs/architecture.md, "API routes")."""

from grassroots.core.api.routers import Router

from .projects import PlotViewSet, ProjectViewSet, TenantViewSet
from .views import CompanyViewSet, IncomeViewSet, PlanViewSet

router = Router()
router.register("companies", CompanyViewSet, basename="economy-company")
router.register("income", IncomeViewSet, basename="economy-income")
router.register("plans", PlanViewSet, basename="economy-plan")
router.register("projects", ProjectViewSet, basename="economy-project")
router.register("plots", PlotViewSet, basename="economy-plot")
router.register("tenants", TenantViewSet, basename="economy-tenant")

urlpatterns = router.urls
