"""/api/v1/publicity/ routes (URL names in the `api` namespace, prefixed `publicity-`)."""

from rest_framework.routers import DefaultRouter

from .views import PublicationViewSet

router = DefaultRouter(trailing_slash=False)
router.include_root_view = False
router.register("publications", PublicationViewSet, basename="publicity-publication")

urlpatterns = [*router.urls]
