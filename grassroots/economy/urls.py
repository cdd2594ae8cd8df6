"""Staff pages under /economy/ (VIEW_ECONOMY; writes need their own capability)."""

from django.urls import path

from . import views

app_name = "economy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("income/", views.income_list, name="income"),
    path("income/new/", views.income_new, name="income-new"),
    path("income/export/", views.income_export, name="income-export"),
    path("companies/new/", views.company_new, name="company-new"),
    path("companies/<id:pk>/", views.company_detail, name="company"),
    path("companies/<id:pk>/shares/", views.company_shares, name="company-shares"),
    path("companies/<id:pk>/plans/new/", views.plan_new, name="plan-new"),
    path("projects/", views.project_list, name="projects"),
    path("projects/new/", views.project_new, name="project-new"),
    path("projects/<id:pk>/", views.project_detail, name="project"),
    path("projects/<id:pk>/edit/", views.project_edit, name="project-edit"),
    path("projects/<id:pk>/milestones/new/", views.milestone_new, name="milestone-new"),
    path("projects/<id:pk>/milestones/reach/", views.milestone_reach, name="milestone-reach"),
    path("projects/<id:pk>/plots/new/", views.plot_new, name="plot-new"),
    path("plots/<id:pk>/stage/", views.plot_stage, name="plot-stage"),
    path("projects/<id:pk>/tenants/new/", views.tenant_new, name="tenant-new"),
    path("tenants/<id:pk>/sign/", views.tenant_sign, name="tenant-sign"),
    path("tenants/<id:pk>/settle/", views.tenant_settle, name="tenant-settle"),
    path("tenants/<id:pk>/withdraw/", views.tenant_withdraw, name="tenant-withdraw"),
    path("plans/<id:pk>/", views.plan_detail, name="plan"),
    path("plans/<id:pk>/recompute/", views.plan_recompute, name="plan-recompute"),
    path("plans/<id:pk>/submit/", views.plan_submit, name="plan-submit"),
    path("plans/<id:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("plans/<id:pk>/read-resolution/", views.plan_read_resolution, name="plan-read-resolution"),
    path("plans/<id:pk>/return/", views.plan_return, name="plan-return"),
    path("plans/<id:pk>/publish/", views.plan_publish, name="plan-publish"),
    path("plans/<id:pk>/distribute/", views.plan_distribute, name="plan-distribute"),
]
