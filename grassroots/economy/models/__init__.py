from .distribution import DistributionEvent, DistributionLine, DistributionPlan
from .income import IncomeEntry, IncomeTarget, Source
from .organisations import CommitteeMember, Company, JointCommittee, Shareholding

__all__ = [
    "CommitteeMember",
    "Company",
    "DistributionEvent",
    "DistributionLine",
    "DistributionPlan",
    "IncomeEntry",
    "IncomeTarget",
    "JointCommittee",
    "Shareholding",
    "Source",
]
