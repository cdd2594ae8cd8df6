"""The public status page a rectification notice's QR code opens, under
/safety-check/ (namespace `safety-public`; no login, no personal data)."""

from django.urls import path

from . import views

app_name = "safety-public"

urlpatterns = [path("<str:code>/", views.hazard_check, name="check")]
