"""/api/v1/registration/ routes, one module per part."""

from . import applications, appointments, certificates

urlpatterns = [*appointments.urlpatterns, *applications.urlpatterns, *certificates.urlpatterns]
