"""Staff URLs for appointments; concatenated into the registration namespace by urls.py."""

from django.urls import URLPattern, path

from . import views_appointments

urlpatterns: list[URLPattern] = [
    path("appointments/", views_appointments.calendar, name="appt-calendar"),
    path("appointments/<id:pk>/mark/", views_appointments.mark, name="appt-mark"),
]
