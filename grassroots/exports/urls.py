from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("approvals/", views.pending, name="pending"),
    path("approvals/<id:pk>/approve/", views.approve, name="approve"),
    path("approvals/<id:pk>/reject/", views.reject, name="reject"),
    path("<id:pk>/download/", views.download, name="download"),
    path("request/", views.request_page, name="request-page"),
    path("run/<slug:kind>/", views.run, name="run"),
    path("run/<slug:kind>/request/", views.request_create, name="request"),
]
