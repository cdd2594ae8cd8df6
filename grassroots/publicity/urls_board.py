"""LED boards, plain text for LED controllers, Atom feeds and printed notices under /notices/ (no login)."""

from django.urls import path

from . import views_board as views

app_name = "notices-board"

urlpatterns = [
    path("v/<id:village_id>/led/", views.led, name="led"),
    path("v/<id:village_id>/led/compact/", views.led_compact, name="led-compact"),
    path("v/<id:village_id>/led.txt", views.led_text, name="led-text"),
    path("v/<id:village_id>/feed.atom", views.feed, name="feed"),
    path("<id:pk>/notice.pdf", views.notice_pdf, name="notice-pdf"),
]
