"""/api/v1/ routes of matters: matters, categories and reopen requests."""

from grassroots.core.api.routers import Router

from .views import CategoryViewSet, MatterViewSet, ReopenRequestViewSet

router = Router()
router.register("matters", MatterViewSet, basename="matter")
router.register("categories", CategoryViewSet, basename="category")
router.register("reopen-requests", ReopenRequestViewSet, basename="reopen-request")

urlpatterns = router.urls
