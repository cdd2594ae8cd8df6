from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from grassroots.accounts.views import staff as views_staff
from grassroots.core import views as core_views
from grassroots.core.notifications.sms import views as sms_views
from grassroots.matters import urls as matters_urls
from grassroots.publicity import urls_public as publicity_public_urls
from grassroots.site import views as site_views

urlpatterns = [
    path("", site_views.public_home, name="public-home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", login_not_required(RedirectView.as_view(url="/static/favicon.svg", permanent=True))),
    path("readyz", core_views.readyz, name="readyz"),
    path("accounts/", include("grassroots.accounts.urls")),
    path("regions/", include("grassroots.regions.urls")),
    path("exports/", include("grassroots.exports.urls")),
    path("matters/", include("grassroots.matters.urls")),
    path("intake/", include((matters_urls.intake_urlpatterns, "matters-intake"))),
    path("report/", include("grassroots.matters.urls_public")),
    path("open311/v2/", include("grassroots.matters.open311.urls")),
    path("registration/", include("grassroots.registration.urls")),
    path("socialorg/", include("grassroots.registration.urls_public")),
    path("mediation/", include("grassroots.mediation.urls")),
    path("deliberation/", include("grassroots.deliberation.urls")),
    path("evaluation/", include("grassroots.evaluation.urls")),
    path("ballot/", include("grassroots.evaluation.urls_public")),
    path("publicity/", include("grassroots.publicity.urls")),
    path("notices/", include("grassroots.publicity.urls_public")),
    path("notices/", include((publicity_public_urls.board_urlpatterns, "notices-board"))),
    path("addresses/", include("grassroots.addresses.urls")),
    path("safety/", include("grassroots.safety.urls")),
    path("relocation/", include("grassroots.relocation.urls")),
    path("party/", include("grassroots.party.urls")),
    path("livelihood/", include("grassroots.livelihood.urls")),
    path("economy/", include("grassroots.economy.urls")),
    path("indicators/", include("grassroots.indicators.urls")),
    path("dashboards/", include("grassroots.dashboards.urls")),
    path("bigscreen/", include("grassroots.bigscreen.urls")),
    path("routing/", include("grassroots.routing.urls")),
    path("safety-check/", include("grassroots.safety.urls_public")),
    path("channels/", include("grassroots.channels.urls")),
    path("wechat/", include("grassroots.channels.urls_public")),
    path("field/", include("grassroots.field.urls")),
    path("notifications/", views_staff.notifications, name="notifications"),
    path("notifications/<id:pk>/read/", views_staff.notification_read, name="notification-read"),
    path("notifications/sms/", views_staff.sms_outbox, name="sms-outbox"),
    path("sms/receipts/<str:provider>/<str:token>", sms_views.sms_receipt, name="sms-receipt"),
    path("audit/", views_staff.audit_log, name="audit-log"),
    path("audit/verify/", views_staff.audit_verify_view, name="audit-verify"),
    path("api/v1/", include(("config.api", "api"), namespace="api")),
    path("api/v1/schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("api/docs/", login_not_required(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="swagger-ui"),
    path("admin/", admin.site.urls),
]

# Under /api/ a path that matches nothing (a non-numeric or out-of-range id)
# and a crash answer RFC 7807 problem documents too (ADR 0029).
handler404 = "grassroots.core.api.problems.not_found"
handler500 = "grassroots.core.api.problems.server_error"
