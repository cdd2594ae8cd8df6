"""/api/v1/mediation/ routes (URL names are in the `api` namespace, prefixed `mediation-`)."""

from django.urls import path

from grassroots.core.api.routers import Router

from .views import CaseViewSet
from .views_centre import (
    CommitteeViewSet,
    ConsultationViewSet,
    GridAdviserViewSet,
    PartyViewSet,
    SessionViewSet,
    StatsView,
    WorkloadView,
)
from .views_referrals import ReferralViewSet

router = Router()
router.register("cases", CaseViewSet, basename="mediation-case")
router.register("referrals", ReferralViewSet, basename="mediation-referral")
router.register("sessions", SessionViewSet, basename="mediation-session")
router.register("parties", PartyViewSet, basename="mediation-party")
router.register("committees", CommitteeViewSet, basename="mediation-committee")
router.register("grid-advisers", GridAdviserViewSet, basename="mediation-grid-adviser")
router.register("consultations", ConsultationViewSet, basename="mediation-consultation")

urlpatterns = [
    path("workloads", WorkloadView.as_view(), name="mediation-workloads"),
    path("stats", StatsView.as_view(), name="mediation-stats"),
    *router.urls,
]
