"""Public pages under /ballot/ (no login)."""

from django.urls import path

from .views import public as views

app_name = "ballot"

urlpatterns = [
    path("", views.index, name="index"),
    path("<id:pk>/vote", views.vote, name="vote"),
    path("<id:pk>/board", views.board_page, name="board"),
    path("<id:pk>/board.json", views.board_json, name="board-json"),
]
