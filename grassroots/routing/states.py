"""Routing has no workflow of its own: a suggestion is decided when the
matter is accepted, a transition of matters' table run by the engine in
core, which tells routing the final choice inside the same transaction
(matters/services/advice.py). What a suggestion's outcome is, for display
and counting, follows from its fields."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    PENDING = "pending", _("待受理")
    AS_IS = "as_is", _("直接采纳")
    IN_TOP3 = "in_top3", _("在前三之内")
    MISSED = "missed", _("未命中")


def outcome(*, accepted_as_is: bool | None, in_top3: bool | None) -> Outcome:
    if accepted_as_is is None:
        return Outcome.PENDING
    if accepted_as_is:
        return Outcome.AS_IS
    return Outcome.IN_TOP3 if in_top3 else Outcome.MISSED
