"""Rules of procedure (议事规则): new versions and publication. A published
version is never edited; a change is a new version."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.models import User
from grassroots.core.audit import Action, audit_record
from grassroots.regions.models import Level, Node

from .. import permissions
from ..errors import DeliberationError
from ..models import RuleSet
from ..rules import Proposers, Threshold, VoteMethod


@dataclass(frozen=True)
class RuleInput:
    title: str
    proposers: str
    quorum_numerator: int
    quorum_denominator: int
    threshold: str
    vote_method: str
    effective_from: datetime.date
    text: str = ""


def _validate(data: RuleInput) -> None:
    if not data.title.strip():
        raise DeliberationError("title_required", "请填写规则标题。", field="title")
    if data.proposers not in Proposers.values:
        raise DeliberationError("bad_proposers", "议题提出方式无效。", field="proposers")
    if data.threshold not in Threshold.values:
        raise DeliberationError("bad_threshold", "通过标准无效。", field="threshold")
    if data.vote_method not in VoteMethod.values:
        raise DeliberationError("bad_vote_method", "表决方式无效。", field="vote_method")
    n, d = data.quorum_numerator, data.quorum_denominator
    if not (isinstance(n, int) and isinstance(d, int)) or d < 1 or n < 1 or n > d or d > 100:
        raise DeliberationError(
            "bad_quorum", "法定人数须为不大于 1 的分数,例如 2/3(分子、分母为 1–100 的整数)。", field="quorum"
        )


def ruleset_create(*, actor: User, node: Node, data: RuleInput, publish: bool = False) -> RuleSet:
    """A new version of `node`'s rules (a village/community or the subdistrict)."""
    permissions.require_scope(actor, node.path)
    permissions.require_convene(actor)
    if node.level not in (Level.SUBDISTRICT, Level.VILLAGE):
        raise DeliberationError("bad_node", "议事规则只能为村(社区)或街道制定。", field="node")
    _validate(data)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                version = (RuleSet.objects.filter(node=node).aggregate(v=Max("version"))["v"] or 0) + 1
                rules = RuleSet.objects.create(
                    node=node,
                    version=version,
                    title=data.title.strip(),
                    proposers=data.proposers,
                    quorum_numerator=data.quorum_numerator,
                    quorum_denominator=data.quorum_denominator,
                    threshold=data.threshold,
                    vote_method=data.vote_method,
                    text=data.text.strip(),
                    effective_from=data.effective_from,
                    published_at=timezone.now() if publish else None,
                    created_by=actor,
                )
                break
        except IntegrityError:
            continue
    else:
        raise DeliberationError("version_race", "规则版本冲突,请重试。")
    audit_record(action=Action.CREATE, actor=actor, obj=rules, detail={"version": rules.version})
    return rules


def ruleset_publish(*, actor: Actor, rules: RuleSet) -> RuleSet:
    permissions.require_scope(actor, rules.path)
    permissions.require_convene(actor)
    updated = RuleSet.objects.filter(pk=rules.pk, published_at__isnull=True).update(published_at=timezone.now())
    if not updated:
        raise DeliberationError("already_published", "该版本已发布。")
    rules.refresh_from_db()
    audit_record(action=Action.UPDATE, actor=actor, obj=rules, detail={"published": True})
    return rules
