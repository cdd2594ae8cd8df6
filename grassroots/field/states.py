"""What became of one synced outbox item, why, and what its worker may choose.
A sync item has no workflow table: it is written once when it arrives and
once more when its conflict is resolved (ADR 0054)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemType(models.TextChoices):
    VISIT = "visit", _("入户走访")
    MATTER = "matter", _("事项")
    MATTER_NOTE = "matter_note", _("事项跟进")
    ADDRESS = "address", _("地址核采")
    INSPECTION = "inspection", _("安全检查")
    CARE_VISIT = "care_visit", _("关爱走访")


class Status(models.TextChoices):
    ACCEPTED = "accepted", _("已同步")
    CONFLICT = "conflict", _("需处理")
    INVALID = "invalid", _("有误")
    REFUSED = "refused", _("被拒绝")
    DISCARDED = "discarded", _("已放弃")


class Reason(models.TextChoices):
    HOUSEHOLD_MOVED = "household_moved", _("该住户已不在您的辖区内(已迁出或已注销)。")
    MATTER_CLOSED = "matter_closed", _("该事项已经办结或关闭。")
    ADDRESS_VERIFIED_BY_OTHER = "address_verified_by_other", _("该地址已由他人核采或核验。")
    KEY_REUSED = "key_reused", _("该同步编号已用于另一条记录,本条未保存,请重新提交。")
    FORBIDDEN = "forbidden", _("您的角色不能提交此类记录。")


class Option(models.TextChoices):
    ATTACH_TO_GRID = "attach_to_grid", _("事项登记到本网格(不关联住户)")
    NEW_MATTER = "new_matter", _("以此内容新建事项(关联原事项)")
    APPLY_MINE = "apply_mine", _("提交我的核采结果")
    KEEP_THEIRS = "keep_theirs", _("保留他人的结果,放弃我的")
    DISCARD = "discard", _("放弃这条记录")


# The choices a conflict offers, in the order the app shows them.
OPTIONS: dict[str, tuple[str, ...]] = {
    Reason.HOUSEHOLD_MOVED: (Option.ATTACH_TO_GRID, Option.DISCARD),
    Reason.MATTER_CLOSED: (Option.NEW_MATTER, Option.DISCARD),
    Reason.ADDRESS_VERIFIED_BY_OTHER: (Option.APPLY_MINE, Option.KEEP_THEIRS),
}
# Options that record nothing.
DISCARDING = frozenset({Option.DISCARD, Option.KEEP_THEIRS})
