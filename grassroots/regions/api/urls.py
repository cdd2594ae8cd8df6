"""/api/v1/ routes of regions: the tree and residents."""

from grassroots.core.api.routers import Router

from .views import NodeViewSet, ResidentViewSet

router = Router()
router.register("nodes", NodeViewSet, basename="node")
router.register("residents", ResidentViewSet, basename="resident")

urlpatterns = router.urls
