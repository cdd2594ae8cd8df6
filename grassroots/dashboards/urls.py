"""Staff pages under /dashboards/ (VIEW_DASHBOARD; each panel needs its app's capability)."""

from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.dashboard, name="home"),
    path("nodes/<id:pk>/", views.node_dashboard, name="node"),
]
