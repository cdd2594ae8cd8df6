"""Models of the mediation centre, one module per part (cases: cases,
parties, sessions, agreements, follow-ups; referrals; teams: committees,
advisers, consultations), all re-exported here: Django finds models through
`mediation.models`, and callers import from it."""

from ..choices import FAILURE_REFERRALS, DisputeType, Outcome, Referral, RiskLevel, Source
from .cases import (
    Agreement,
    CaseEvent,
    CaseMediator,
    DisputeCase,
    EventKind,
    FollowUp,
    FollowUpMethod,
    JudicialStatus,
    Party,
    PartyKind,
    PartySide,
    Performance,
    Session,
    SessionStatus,
)
from .referrals import DisputeReferral
from .teams import Committee, Consultation, ConsultationTopic, GridAdviser

__all__ = [
    "FAILURE_REFERRALS",
    "Agreement",
    "CaseEvent",
    "CaseMediator",
    "Committee",
    "Consultation",
    "ConsultationTopic",
    "DisputeCase",
    "DisputeReferral",
    "DisputeType",
    "EventKind",
    "FollowUp",
    "FollowUpMethod",
    "GridAdviser",
    "JudicialStatus",
    "Outcome",
    "Party",
    "PartyKind",
    "PartySide",
    "Performance",
    "Referral",
    "RiskLevel",
    "Session",
    "SessionStatus",
    "Source",
]
