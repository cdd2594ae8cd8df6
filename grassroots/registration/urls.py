"""Window staff pages (/registration/). Each part keeps its own URL module;
names are prefixed by part (appt-, app-, cert-) and share this namespace."""

from . import urls_applications, urls_appointments, urls_certificates

app_name = "registration"

urlpatterns = [*urls_appointments.urlpatterns, *urls_applications.urlpatterns, *urls_certificates.urlpatterns]
