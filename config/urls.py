from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from grassroots.core import views as core_views
from grassroots.core import views_staff

urlpatterns = [
    path("", core_views.public_home, name="public-home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("accounts/", include("grassroots.accounts.urls")),
    path("regions/", include("grassroots.regions.urls")),
    path("notifications/", views_staff.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views_staff.notification_read, name="notification-read"),
    path("audit/", views_staff.audit_log, name="audit-log"),
    path("audit/verify/", views_staff.audit_verify_view, name="audit-verify"),
    path("api/v1/", include(("config.api", "api"), namespace="api")),
    path("api/v1/schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("api/docs/", login_not_required(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="swagger-ui"),
    path("admin/", admin.site.urls),
]
