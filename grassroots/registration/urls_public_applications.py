"""Public URLs for applications; concatenated into registration-public by urls_public.py."""

from django.urls import URLPattern, path

from . import views_public_applications as views

urlpatterns: list[URLPattern] = [
    path("apply/", views.apply, name="app-apply"),
    path("apply/<slug:service>/", views.apply_form, name="app-apply-form"),
    path("track/", views.track_lookup, name="app-track-lookup"),
    path("track/<str:code>/", views.track, name="app-track"),
    path("track/<str:code>/edit/", views.edit, name="app-public-edit"),
    path("track/<str:code>/act/<slug:name>/", views.act, name="app-public-action"),
    path("track/<str:code>/materials/<id:material_pk>/", views.material_file, name="app-public-material"),
    path(
        "track/<str:code>/return-notices/<id:notice_pk>/pdf/",
        views.return_notice_pdf,
        name="app-public-return-notice-pdf",
    ),
    path("track/<str:code>/acceptance/pdf/", views.acceptance_pdf, name="app-public-acceptance-pdf"),
    path("track/<str:code>/commitment/pdf/", views.commitment_pdf, name="app-public-commitment-pdf"),
]
