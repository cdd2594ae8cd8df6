"""/api/v1/bigscreen/ routes (under the app's own prefix: docs/architecture.md, "API routes")."""

from django.urls import path

from .views import FiguresView

urlpatterns = [path("figures", FiguresView.as_view(), name="bigscreen-figures")]
