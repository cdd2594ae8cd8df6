"""/api/v1/registration/ routes (URL names in the `api` namespace, prefixed
appt-, app-, cert-). The convention of every app (docs/architecture.md): a
resource is a viewset registered with core's Router, each transition one of
its actions; a plain path only for a lookup that is no resource."""

from django.urls import path

from grassroots.core.api.routers import Router

from .applications import ApplicationViewSet
from .applications_public import PublicApplicationViewSet
from .appointments import AppointmentViewSet, DateListView, NoticeView, ServiceListView, SlotListView
from .certificates import CertificateViewSet, DirectoryViewSet, OrganisationViewSet, Stats, Verify
from .renewals import RenewalViewSet

router = Router()
router.register("appointments", AppointmentViewSet, basename="appt")
router.register("applications", ApplicationViewSet, basename="app")
router.register("public/applications", PublicApplicationViewSet, basename="app-public")
router.register("organisations", OrganisationViewSet, basename="cert-organisation")
router.register("certificates", CertificateViewSet, basename="cert-certificate")
router.register("directory", DirectoryViewSet, basename="cert-directory")
router.register("renewals", RenewalViewSet, basename="cert-renewal")

urlpatterns = [
    path("services", ServiceListView.as_view(), name="appt-services"),
    path("notice", NoticeView.as_view(), name="appt-notice"),
    path("appointment-dates", DateListView.as_view(), name="appt-dates"),
    path("slots", SlotListView.as_view(), name="appt-slots"),
    path("verify/<str:code>", Verify.as_view(), name="cert-verify"),
    path("stats", Stats.as_view(), name="cert-stats"),
    *router.urls,
]
