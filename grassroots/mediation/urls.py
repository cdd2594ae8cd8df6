from django.urls import path

from .views import case as views_case
from .views import centre as views_centre
from .views import queue as views
from .views import referrals as views_referrals
from .views import sessions as views_sessions

app_name = "mediation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.register, name="register"),
    path("cases/<id:pk>/", views_case.case_detail, name="case"),
    path("cases/<id:pk>/agreement.pdf", views_sessions.agreement_download, name="agreement-pdf"),
    path("cases/<id:pk>/act/<slug:action>/", views_case.case_action, name="case-action"),
    path("sessions/<id:pk>/record/", views_sessions.session_record, name="session-record"),
    path("sessions/<id:pk>/cancel/", views_sessions.session_cancel, name="session-cancel"),
    path("parties/<id:pk>/reveal/", views_sessions.party_reveal_view, name="party-reveal"),
    path("teams/", views_centre.team_overview, name="teams"),
    path("stats/", views_centre.statistics, name="stats"),
    path("mine/", views_centre.my_work, name="mine"),
    path("grids/", views_centre.adviser_grids, name="grids"),
    path("consultations/", views_centre.consultation_log, name="consultations"),
    path("transfer/<id:matter_pk>/", views_centre.transfer, name="transfer"),
    path("refer/<id:matter_pk>/", views_referrals.refer, name="refer"),
    path("referrals/", views_referrals.referral_list, name="referrals"),
    path("referrals/<id:pk>/", views_referrals.referral_detail, name="referral"),
    path("referrals/<id:pk>/accept/", views_referrals.referral_accept, name="referral-accept"),
    path("referrals/<id:pk>/return/", views_referrals.referral_return, name="referral-return"),
    path(
        "cases/<id:pk>/matter-files/<id:attachment_pk>/",
        views_referrals.case_matter_attachment,
        name="case-matter-attachment",
    ),
]
