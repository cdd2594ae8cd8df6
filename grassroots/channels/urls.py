"""Staff pages under /channels/ (MANAGE_ROBOTS for groups, PUBLISH for pushing,
MANAGE_CHANNELS for 渠道配置)."""

from django.urls import path

from .views import admin as admin_views
from .views import staff as views

app_name = "channels"

urlpatterns = [
    path("robots/", views.robot_list, name="robots"),
    path("robots/<id:pk>/retire/", views.robot_retire, name="robot-retire"),
    path("publications/<id:pk>/", views.publication_push, name="publication"),
    path("posts/<id:pk>/retry/", views.post_retry, name="post-retry"),
    path("settings/", admin_views.channel_settings, name="settings"),
    path("settings/<str:channel>/save/", admin_views.channel_settings_save, name="settings-save"),
    path("settings/test-sms/", admin_views.channel_test_sms, name="settings-test-sms"),
]
