"""Role permission of 评事: RUN_APPRAISALS (village and subdistrict staff).
Jurisdiction scoping is in the selectors."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability

CAPABILITY = Capability.RUN_APPRAISALS


def can_run(user: Any) -> bool:
    return user_can(user, CAPABILITY)
