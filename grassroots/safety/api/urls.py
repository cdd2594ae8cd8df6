"""/api/v1/safety/ routes: the premises register, checklists, hazards,
inspections, campaigns and statistics (under the app's own prefix:
docs/architecture.md, "API routes")."""

from django.urls import path

from grassroots.core.api.routers import Router

from .campaigns import CampaignViewSet
from .inspections import InspectionViewSet
from .links import SafetyHazardMatterViewSet, SafetyMatterLeadViewSet
from .statistics import StatisticsView
from .views import ChecklistViewSet, HazardViewSet, PremisesViewSet

router = Router()
router.register("premises", PremisesViewSet, basename="safety-premises")
router.register("checklists", ChecklistViewSet, basename="safety-checklist")
router.register("hazards", HazardViewSet, basename="safety-hazard")
# Hazards and matters linked both ways (ADR 0039): one POST endpoint each.
router.register("matters", SafetyMatterLeadViewSet, basename="safety-matter")
router.register("hazards", SafetyHazardMatterViewSet, basename="safety-hazard-link")
router.register("inspections", InspectionViewSet, basename="safety-inspection")
router.register("campaigns", CampaignViewSet, basename="safety-campaign")

urlpatterns = [
    *router.urls,
    path("statistics", StatisticsView.as_view(), name="safety-statistics"),
]
