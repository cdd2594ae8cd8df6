from django.urls import path

from . import views, views_case, views_centre, views_referrals

app_name = "mediation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.register, name="register"),
    path("cases/<int:pk>/", views_case.case_detail, name="case"),
    path("cases/<int:pk>/agreement.pdf", views_case.agreement_download, name="agreement-pdf"),
    path("cases/<int:pk>/act/<slug:action>/", views_case.case_action, name="case-action"),
    path("sessions/<int:pk>/record/", views_case.session_record, name="session-record"),
    path("sessions/<int:pk>/cancel/", views_case.session_cancel, name="session-cancel"),
    path("parties/<int:pk>/reveal/", views_case.party_reveal_view, name="party-reveal"),
    path("teams/", views_centre.team_overview, name="teams"),
    path("stats/", views_centre.statistics, name="stats"),
    path("mine/", views_centre.my_work, name="mine"),
    path("grids/", views_centre.adviser_grids, name="grids"),
    path("consultations/", views_centre.consultation_log, name="consultations"),
    path("transfer/<int:matter_pk>/", views_centre.transfer, name="transfer"),
    path("refer/<int:matter_pk>/", views_referrals.refer, name="refer"),
    path("referrals/", views_referrals.referral_list, name="referrals"),
    path("referrals/<int:pk>/", views_referrals.referral_detail, name="referral"),
    path("referrals/<int:pk>/accept/", views_referrals.referral_accept, name="referral-accept"),
    path("referrals/<int:pk>/return/", views_referrals.referral_return, name="referral-return"),
    path(
        "cases/<int:pk>/matter-files/<int:attachment_pk>/",
        views_referrals.case_matter_attachment,
        name="case-matter-attachment",
    ),
]
