"""Publicity's side of the publication-source protocol (ADR 0033): the
sources (matters, meetings, appraisal sessions) register themselves in
`grassroots.core.publishing` from their AppConfig.ready(); publicity finds
a publication's source through its kind and never imports the source apps.
Publicity in turn registers the `Publisher` through which matters publishes
a plan or result and counts what residents can see."""

from __future__ import annotations

from typing import Any

from grassroots.core.publishing import (
    ObjectionIntake,
    PublicationSource,
    Step,
    objection_intake,
    source_for,
)

from .models import Publication

__all__ = [
    "ObjectionIntake",
    "PublicationSource",
    "Step",
    "objection_intake",
    "source_for",
    "source_object",
]


def source_object(publication: Publication, source: PublicationSource | None = None) -> Any | None:
    """The object the publication publishes (a matter, a meeting, a session), or None."""
    source = source or source_for(publication.kind)
    if source is None or getattr(publication, f"{source.field}_id") is None:
        return None
    return getattr(publication, source.field)
