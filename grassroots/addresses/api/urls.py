"""/api/v1/ routes of addresses: the register and its campaigns (at the root,
beside the tree they extend: docs/architecture.md, "API routes")."""

from grassroots.core.api.routers import Router

from .views import AddressViewSet, CampaignViewSet

router = Router()
router.register("addresses", AddressViewSet, basename="address")
router.register("address-campaigns", CampaignViewSet, basename="address-campaign")

urlpatterns = router.urls
