"""Pages of the relocation ledger: projects and their dashboards and
reports (`projects`), units with their stages (`units`)."""

from .manage import batch_edit, project_edit, reassign
from .projects import (
    batch_new,
    import_stages,
    import_units,
    project_dashboard,
    project_list,
    project_new,
    report_pdf,
    report_xlsx,
)
from .units import my_units, stage_view, unit_detail, unit_handover, unit_list, unit_reveal_view

__all__ = [
    "batch_edit",
    "batch_new",
    "import_stages",
    "import_units",
    "my_units",
    "project_dashboard",
    "project_edit",
    "project_list",
    "project_new",
    "reassign",
    "report_pdf",
    "report_xlsx",
    "stage_view",
    "unit_detail",
    "unit_handover",
    "unit_list",
    "unit_reveal_view",
]
