"""/api/v1/deliberation/ routes."""

from grassroots.core.api.routers import Router

from . import meetings, views

router = Router()
router.register("rules", views.RuleViewSet, basename="deliberation-rule")
router.register("meetings", meetings.MeetingViewSet, basename="deliberation-meeting")
router.register("invitations", meetings.InvitationViewSet, basename="deliberation-invitation")
router.register("items", meetings.AgendaItemViewSet, basename="deliberation-item")
router.register("resolutions", meetings.ResolutionViewSet, basename="deliberation-resolution")
router.register("proposals", views.ProposalViewSet, basename="deliberation-proposal")
router.register("weekly", views.WeeklyViewSet, basename="deliberation-weekly")

urlpatterns = router.urls
