from .distribution import DistributionEvent, DistributionLine, DistributionPlan
from .income import IncomeEntry, IncomeTarget, Source
from .organisations import CommitteeMember, Company, JointCommittee, Shareholding
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
    "CommitteeMember",
    "Company",
    "DistributionEvent",
    "DistributionLine",
    "DistributionPlan",
    "IncomeEntry",
    "IncomeTarget",
    "JointCommittee",
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
