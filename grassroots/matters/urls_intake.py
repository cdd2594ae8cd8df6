"""Staff intake pages under /intake/ (login; RECORD_MATTERS or RECORD_VISITS)."""

from django.urls import path

from .views import intake as views

app_name = "matters-intake"

urlpatterns = [
    path("relay/", views.relay, name="relay"),
    path("hotline/", views.hotline, name="hotline"),
    path("places/", views.places, name="places"),
    path("visit/", views.visit, name="visit"),
    path("visit/households/", views.visit_households, name="visit-households"),
    path("visits/", views.visit_list, name="visits"),
    path("visits/<id:pk>/", views.visit_done, name="visit-done"),
]
