"""/field/: the PWA's pages (its shell, manifest and service worker), kept in
`page_urls.py` by the app's front end (ADR 0054). The API is under /api/v1/field/."""

from django.urls import include, path

app_name = "field"

urlpatterns = [
    path("", include("grassroots.field.page_urls")),
]
