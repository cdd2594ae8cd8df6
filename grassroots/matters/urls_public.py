"""Resident-facing pages under /report/ (no login)."""

from django.urls import path

from .views import public as views

app_name = "matters-public"

urlpatterns = [
    path("", views.report, name="report"),
    path("places/", views.places, name="places"),
    path("done/<str:code>/", views.done, name="done"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.status, name="status"),
    path("track/<str:code>/feedback/", views.feedback, name="feedback"),
    path("track/<str:code>/reopen/", views.reopen, name="reopen"),
    path("track/<str:code>/publicity/", views.publicity_consent, name="publicity"),
    path("track/<str:code>/notify/", views.contact_preference, name="notify"),
    path("track/<str:code>/files/<id:pk>/", views.attachment, name="attachment"),
]
