"""Reads of the WeChat channels, scoped to the user's subtree."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from grassroots.core.scoping import get_in_scope_or_404, scope_queryset
from grassroots.publicity.models import Publication
from grassroots.publicity.selectors import publication_get_visible
from grassroots.regions.models import Level, Node

from .models import ChannelPost, WechatNotice, WecomRobot
from .states import State


def robots_visible_to(*, user: Any) -> QuerySet[WecomRobot]:
    return scope_queryset(WecomRobot.objects.select_related("node"), user).order_by("-active", "path", "name", "pk")


def robot_get_visible(*, user: Any, pk: Any) -> WecomRobot:
    return get_in_scope_or_404(WecomRobot.objects.select_related("node"), user, pk=pk)


def robot_places(*, user: Any) -> QuerySet[Node]:
    """Where a group can belong: the villages and grids of the user's subtree."""
    return scope_queryset(Node.objects.filter(level__in=[Level.VILLAGE, Level.GRID]), user).order_by("path")


def publication_for_push(*, user: Any, pk: Any) -> Publication:
    return publication_get_visible(user=user, pk=pk)


def posts_of(*, publication: Publication) -> QuerySet[ChannelPost]:
    return (
        ChannelPost.objects.filter(publication=publication)
        .select_related("robot", "robot__node")
        .order_by("created_at", "pk")
    )


def post_get_visible(*, user: Any, pk: Any) -> ChannelPost:
    return get_in_scope_or_404(ChannelPost.objects.select_related("publication"), user, pk=pk)


def delivery_stats(*, since: Any) -> dict[str, dict[str, int]]:
    """Group-robot posts, official-account articles and subscription messages
    since `since`, each as sent/failed/pending counts (two queries)."""
    stats = {key: dict.fromkeys(State.values, 0) for key in ("wecom", "wechat_mp", "wechat_notice")}
    posts = (
        ChannelPost.objects.filter(created_at__gte=since)
        .values_list("target", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for target, status, n in posts:
        stats[target][status] = n
    notices = (
        WechatNotice.objects.filter(created_at__gte=since).values_list("status").annotate(n=Count("id")).order_by()
    )
    for status, n in notices:
        stats["wechat_notice"][status] = n
    return stats
