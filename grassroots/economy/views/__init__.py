from .companies import company_detail, company_new, company_shares
from .overview import income_export, income_list, income_new, overview
from .plans import (
    plan_approve,
    plan_detail,
    plan_distribute,
    plan_new,
    plan_publish,
    plan_read_resolution,
    plan_recompute,
    plan_return,
    plan_submit,
)
from .projects import plot_new, plot_stage, project_detail, project_edit, project_list, project_new

__all__ = [
    "company_detail",
    "company_new",
    "company_shares",
    "income_export",
    "income_list",
    "income_new",
    "overview",
    "plan_approve",
    "plan_detail",
    "plan_distribute",
    "plan_new",
    "plan_publish",
    "plan_read_resolution",
    "plan_recompute",
    "plan_return",
    "plan_submit",
    "plot_new",
    "plot_stage",
    "project_detail",
    "project_edit",
    "project_list",
    "project_new",
]
