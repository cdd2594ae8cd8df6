"""Public pages for applicants (/socialorg/), no login. Names are prefixed by
part (appt-, app-, cert-) and share this namespace."""

from django.urls import URLPattern, path

from .views import appointments, public_applications, public_directory, public_home, public_notice

app_name = "registration-public"

urlpatterns: list[URLPattern] = [
    path("", public_home.home, name="home"),
    # The one-time notice and appointments
    path("notice/", public_notice.notice, name="appt-notice"),
    path("notice/pdf/", public_notice.notice_pdf_view, name="appt-notice-pdf"),
    path("notice/templates/<slug:key>/", public_notice.template_download, name="appt-template"),
    path("book/", appointments.book, name="appt-book"),
    path("book/done/", appointments.book_done, name="appt-book-done"),
    path("book/cancel/<str:token>/", appointments.cancel, name="appt-cancel"),
    # Applications
    path("apply/", public_applications.apply, name="app-apply"),
    path("apply/<slug:service>/", public_applications.apply_form, name="app-apply-form"),
    path("track/", public_applications.track_lookup, name="app-track-lookup"),
    path("track/<str:code>/", public_applications.track, name="app-track"),
    path("track/<str:code>/edit/", public_applications.edit, name="app-public-edit"),
    path("track/<str:code>/act/<slug:name>/", public_applications.act, name="app-public-action"),
    path("track/<str:code>/materials/<id:material_pk>/", public_applications.material_file, name="app-public-material"),
    path(
        "track/<str:code>/return-notices/<id:notice_pk>/pdf/",
        public_applications.return_notice_pdf,
        name="app-public-return-notice-pdf",
    ),
    path("track/<str:code>/acceptance/pdf/", public_applications.acceptance_pdf, name="app-public-acceptance-pdf"),
    path("track/<str:code>/commitment/pdf/", public_applications.commitment_pdf, name="app-public-commitment-pdf"),
    # Directory, verification, renewal by mail and the applicant's certificate
    path("directory/", public_directory.directory_list, name="cert-directory"),
    path("directory/<str:code>/", public_directory.organisation_page, name="cert-directory-organisation"),
    path("verify/", public_directory.verify_form, name="cert-verify-form"),
    path("verify/<str:code>/", public_directory.verify, name="cert-verify"),
    path("renew/", public_directory.renew, name="cert-renew"),
    path("renew/check/", public_directory.renew_check, name="cert-renew-check"),
    path("renew/verify/<str:token>/", public_directory.renew_verify, name="cert-renew-verify"),
    path("renew/verify/<str:token>/resend/", public_directory.renew_resend, name="cert-renew-resend"),
    path("renew/done/<str:code>/", public_directory.renew_done, name="cert-renew-done"),
    path("certificate/<str:code>/pdf/", public_directory.applicant_certificate_pdf, name="cert-applicant-pdf"),
]
