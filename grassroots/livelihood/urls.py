"""Staff pages under /livelihood/ (VIEW_CARE; writes need their own capability)."""

from django.urls import path

from . import views

app_name = "livelihood"

urlpatterns = [
    path("", views.index, name="index"),
    path("coverage/export/", views.coverage_export, name="coverage-export"),
    path("grids/<id:pk>/<str:kind>/", views.care_list, name="list"),
    path("grids/<id:pk>/<str:kind>/print.pdf", views.care_list_print, name="list-print"),
    path("grids/<id:pk>/<str:kind>/export/", views.care_list_export, name="list-export"),
    path("residents/<id:pk>/visit/<str:kind>/", views.visit_new, name="visit-new"),
    path("visits/", views.visit_list, name="visits"),
    path("visits/<id:pk>/", views.visit_detail, name="visit"),
    path("visits/<id:pk>/matter/", views.visit_to_matter, name="visit-matter"),
    path("health-rounds/", views.health_round_list, name="health-rounds"),
    path("health-rounds/new/", views.health_round_new, name="health-round-new"),
    path("flags/", views.flag_list, name="flags"),
    path("flags/new/", views.flag_new, name="flag-new"),
    path("flags/<id:pk>/end/", views.flag_end, name="flag-end"),
    path("flags/<id:pk>/restore/", views.flag_restore, name="flag-restore"),
    path("projects/", views.project_list, name="projects"),
    path("projects/new/", views.project_new, name="project-new"),
    path("projects/<id:pk>/", views.project_detail, name="project"),
    path("projects/<id:pk>/photos/", views.project_photo_add, name="project-photo-add"),
    path("projects/photos/<id:pk>/", views.project_photo, name="project-photo"),
    path("milestones/<id:pk>/reach/", views.milestone_reach, name="milestone-reach"),
    path("activities/", views.activity_calendar, name="activities"),
    path("activities/new/", views.activity_new, name="activity-new"),
    path("activities/<id:pk>/", views.activity_detail, name="activity"),
    path("activities/<id:pk>/register/", views.activity_register, name="activity-register"),
    path("activities/<id:pk>/photos/", views.activity_photo_add, name="activity-photo-add"),
    path("activities/photos/<id:pk>/", views.activity_photo, name="activity-photo"),
    path("activities/<id:pk>/check-in/", views.activity_check_in, name="activity-check-in"),
    path("registrations/<id:pk>/attend/", views.registration_attend, name="registration-attend"),
]
