"""/api/v1/relocation/ routes: projects with their progress, units with one
POST per stage (under the app's own prefix: docs/architecture.md, "API routes")."""

from grassroots.core.api.routers import Router

from .views import BatchViewSet, ProjectViewSet, UnitViewSet

router = Router()
router.register("projects", ProjectViewSet, basename="relocation-project")
router.register("batches", BatchViewSet, basename="relocation-batch")
router.register("units", UnitViewSet, basename="relocation-unit")

urlpatterns = router.urls
