"""Who may publish: the PUBLISH capability inside the user's subtree; the
system (the nightly job) ends publications whose period is over."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability
from grassroots.core.actors import SystemActor
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.scoping import path_in_scope
from grassroots.regions.models import Node

from .models import Publication


def can_publish(user: Any) -> bool:
    return user_can(user, Capability.PUBLISH)


def require_scope(actor: Actor, publication_or_node: Publication | Node) -> None:
    if not path_in_scope(publication_or_node.path, actor):
        raise NotFound()


def require_publisher(actor: Actor) -> None:
    if not can_publish(actor):
        raise PermissionDenied("您的角色不能发布公示。")


def require_transition(actor: Actor, publication: Publication) -> None:
    """The system ends publications whose period is over; a user needs the
    publication in their subtree (404) and the capability (403)."""
    if isinstance(actor, SystemActor):
        return
    require_scope(actor, publication)
    require_publisher(actor)
