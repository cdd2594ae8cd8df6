from django.urls import path

from . import views

app_name = "bigscreen"

urlpatterns = [
    path("", views.home, name="home"),
    path("screen/", views.screen, name="screen"),
    path("screen/data.json", views.data, name="data"),
    path("k/<str:secret>/", views.kiosk, name="kiosk"),
    path("k/<str:secret>/data.json", views.kiosk_data, name="kiosk-data"),
    path("tokens/<int:pk>/revoke", views.token_revoke, name="token-revoke"),
]
