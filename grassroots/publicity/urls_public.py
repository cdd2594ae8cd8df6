"""Public portal under /notices/ (no login); and the LED boards, plain text
for LED controllers, Atom feeds and printed notices, also under /notices/,
included by config/urls.py as `board_urlpatterns` under their own namespace."""

from django.urls import path

from .views import board as views_board
from .views import public as views

app_name = "notices"

urlpatterns = [
    path("", views.index, name="index"),
    path("v/<id:village_id>/", views.village, name="village"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/objection/", views.objection, name="objection"),
]

# Namespace "notices-board", under /notices/.
board_urlpatterns = [
    path("v/<id:village_id>/led/", views_board.led, name="led"),
    path("v/<id:village_id>/led/compact/", views_board.led_compact, name="led-compact"),
    path("v/<id:village_id>/led.txt", views_board.led_text, name="led-text"),
    path("v/<id:village_id>/feed.atom", views_board.feed, name="feed"),
    path("<id:pk>/notice.pdf", views_board.notice_pdf, name="notice-pdf"),
]
