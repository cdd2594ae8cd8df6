"""Window staff pages (/registration/). Names are prefixed by part (appt-,
app-, cert-) and share this namespace."""

from django.urls import URLPattern, path

from .views import applications, applications_actions, appointments, certificates

app_name = "registration"

urlpatterns: list[URLPattern] = [
    # Appointments
    path("appointments/", appointments.calendar, name="appt-calendar"),
    path("appointments/<id:pk>/mark/", appointments.mark, name="appt-mark"),
    # Applications
    path("applications/", applications.queue, name="app-list"),
    path("applications/new/", applications.new, name="app-new"),
    path("applications/<id:pk>/", applications.detail, name="app-detail"),
    path("applications/<id:pk>/edit/", applications.edit, name="app-edit"),
    path("applications/<id:pk>/act/<slug:name>/", applications_actions.action, name="app-action"),
    path("applications/<id:pk>/materials/<id:material_pk>/", applications.material_file, name="app-material"),
    path(
        "applications/<id:pk>/return-notices/<id:notice_pk>/pdf/",
        applications.return_notice_pdf,
        name="app-return-notice-pdf",
    ),
    path("applications/<id:pk>/acceptance/pdf/", applications.acceptance_pdf, name="app-acceptance-pdf"),
    path("applications/<id:pk>/commitment/pdf/", applications.commitment_pdf, name="app-commitment-pdf"),
    # Organisations, certificates, renewal by mail and statistics
    path("organisations/", certificates.organisation_list, name="cert-organisations"),
    path("organisations/<id:pk>/", certificates.organisation_detail, name="cert-organisation"),
    path("organisations/<id:pk>/revoke/", certificates.organisation_revoke, name="cert-organisation-revoke"),
    path("organisations/<id:pk>/phones/", certificates.organisation_phones, name="cert-organisation-phones"),
    path("certificates/<id:pk>/pdf/", certificates.certificate_pdf, name="cert-certificate-pdf"),
    path("renewals/", certificates.renewals, name="cert-renewals"),
    path("renewals/<id:pk>/received/", certificates.renewal_received, name="cert-renewal-received"),
    path("renewals/<id:pk>/mail-out/", certificates.renewal_mail_out, name="cert-renewal-mail-out"),
    path("renewals/<id:pk>/void/", certificates.renewal_void, name="cert-renewal-void"),
    path("stats/", certificates.stats_page, name="cert-stats"),
    path("stats/export/", certificates.stats_export, name="cert-stats-export"),
]
