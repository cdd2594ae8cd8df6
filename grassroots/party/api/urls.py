"""/api/v1/party/ routes (under the app's own prefix: docs/architecture.md, "API routes")."""

from grassroots.core.api.routers import Router

from .views import BoardViewSet, BranchViewSet, MemberViewSet, PairViewSet, TrainingViewSet

router = Router()
router.register("branches", BranchViewSet, basename="party-branch")
router.register("members", MemberViewSet, basename="party-member")
router.register("pairs", PairViewSet, basename="party-pair")
router.register("trainings", TrainingViewSet, basename="party-training")
router.register("boards", BoardViewSet, basename="party-board")

urlpatterns = router.urls
