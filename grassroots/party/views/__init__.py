"""Pages of party building: organisations and members (`organisation`),
结对帮扶 (`pairs`), 专题培训 and QR sign-in (`training`), the 红黄榜 (`board`)."""

from .board import board, board_compute, board_publish, board_withdraw, rule
from .organisation import branch_detail, branch_list, branch_new, member_detail, member_new, member_reveal
from .pairs import pair_detail, pair_list, pair_new, pair_visit
from .training import sign_in, training_detail, training_hours, training_list, training_new

__all__ = [
    "board",
    "board_compute",
    "board_publish",
    "board_withdraw",
    "branch_detail",
    "branch_list",
    "branch_new",
    "member_detail",
    "member_new",
    "member_reveal",
    "pair_detail",
    "pair_list",
    "pair_new",
    "pair_visit",
    "rule",
    "sign_in",
    "training_detail",
    "training_hours",
    "training_list",
    "training_new",
]
