"""/api/v1/publicity/ routes (URL names in the `api` namespace, prefixed `publicity-`)."""

from grassroots.core.api.routers import Router

from .views import PublicationViewSet

router = Router()
router.register("publications", PublicationViewSet, basename="publicity-publication")

urlpatterns = router.urls
