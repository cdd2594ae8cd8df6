"""Staff pages under /evaluation/ (RUN_APPRAISALS)."""

from django.urls import path

from .views import ranking as views_ranking
from .views import sessions as views

app_name = "evaluation"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("new/", views.session_new, name="new"),
    path("ranking/", views_ranking.ranking_page, name="ranking"),
    path("ranking/rule/", views_ranking.ranking_rule, name="ranking-rule"),
    path("ranking/publish/", views_ranking.ranking_publish, name="ranking-publish"),
    path("<id:pk>/", views.session_detail, name="detail"),
    path("<id:pk>/refresh/", views.session_refresh, name="refresh"),
    path("<id:pk>/items/<id:item_id>/remove/", views.item_remove, name="item-remove"),
    path("<id:pk>/roster/<id:entry_id>/remove/", views.roster_remove, name="roster-remove"),
    path("<id:pk>/freeze/", views.session_freeze, name="freeze"),
    path("<id:pk>/slips.pdf", views.slips_print, name="slips"),
    path("<id:pk>/close/", views.session_close, name="close"),
    path("<id:pk>/paper/", views.paper_tally, name="paper"),
]
