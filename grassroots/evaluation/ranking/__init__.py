"""评事考评排行: the subdistrict's red/yellow list of staff, drawn from the monthly
appraisals (评事) and published through 晒事.

Over the `rule.months` months ending with the chosen month, every staff item
of every closed session in the subdistrict's villages is taken with the
counts `results_build` gives (paper tallies included). A staff member's
result in a month is left out entirely when it is suppressed (fewer than
MIN_BALLOTS_PER_PERSON ballots): it neither counts nor appears as a number.
Results of one person in several villages in the same month are pooled.

Thresholds are compared in exact integer arithmetic: satisfaction is
100 * (satisfied + basic / 2) / total, so "satisfaction >= red_min" is
(2 * satisfied + basic) * 100 >= red_min * 2 * total. Shown figures are cut
(not rounded) to one decimal, so a figure shown as 90.0 is really at least
90 and a figure shown as 69.9 really below 70: what is shown never
contradicts the list a person is on.

rules: the thresholds and who sets them; build: the computation; publish:
the list's text and its draft publication through 晒事."""

from .build import MonthCell, Ranking, StaffRow, closed_sessions, ranking_build
from .publish import ranking_data, ranking_publish, ranking_text
from .rules import (
    CHANNELS,
    NORMAL,
    RED,
    RULE_FIELDS,
    STATUS_CLASSES,
    STATUS_LABELS,
    UNRANKED,
    YELLOW,
    add_months,
    can_manage,
    month_label,
    percent,
    period_label,
    require_manager,
    rule_for,
    rule_save,
    rule_sentence,
    rule_values,
)

__all__ = [
    "CHANNELS",
    "NORMAL",
    "RED",
    "RULE_FIELDS",
    "STATUS_CLASSES",
    "STATUS_LABELS",
    "UNRANKED",
    "YELLOW",
    "MonthCell",
    "Ranking",
    "StaffRow",
    "add_months",
    "can_manage",
    "closed_sessions",
    "month_label",
    "percent",
    "period_label",
    "ranking_build",
    "ranking_data",
    "ranking_publish",
    "ranking_text",
    "require_manager",
    "rule_for",
    "rule_save",
    "rule_sentence",
    "rule_values",
]
