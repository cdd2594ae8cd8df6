"""Staff pages under /channels/ (MANAGE_ROBOTS for groups, PUBLISH for pushing)."""

from django.urls import path

from .views import staff as views

app_name = "channels"

urlpatterns = [
    path("robots/", views.robot_list, name="robots"),
    path("robots/<id:pk>/retire/", views.robot_retire, name="robot-retire"),
    path("publications/<id:pk>/", views.publication_push, name="publication"),
    path("posts/<id:pk>/retry/", views.post_retry, name="post-retry"),
]
