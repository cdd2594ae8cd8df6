"""/api/v1/safety/ routes: the premises register (under the app's own prefix:
docs/architecture.md, "API routes")."""

from grassroots.core.api.routers import Router

from .links import SafetyHazardMatterViewSet, SafetyMatterLeadViewSet
from .views import ChecklistViewSet, HazardViewSet, PremisesViewSet

router = Router()
router.register("premises", PremisesViewSet, basename="safety-premises")
router.register("checklists", ChecklistViewSet, basename="safety-checklist")
router.register("hazards", HazardViewSet, basename="safety-hazard")
# Hazards and matters linked both ways (ADR 0039): one POST endpoint each.
router.register("matters", SafetyMatterLeadViewSet, basename="safety-matter")
router.register("hazards", SafetyHazardMatterViewSet, basename="safety-hazard-link")

urlpatterns = router.urls
