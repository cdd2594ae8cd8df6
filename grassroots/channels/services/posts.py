"""A publication pushed to the village's resident groups (their WeCom
robots) and to the official account as an article (ADR 0051). Staff choose
the groups; one `ChannelPost` per group (and one for the account) records
the attempts and the provider's answer, delivered after commit by Celery
with backoff (`tasks`), retried from the page when it finally failed."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from grassroots.core.audit import audit_record
from grassroots.core.scoping import path_in_scope
from grassroots.publicity.models import Publication
from grassroots.publicity.models import State as PublicationState

from ..backends import get_mp_backend
from ..errors import ChannelError
from ..models import ChannelPost, Status, Target, WecomRobot
from ..permissions import require_pusher, require_scope
from ..states import Action, allowed, target
from ..tasks import schedule_post
from ..texts import notice_url as notice_url


def robots_for(*, actor: Any, publication: Publication) -> list[WecomRobot]:
    """The active groups a publication may go to: those of its place and
    below, and those of the places above it, inside the actor's subtree."""
    robots = WecomRobot.objects.filter(active=True).select_related("node").order_by("path", "name", "pk")
    return [
        robot
        for robot in robots
        if (robot.path.startswith(publication.path) or publication.path.startswith(robot.path))
        and _in_scope(actor, robot)
    ]


def _in_scope(actor: Any, robot: WecomRobot) -> bool:
    return path_in_scope(robot.path, actor)


def publication_push(
    *, actor: Any, publication: Publication, robot_ids: list[int], to_account: bool
) -> list[ChannelPost]:
    """Queue the publication's posts to the chosen groups and, when asked,
    to the official account. A group (or the account) it already went to is
    skipped; answers the posts created."""
    require_scope(actor, publication)
    require_pusher(actor)
    if publication.state != PublicationState.PUBLISHED:
        raise ChannelError("publication_not_published", "只有公示中的公示才能推送到微信。")
    if not robot_ids and not to_account:
        raise ChannelError("nothing_chosen", "请至少选择一个微信群或公众号。", field="robots")
    allowed = {robot.pk: robot for robot in robots_for(actor=actor, publication=publication)}
    unknown = [pk for pk in robot_ids if pk not in allowed]
    if unknown:
        raise ChannelError("robot_not_found", "所选微信群不存在、已停用或不属于该公示的范围。", field="robots")
    if to_account and not get_mp_backend().enabled:
        raise ChannelError("account_disabled", "本平台未启用微信公众号,不能推送图文。", field="to_account")
    done = set(ChannelPost.objects.filter(publication=publication).values_list("robot_id", flat=True))
    created: list[ChannelPost] = []
    with transaction.atomic():
        for pk in dict.fromkeys(robot_ids):
            if pk in done:
                continue
            created.append(
                ChannelPost.objects.create(
                    publication=publication, target=Target.WECOM, robot=allowed[pk], created_by=actor
                )
            )
        if to_account and None not in done:
            created.append(
                ChannelPost.objects.create(publication=publication, target=Target.WECHAT_MP, created_by=actor)
            )
        if created:
            audit_record(
                action="channels.publication_push",
                actor=actor,
                obj=publication,
                detail={"posts": [post.pk for post in created]},
            )
        for post in created:
            schedule_post(post.pk)
    if not created:
        raise ChannelError("already_pushed", "该公示已推送到所选的群和公众号。", field="robots")
    return created


def post_retry(*, actor: Any, post: ChannelPost) -> ChannelPost:
    """Send a finally failed post again (the provider's error was fixed)."""
    require_scope(actor, post)
    require_pusher(actor)
    if not allowed(Action.RETRY, post.status):
        raise ChannelError("post_not_failed", "只有发送失败的推送才能重新发送。")
    with transaction.atomic():
        reopened = ChannelPost.objects.filter(pk=post.pk, status=Status.FAILED).update(
            status=target(Action.RETRY), attempts=0
        )
        if not reopened:
            raise ChannelError("post_not_failed", "只有发送失败的推送才能重新发送。")
        audit_record(action="channels.post_retry", actor=actor, obj=post)
        schedule_post(post.pk)
    post.refresh_from_db()
    return post
