"""/api/v1/deliberation/ routes."""

from rest_framework.routers import SimpleRouter

from . import meetings, views

router = SimpleRouter(trailing_slash=False)
router.register("rules", views.RuleViewSet, basename="deliberation-rule")
router.register("meetings", meetings.MeetingViewSet, basename="deliberation-meeting")
router.register("invitations", meetings.InvitationViewSet, basename="deliberation-invitation")
router.register("items", meetings.AgendaItemViewSet, basename="deliberation-item")
router.register("resolutions", meetings.ResolutionViewSet, basename="deliberation-resolution")
router.register("proposals", views.ProposalViewSet, basename="deliberation-proposal")
router.register("weekly", views.WeeklyViewSet, basename="deliberation-weekly")

urlpatterns = router.urls
