"""Staff pages under /publicity/ (PUBLISH)."""

from django.urls import path

from . import views

app_name = "publicity"

urlpatterns = [
    path("", views.publication_list, name="list"),
    path("new/resolution/<int:meeting_id>/", views.publication_new_resolution, name="new-resolution"),
    path("new/appraisal/<int:session_id>/", views.publication_new_appraisal, name="new-appraisal"),
    path("<int:pk>/", views.publication_detail, name="detail"),
    path("<int:pk>/edit/", views.publication_edit, name="edit"),
    path("<int:pk>/publish/", views.publication_publish, name="publish"),
    path("<int:pk>/withdraw/", views.publication_withdraw, name="withdraw"),
]
