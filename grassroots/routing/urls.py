"""Staff pages under /routing/."""

from django.urls import path

from . import views

app_name = "routing"

urlpatterns = [
    path("suggest/", views.suggest, name="suggest"),
    path("accuracy/", views.accuracy, name="accuracy"),
]
