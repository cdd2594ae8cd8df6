"""Staff pages under /livelihood/ (VIEW_CARE; writes need their own capability)."""

from .activities import (
    activity_calendar,
    activity_check_in,
    activity_detail,
    activity_new,
    activity_photo,
    activity_photo_add,
    activity_register,
    registration_attend,
)
from .flags import flag_end, flag_list, flag_new, flag_restore
from .lists import care_list, care_list_export, care_list_print, coverage_export, index
from .projects import milestone_reach, project_detail, project_list, project_new, project_photo, project_photo_add
from .visits import health_round_list, health_round_new, visit_detail, visit_list, visit_new, visit_to_matter

__all__ = [
    "activity_calendar",
    "activity_check_in",
    "activity_detail",
    "activity_new",
    "activity_photo",
    "activity_photo_add",
    "activity_register",
    "care_list",
    "care_list_export",
    "care_list_print",
    "coverage_export",
    "flag_end",
    "flag_list",
    "flag_new",
    "flag_restore",
    "health_round_list",
    "health_round_new",
    "index",
    "milestone_reach",
    "project_detail",
    "project_list",
    "project_new",
    "project_photo",
    "project_photo_add",
    "registration_attend",
    "visit_detail",
    "visit_list",
    "visit_new",
    "visit_to_matter",
]
