"""The party members' panel of the staff home page (ADR 0032): a staff user
who is a party member, whatever their role, finds their pairs and the
published 红黄榜 there (the navigation shows 党建 only to party staff)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from grassroots.core.home import HomePanel

from . import selectors


def _context(user: Any) -> Mapping[str, object]:
    member = selectors.membership_of(user=user)
    return {"party_member": member, "party_pairs": selectors.pairs_of_member(member=member).count() if member else 0}


HOME_PANEL = HomePanel(
    name="party",
    template="party/_home_panel.html",
    shown_to=lambda user: selectors.membership_of(user=user) is not None,
    context=_context,
    empty={"party_member": None, "party_pairs": 0},
    order=60,
)
