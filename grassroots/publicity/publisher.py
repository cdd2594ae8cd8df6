"""The `Publisher` publicity offers the source apps (ADR 0033): matters
publishes a plan or result from its own page and API, and counts the
publications residents can see, without importing publicity. Registered in
PublicityConfig.ready()."""

from __future__ import annotations

from typing import Any

from grassroots.core.publishing import Publisher

from .models import VISIBLE_STATES, Channel, Kind, Publication
from .services import publication_create


def _publish(**kwargs: Any) -> Publication:
    return publication_create(publish=True, **kwargs)


PUBLISHER = Publisher(
    publish=_publish,
    kinds=tuple((str(value), str(label)) for value, label in Kind.choices),
    channels=tuple((str(value), str(label)) for value, label in Channel.choices),
    visible_states=tuple(str(state) for state in VISIBLE_STATES),
)
