"""Staff pages under /publicity/ (PUBLISH)."""

from django.urls import path

from .views import staff as views

app_name = "publicity"

urlpatterns = [
    path("", views.publication_list, name="list"),
    path("new/resolution/<id:meeting_id>/", views.publication_new_resolution, name="new-resolution"),
    path("new/appraisal/<id:session_id>/", views.publication_new_appraisal, name="new-appraisal"),
    path("<id:pk>/", views.publication_detail, name="detail"),
    path("<id:pk>/edit/", views.publication_edit, name="edit"),
    path("<id:pk>/publish/", views.publication_publish, name="publish"),
    path("<id:pk>/withdraw/", views.publication_withdraw, name="withdraw"),
]
