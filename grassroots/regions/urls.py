from django.urls import path

from .views import places as views_places
from .views import tree as views

app_name = "regions"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("<id:pk>/", views.node_detail, name="node"),
    path("residents/", views.resident_list, name="residents"),
    path("residents/export/", views.resident_export, name="resident-export"),
    path("residents/<id:pk>/", views.resident_detail, name="resident"),
    path("residents/<id:pk>/reveal/", views.resident_reveal_view, name="resident-reveal"),
    path("residents/<id:pk>/notify/", views.resident_preference_view, name="resident-notify"),
    path("places/villages/", views_places.public_villages, name="public-villages"),
]
