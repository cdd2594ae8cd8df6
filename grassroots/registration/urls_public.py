"""Public pages for applicants (/socialorg/), no login."""

from django.urls import path

from . import urls_public_applications, urls_public_appointments, urls_public_certificates, views_public_home

app_name = "registration-public"

urlpatterns = [
    path("", views_public_home.home, name="home"),
    *urls_public_appointments.urlpatterns,
    *urls_public_applications.urlpatterns,
    *urls_public_certificates.urlpatterns,
]
