"""Public URLs (no login) for the directory, verification, renewal by mail and
the applicant's certificate; concatenated into registration-public by
urls_public.py (names cert-…)."""

from django.urls import path

from . import views_public_directory as views

urlpatterns = [
    path("directory/", views.directory_list, name="cert-directory"),
    path("directory/<str:code>/", views.organisation_page, name="cert-directory-organisation"),
    path("verify/", views.verify_form, name="cert-verify-form"),
    path("verify/<str:code>/", views.verify, name="cert-verify"),
    path("renew/", views.renew, name="cert-renew"),
    path("renew/check/", views.renew_check, name="cert-renew-check"),
    path("renew/verify/<str:token>/", views.renew_verify, name="cert-renew-verify"),
    path("renew/verify/<str:token>/resend/", views.renew_resend, name="cert-renew-resend"),
    path("renew/done/<str:code>/", views.renew_done, name="cert-renew-done"),
    path("certificate/<str:code>/pdf/", views.applicant_certificate_pdf, name="cert-applicant-pdf"),
]
