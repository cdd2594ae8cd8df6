"""Who may use routing: every matter worker (VIEW_MATTERS) gets suggestions
on the forms they fill in; the accuracy page and the model versions are the
subdistrict's (VIEW_ROUTING). Accuracy counts only suggestions in the user's
subtree (selectors.accuracy_month scopes by path)."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.permissions import actor_can
from grassroots.accounts.roles import Capability


def can_suggest(actor: Any) -> bool:
    return actor_can(actor, Capability.VIEW_MATTERS)


def can_view_accuracy(actor: Any) -> bool:
    return actor_can(actor, Capability.VIEW_ROUTING)
