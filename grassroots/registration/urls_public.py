"""Public pages for applicants (/socialorg/), no login."""

from . import urls_public_applications, urls_public_appointments, urls_public_certificates

app_name = "registration-public"

urlpatterns = [
    *urls_public_appointments.urlpatterns,
    *urls_public_applications.urlpatterns,
    *urls_public_certificates.urlpatterns,
]
