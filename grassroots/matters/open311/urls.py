"""Open311 GeoReport v2 under /open311/v2/: every resource ends in .json or
.xml (an unknown suffix answers 400 in the Open311 error format)."""

from django.urls import URLPattern, re_path

from . import views

app_name = "open311"

_FMT = r"\.(?P<fmt>[A-Za-z0-9]+)$"

urlpatterns: list[URLPattern] = [
    re_path(r"^services" + _FMT, views.services, name="services"),
    re_path(r"^services/(?P<service_code>[^/.]+)" + _FMT, views.service_definition, name="service"),
    re_path(r"^requests" + _FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<request_id>[^/.]+)" + _FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[^/.]+)" + _FMT, views.token_detail, name="token"),
]
