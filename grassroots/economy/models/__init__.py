from .distribution import DistributionEvent, DistributionLine, DistributionPlan
from .income import IncomeEntry, IncomeTarget, Source
from .organisations import Company, Shareholding
from .projects import (
    KeyProject,
    LandPlot,
    Milestone,
    PlotStage,
    ProjectKind,
    ProjectLevel,
    ProjectStage,
    Tenant,
    TenantEvent,
)

__all__ = [
    "Company",
    "DistributionEvent",
    "DistributionLine",
    "DistributionPlan",
    "IncomeEntry",
    "IncomeTarget",
    "KeyProject",
    "LandPlot",
    "Milestone",
    "PlotStage",
    "ProjectKind",
    "ProjectLevel",
    "ProjectStage",
    "Shareholding",
    "Source",
    "Tenant",
    "TenantEvent",
]
