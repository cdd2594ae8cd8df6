"""The matters panel of the staff home page (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability
from grassroots.core.home import HomePanel

from .selectors import queue_counts


def home_context(user: Any) -> dict[str, object]:
    """The staff home page's matter counts, each opening the queue filtered."""
    counts = queue_counts(user=user)
    queue = reverse("matters:queue")
    links = [
        ("待受理", counts["reported"], f"{queue}?state=reported", "text-bg-warning"),
        ("已受理待交办", counts["accepted"], f"{queue}?state=accepted", "text-bg-info"),
        ("办理中", counts["handling"], f"{queue}?state=handling", "text-bg-primary"),
        ("议事中", counts["deliberating"], f"{queue}?state=deliberating", "text-bg-secondary"),
        ("已办结待关闭", counts["resolved"], f"{queue}?state=resolved", "text-bg-success"),
        ("逾期", counts["late"], f"{queue}?overdue=late", "text-bg-danger"),
    ]
    return {"matter_links": links, "reopen_requests": counts["reopen_requests"]}


HOME_PANEL = HomePanel(
    name="matters",
    template="matters/staff/_home_panel.html",
    shown_to=lambda user: user_can(user, Capability.VIEW_MATTERS),
    context=home_context,
    empty={"matter_links": None, "reopen_requests": 0},
    order=10,
)
