"""Template helpers for 晒事 on other apps' staff pages (the matter panel,
the meeting page, the appraisal page): they compute what those pages need
without touching the other apps' views."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from ..models import Publication, State
from ..permissions import can_publish as _can_publish
from ..services import shown_state

register = template.Library()

STATE_BADGES = {
    State.DRAFT: "text-bg-secondary",
    State.PUBLISHED: "text-bg-success",
    State.ENDED: "text-bg-light border",
    State.WITHDRAWN: "text-bg-danger",
}


@register.filter
def can_publish(user: Any) -> bool:
    return _can_publish(user)


@register.filter
def publication_badge(state: str) -> str:
    """Bootstrap classes of a publication state's badge."""
    return STATE_BADGES.get(state, "text-bg-secondary")  # type: ignore[call-overload]


@register.inclusion_tag("publicity/staff/_source_actions.html", takes_context=True)
def publicity_source_actions(context: template.Context, meeting: Any = None, session: Any = None) -> dict[str, Any]:
    """The publications of a closed meeting or appraisal session and a link
    to draft a new one, for users who may publish."""
    request = context.get("request")
    user = getattr(request, "user", None)
    result: dict[str, Any] = {"show": False}
    if not _can_publish(user):
        return result
    if meeting is not None:
        if meeting.state != "closed" or not meeting.agenda.filter(resolution__isnull=False).exists():
            return result
        rows = Publication.objects.filter(meeting=meeting)
        result.update(
            label="公示决议", url=reverse("publicity:new-resolution", args=[meeting.pk]), testid="publish-resolutions"
        )
    elif session is not None:
        if session.state != "closed":
            return result
        rows = Publication.objects.filter(appraisal=session)
        result.update(
            label="公示评议结果", url=reverse("publicity:new-appraisal", args=[session.pk]), testid="publish-appraisal"
        )
    else:
        return result
    publications = []
    for pub in rows.order_by("-id"):
        state = shown_state(pub)
        publications.append(
            {
                "pub": pub,
                "state_label": State(state).label,
                "badge": publication_badge(state),
                "url": reverse("publicity:detail", args=[pub.pk]),
            }
        )
    result.update(show=True, publications=publications)
    return result
