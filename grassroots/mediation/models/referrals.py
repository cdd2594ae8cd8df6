"""Referrals (转介): a grid worker or village staff member, who meets a
dispute first, sends a matter to the mediation centre; the centre accepts it
(a case is registered from the matter) or returns it with a reason. Imported
by models.py, so Django registers it with the mediation app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.fields import EncryptedTextField
from grassroots.core.models import PathScoped

from ..choices import DisputeType
from ..states import ReferralState

USER = settings.AUTH_USER_MODEL


class DisputeReferral(PathScoped):
    """One attempt to refer a matter. At most one is pending per matter; a
    returned matter may be referred again (a new row), so the rows are the
    history of the attempts. The path is the matter's (ADR 0002)."""

    path_from = "matter"

    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="dispute_referrals"
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=ReferralState.choices, default=ReferralState.PENDING, db_index=True
    )
    dispute_type = models.CharField(_("纠纷类型"), max_length=20, choices=DisputeType.choices)
    reason = models.TextField(_("转介说明"), max_length=2000, help_text=_("纠纷经过、已做的工作和转调解的理由。"))
    other_party = models.CharField(_("对方当事人"), max_length=100, blank=True)
    other_party_phone = EncryptedTextField(_("对方联系电话"), blank=True)
    escalation_risk = models.BooleanField(_("有激化风险"), default=False)
    referred_by = models.ForeignKey(USER, verbose_name=_("转介人"), on_delete=models.PROTECT, related_name="+")
    referred_at = models.DateTimeField(_("转介时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        USER, verbose_name=_("处理人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    case = models.OneToOneField(
        "mediation.DisputeCase",
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="from_referral",
    )

    class Meta:
        ordering = ["-referred_at", "-id"]
        verbose_name = _("纠纷转介")
        verbose_name_plural = _("纠纷转介")
        indexes = [models.Index(fields=["path", "state"], name="referral_path_state")]
        constraints = [
            models.UniqueConstraint(
                fields=["matter"], condition=models.Q(state="pending"), name="referral_one_pending_per_matter"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="returned") | ~models.Q(return_reason=""),
                name="referral_returned_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="accepted") | models.Q(case__isnull=False),
                name="referral_accepted_has_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.get_state_display()}"
