"""Staff pages under /evaluation/ (RUN_APPRAISALS)."""

from django.urls import path

from . import views, views_ranking

app_name = "evaluation"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("new/", views.session_new, name="new"),
    path("ranking/", views_ranking.ranking_page, name="ranking"),
    path("ranking/rule/", views_ranking.ranking_rule, name="ranking-rule"),
    path("ranking/publish/", views_ranking.ranking_publish, name="ranking-publish"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/refresh/", views.session_refresh, name="refresh"),
    path("<int:pk>/items/<int:item_id>/remove/", views.item_remove, name="item-remove"),
    path("<int:pk>/roster/<int:entry_id>/remove/", views.roster_remove, name="roster-remove"),
    path("<int:pk>/freeze/", views.session_freeze, name="freeze"),
    path("<int:pk>/slips.pdf", views.slips_print, name="slips"),
    path("<int:pk>/close/", views.session_close, name="close"),
    path("<int:pk>/paper/", views.paper_tally, name="paper"),
]
