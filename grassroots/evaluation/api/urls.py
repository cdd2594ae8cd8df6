"""/api/v1/evaluation/ routes (URL names in the `api` namespace, prefixed `evaluation-`)."""

from django.urls import path

from grassroots.core.api.routers import Router

from .ranking import RankingPublishView, RankingRuleView, RankingView
from .views import BoardView, SessionViewSet, VoteView

router = Router()
router.register("sessions", SessionViewSet, basename="evaluation-session")

urlpatterns = [
    path("sessions/<id:pk>/vote", VoteView.as_view(), name="evaluation-vote"),
    path("sessions/<id:pk>/board", BoardView.as_view(), name="evaluation-board"),
    path("ranking", RankingView.as_view(), name="evaluation-ranking"),
    path("ranking/rule", RankingRuleView.as_view(), name="evaluation-ranking-rule"),
    path("ranking/publish", RankingPublishView.as_view(), name="evaluation-ranking-publish"),
    *router.urls,
]
