"""Public URLs for the one-time notice and appointments; concatenated into
registration-public by urls_public.py."""

from django.urls import URLPattern, path

from . import views_appointments, views_public_notice

urlpatterns: list[URLPattern] = [
    path("notice/", views_public_notice.notice, name="appt-notice"),
    path("notice/pdf/", views_public_notice.notice_pdf_view, name="appt-notice-pdf"),
    path("notice/templates/<slug:key>/", views_public_notice.template_download, name="appt-template"),
    path("book/", views_appointments.book, name="appt-book"),
    path("book/done/", views_appointments.book_done, name="appt-book-done"),
    path("book/cancel/<str:token>/", views_appointments.cancel, name="appt-cancel"),
]
