"""Staff URLs for organisations, certificates, renewal by mail and statistics;
concatenated into the registration namespace by urls.py (names cert-…)."""

from django.urls import path

from . import views_certificates as views

urlpatterns = [
    path("organisations/", views.organisation_list, name="cert-organisations"),
    path("organisations/<id:pk>/", views.organisation_detail, name="cert-organisation"),
    path("organisations/<id:pk>/revoke/", views.organisation_revoke, name="cert-organisation-revoke"),
    path("organisations/<id:pk>/phones/", views.organisation_phones, name="cert-organisation-phones"),
    path("certificates/<id:pk>/pdf/", views.certificate_pdf, name="cert-certificate-pdf"),
    path("renewals/", views.renewals, name="cert-renewals"),
    path("renewals/<id:pk>/received/", views.renewal_received, name="cert-renewal-received"),
    path("renewals/<id:pk>/mail-out/", views.renewal_mail_out, name="cert-renewal-mail-out"),
    path("renewals/<id:pk>/void/", views.renewal_void, name="cert-renewal-void"),
    path("stats/", views.stats_page, name="cert-stats"),
    path("stats/export/", views.stats_export, name="cert-stats-export"),
]
