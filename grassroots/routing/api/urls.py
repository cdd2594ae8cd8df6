"""/api/v1/routing/ routes (under the app's own prefix)."""

from grassroots.core.api.routers import Router

from .views import AccuracyViewSet, SuggestViewSet

router = Router()
router.register("suggest", SuggestViewSet, basename="routing-suggest")
router.register("accuracy", AccuracyViewSet, basename="routing-accuracy")

urlpatterns = router.urls
