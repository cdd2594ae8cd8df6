"""Staff URLs for applications; concatenated into the registration namespace by urls.py."""

from django.urls import URLPattern, path

from . import views_applications as views
from . import views_applications_actions as actions

urlpatterns: list[URLPattern] = [
    path("applications/", views.queue, name="app-list"),
    path("applications/new/", views.new, name="app-new"),
    path("applications/<id:pk>/", views.detail, name="app-detail"),
    path("applications/<id:pk>/edit/", views.edit, name="app-edit"),
    path("applications/<id:pk>/act/<slug:name>/", actions.action, name="app-action"),
    path("applications/<id:pk>/materials/<id:material_pk>/", views.material_file, name="app-material"),
    path(
        "applications/<id:pk>/return-notices/<id:notice_pk>/pdf/",
        views.return_notice_pdf,
        name="app-return-notice-pdf",
    ),
    path("applications/<id:pk>/acceptance/pdf/", views.acceptance_pdf, name="app-acceptance-pdf"),
    path("applications/<id:pk>/commitment/pdf/", views.commitment_pdf, name="app-commitment-pdf"),
]
