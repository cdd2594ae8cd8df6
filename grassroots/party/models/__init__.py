"""Models of party building: organisations and members (`organisation`),
结对帮扶 (`pairs`), 专题培训 (`training`), the 红黄榜 (`board`)."""

from .board import Board, BoardEvent, Entry, PointsRule, Standing
from .organisation import Branch, BranchKind, Member, MemberStatus, Post
from .pairs import Pair, PairKind, PairVisit, VisitKind
from .training import SIGNIN_SALT, Attendance, Audience, Method, Training

__all__ = [
    "SIGNIN_SALT",
    "Attendance",
    "Audience",
    "Board",
    "BoardEvent",
    "Branch",
    "BranchKind",
    "Entry",
    "Member",
    "MemberStatus",
    "Method",
    "Pair",
    "PairKind",
    "PairVisit",
    "PointsRule",
    "Post",
    "Standing",
    "Training",
    "VisitKind",
]
