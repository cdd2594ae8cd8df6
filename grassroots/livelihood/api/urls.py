"""/api/v1/livelihood/ routes (under the app's own prefix: docs/architecture.md, "API routes")."""

from grassroots.core.api.routers import Router

from .activities import ActivityViewSet, RegistrationViewSet
from .projects import MilestoneViewSet, ProjectViewSet
from .views import FlagViewSet, GridViewSet, HealthRoundViewSet, VisitViewSet

router = Router()
router.register("grids", GridViewSet, basename="livelihood-grid")
router.register("visits", VisitViewSet, basename="livelihood-visit")
router.register("health-rounds", HealthRoundViewSet, basename="livelihood-health-round")
router.register("flags", FlagViewSet, basename="livelihood-flag")
router.register("projects", ProjectViewSet, basename="livelihood-project")
router.register("milestones", MilestoneViewSet, basename="livelihood-milestone")
router.register("activities", ActivityViewSet, basename="livelihood-activity")
router.register("registrations", RegistrationViewSet, basename="livelihood-registration")

urlpatterns = router.urls
