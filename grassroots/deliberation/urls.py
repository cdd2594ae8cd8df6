from django.urls import path

from . import views
from .views import public as views_public

app_name = "deliberation"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("meetings/<id:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<id:pk>/act/<slug:action>/", views.meeting_action, name="meeting-action"),
    path("meetings/<id:pk>/agenda/", views.agenda_add, name="agenda-add"),
    path("meetings/<id:pk>/minutes.pdf", views.minutes_pdf, name="minutes-pdf"),
    path("meetings/<id:pk>/invite/", views.invite, name="invite"),
    path("invitations/<id:pk>/check-in/", views.check_in, name="check-in"),
    path("invitations/<id:pk>/remove/", views.uninvite, name="uninvite"),
    path("items/<id:pk>/resolution/", views.resolution_new, name="resolution-new"),
    path("resolutions/<id:pk>/correct/", views.resolution_fix, name="resolution-fix"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<id:pk>/publish/", views.rule_publish, name="rule-publish"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("weekly/", views.weekly_page, name="weekly"),
    path("public/rules/", views_public.public_rules, name="public-rules"),
    path("public/decisions/", views_public.public_decisions, name="public-decisions"),
    path("public/propose/", views_public.public_propose, name="public-propose"),
    path("public/villages/<id:pk>/calendar.ics", views_public.village_calendar, name="calendar"),
    path("public/r/<str:token>/", views_public.representative_home, name="rep-home"),
]
