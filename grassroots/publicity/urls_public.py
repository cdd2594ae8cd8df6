"""Public portal under /notices/ (no login)."""

from django.urls import path

from . import views_public as views

app_name = "notices"

urlpatterns = [
    path("", views.index, name="index"),
    path("v/<id:village_id>/", views.village, name="village"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/objection/", views.objection, name="objection"),
]
