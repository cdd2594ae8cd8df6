"""Staff pages under /relocation/ (VIEW_RELOCATION; stages WORK_RELOCATION,
or WORK_ASSIGNED_RELOCATION for one's own units; imports, the daily report,
editing projects and batches and reassigning units MANAGE_RELOCATION). Each
stage is its own POST."""

from django.urls import path

from . import views
from .states import Action

app_name = "relocation"

urlpatterns = [
    path("", views.project_list, name="projects"),
    path("mine/", views.my_units, name="mine"),
    path("projects/new/", views.project_new, name="project-new"),
    path("projects/<id:pk>/batches/new/", views.batch_new, name="batch-new"),
    path("projects/<id:pk>/", views.project_dashboard, name="project"),
    path("projects/<id:pk>/edit/", views.project_edit, name="project-edit"),
    path("projects/<id:pk>/reassign/", views.reassign, name="reassign"),
    path("batches/<id:pk>/edit/", views.batch_edit, name="batch-edit"),
    path("projects/<id:pk>/units/", views.unit_list, name="units"),
    path("projects/<id:pk>/report.pdf", views.report_pdf, name="report-pdf"),
    path("projects/<id:pk>/report.xlsx", views.report_xlsx, name="report-xlsx"),
    path("projects/<id:pk>/import/units/", views.import_units, name="import-units"),
    path("projects/<id:pk>/import/stages/", views.import_stages, name="import-stages"),
    path("units/<id:pk>/", views.unit_detail, name="unit"),
    path("units/<id:pk>/handover/", views.unit_handover, name="unit-handover"),
    path("units/<id:pk>/reveal/", views.unit_reveal_view, name="unit-reveal"),
    *[path(f"units/<id:pk>/{action}/", views.stage_view(action), name=f"unit-{action}") for action in Action.values],
]
