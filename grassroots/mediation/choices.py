"""Choices shared by the mediation models, forms and services (kept apart
from the models package so that the referral model in models/referrals.py
can use them without importing the package)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    PETITION = "petition", _("访源(信访来访)")
    POLICE = "police", _("警源(公安移交)")
    COURT = "court", _("诉源(法院诉前委派)")
    MATTER = "matter", _("群众事项转入")
    WALK_IN = "walk_in", _("当事人申请")


class DisputeType(models.TextChoices):
    NEIGHBOUR = "neighbour", _("邻里纠纷")
    FAMILY = "family", _("婚姻家庭纠纷")
    PROPERTY = "property", _("物业纠纷")
    LABOUR = "labour", _("劳动争议")
    LAND = "land", _("土地征迁纠纷")
    CONSUMER = "consumer", _("消费纠纷")
    OTHER = "other", _("其他纠纷")


class RiskLevel(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class Outcome(models.TextChoices):
    """How a case ended, kept apart from the state so that statistics are one
    grouped query (a closed case was either agreed or failed)."""

    NONE = "", _("未结")
    DECLINED = "declined", _("不予受理")
    AGREED = "agreed", _("达成协议")
    FAILED = "failed", _("调解不成")


class Referral(models.TextChoices):
    COURT = "court", _("引导诉讼(人民法院)")
    ARBITRATION = "arbitration", _("引导仲裁")
    PETITION = "petition", _("转信访渠道")
    ADMINISTRATIVE = "administrative", _("转行政主管部门")
    POLICE = "police", _("转公安机关")
    OTHER = "other", _("其他")


# 《人民调解法》第33条 and the brief: a case without agreement goes to a court,
# arbitration or the petition channel.
FAILURE_REFERRALS = frozenset({Referral.COURT, Referral.ARBITRATION, Referral.PETITION})
