"""Routing settings read in one place."""

from __future__ import annotations

from django.conf import settings


def low_confidence(confidence: float) -> bool:
    """Below ROUTING_LOW_CONFIDENCE a suggestion is shown as uncertain and
    never preselected."""
    return confidence < float(settings.ROUTING_LOW_CONFIDENCE)
