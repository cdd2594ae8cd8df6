"""Party organisations and their members (issue 15, item 5): a 党支部 per
village/community node, a 联村党委 spanning villages (anchored at the
subdistrict, its villages listed), and members linked to a resident record or
a staff account (never a second copy of a person: the name is read from the
record). Whether a member is also a resident representative or a grid worker
is derived from those records (selectors), never typed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.masking import mask_name
from grassroots.core.models import PathScoped
from grassroots.regions.models import Node, Resident


class BranchKind(models.TextChoices):
    BRANCH = "branch", _("党支部")
    GENERAL = "general", _("党总支")
    JOINT = "joint", _("联村党委")


class Branch(PathScoped):
    path_from = "node"

    name = models.CharField(_("组织名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=BranchKind.choices, default=BranchKind.BRANCH)
    node = models.ForeignKey(
        Node, verbose_name=_("所在村/社区"), on_delete=models.PROTECT, related_name="party_branches"
    )
    villages: models.ManyToManyField[Node, Any] = models.ManyToManyField(
        Node, verbose_name=_("联建村/社区"), blank=True, related_name="joint_branches"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path", "name", "id"]
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        constraints = [models.UniqueConstraint(fields=["node", "name"], name="party_branch_unique_name")]

    def __str__(self) -> str:
        return self.name


class Post(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY = "deputy", _("副书记")
    ORGANISATION = "organisation", _("组织委员")
    PUBLICITY = "publicity", _("宣传委员")
    DISCIPLINE = "discipline", _("纪检委员")
    COMMITTEE = "committee", _("委员")
    WORKER = "worker", _("党务工作者")
    NONE = "none", _("党员")


class MemberStatus(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class Member(PathScoped):
    """One party member of a branch: a resident or a staff account (exactly one)."""

    path_from = "branch"

    branch = models.ForeignKey(Branch, verbose_name=_("所在党组织"), on_delete=models.PROTECT, related_name="members")
    resident = models.ForeignKey(
        Resident, verbose_name=_("居民"), null=True, blank=True, on_delete=models.PROTECT, related_name="party_terms"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_terms",
    )
    post = models.CharField(_("职务"), max_length=20, choices=Post.choices, default=Post.NONE)
    status = models.CharField(_("党员类别"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.FULL)
    joined_on = models.DateField(_("入党日期"), null=True, blank=True)
    active = models.BooleanField(_("在册"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path", "id"]
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(resident__isnull=False) & models.Q(user__isnull=True))
                | (models.Q(resident__isnull=True) & models.Q(user__isnull=False)),
                name="party_member_one_person",
            ),
            models.UniqueConstraint(
                fields=["branch", "resident"], condition=models.Q(resident__isnull=False), name="party_member_resident"
            ),
            models.UniqueConstraint(
                fields=["branch", "user"], condition=models.Q(user__isnull=False), name="party_member_user"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.resident_id and self.resident:
            return self.resident.name
        return str(self.user) if self.user_id and self.user else ""

    @property
    def masked_name(self) -> str:
        """The name as the register shows it (张**): membership is sensitive."""
        return mask_name(self.name)
