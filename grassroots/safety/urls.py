"""Staff pages under /safety/ (VIEW_SAFETY; writes need their own capability)."""

from django.urls import path

from . import views

app_name = "safety"

urlpatterns = [
    path("", views.premises_list, name="list"),
    path("premises/new/", views.premises_new, name="premises-new"),
    path("premises/<id:pk>/", views.premises_detail, name="premises"),
    path("premises/<id:pk>/edit/", views.premises_edit, name="premises-edit"),
    path("premises/<id:pk>/close/", views.premises_close, name="premises-close"),
    path("premises/<id:pk>/reopen/", views.premises_reopen, name="premises-reopen"),
    path("premises/<id:pk>/inspect/", views.inspection_new, name="inspect"),
    path("inspections/<id:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/photos/<id:pk>/", views.inspection_photo, name="inspection-photo"),
    path("inspections/<id:pk>/raise/", views.hazard_raise, name="hazard-raise"),
    path("hazards/", views.hazard_list, name="hazards"),
    path("hazards/<id:pk>/", views.hazard_detail, name="hazard"),
    path("hazards/<id:pk>/issue-notice/", views.hazard_issue_notice, name="hazard-issue-notice"),
    path("hazards/<id:pk>/rectify/", views.hazard_rectify, name="hazard-rectify"),
    path("hazards/<id:pk>/reinspect/", views.hazard_reinspect, name="hazard-reinspect"),
    path("hazards/<id:pk>/refer/", views.hazard_refer, name="hazard-refer"),
    path("hazards/<id:pk>/notice.pdf", views.hazard_notice, name="hazard-notice"),
    path("hazards/<id:pk>/evidence/", views.hazard_evidence, name="hazard-evidence"),
    path("hazards/<id:pk>/open-matter/", views.hazard_open_matter, name="hazard-open-matter"),
    path("leads/<id:pk>/", views.matter_lead, name="lead"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/open/", views.campaign_open, name="campaign-open"),
    path("campaigns/<id:pk>/", views.campaign_detail, name="campaign"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export/", views.statistics_export, name="statistics-export"),
    path("checklists/", views.checklist_list, name="checklists"),
    path("checklists/<id:pk>/", views.checklist_detail, name="checklist"),
    path("checklists/<id:pk>/publish/", views.checklist_publish, name="checklist-publish"),
]
