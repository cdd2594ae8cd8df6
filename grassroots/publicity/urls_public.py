"""Public portal under /notices/ (no login)."""

from django.urls import path

from . import views_public as views

app_name = "notices"

urlpatterns = [
    path("", views.index, name="index"),
    path("v/<int:village_id>/", views.village, name="village"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/objection/", views.objection, name="objection"),
]
