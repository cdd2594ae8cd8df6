"""Party pages under /party/ (VIEW_PARTY; writes need MANAGE_PARTY). A staff
user who is a party member also opens the QR sign-in page, their own pairs
and the published 红黄榜."""

from django.urls import path

from . import views

app_name = "party"

urlpatterns = [
    path("", views.branch_list, name="home"),
    path("branches/new/", views.branch_new, name="branch-new"),
    path("branches/<id:pk>/", views.branch_detail, name="branch"),
    path("branches/<id:pk>/members/new/", views.member_new, name="member-new"),
    path("members/<id:pk>/", views.member_detail, name="member"),
    path("members/<id:pk>/reveal/", views.member_reveal, name="member-reveal"),
    path("pairs/", views.pair_list, name="pairs"),
    path("pairs/new/", views.pair_new, name="pair-new"),
    path("pairs/<id:pk>/", views.pair_detail, name="pair"),
    path("pairs/<id:pk>/visit/", views.pair_visit, name="pair-visit"),
    path("trainings/", views.training_list, name="trainings"),
    path("trainings/new/", views.training_new, name="training-new"),
    path("trainings/<id:pk>/", views.training_detail, name="training"),
    path("trainings/hours/", views.training_hours, name="hours"),
    path("sign/<str:token>/", views.sign_in, name="sign-in"),
    path("board/", views.board, name="board"),
    path("board/compute/", views.board_compute, name="board-compute"),
    path("board/<id:pk>/publish/", views.board_publish, name="board-publish"),
    path("board/<id:pk>/withdraw/", views.board_withdraw, name="board-withdraw"),
    path("board/rule/", views.rule, name="rule"),
]
