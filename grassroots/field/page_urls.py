"""The field app's pages: the shell, its manifest and its service worker
(ADR 0055), included by urls.py under the `field` namespace. The API is
under /api/v1/field/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.shell, name="shell"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="sw"),
]
