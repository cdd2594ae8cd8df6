"""Likely duplicates of a matter: bigram overlap with the matters of the same
village or community in the last 30 days. Re-exported by the package."""

from __future__ import annotations

import datetime

from django.utils import timezone

from grassroots.core.search import bigrams, is_joint_token
from grassroots.regions.models import Level, Node

from ..models import Matter
from ..states import State
from .pages import with_related

DUPLICATE_DAYS = 30
DUPLICATE_POOL = 300

# Filler bigrams of everyday reports that say nothing about *what* happened;
# they would make unrelated reports from the same estate look alike.
DUPLICATE_STOP = frozenset(
    {
        "号楼", "单元", "小区", "好几", "几天", "一直", "没人", "没有", "已经", "我们", "我家", "希望",
        "反映", "问题", "解决", "情况", "居民", "群众", "现在", "影响", "一个", "了好", "不了",
    }
)  # fmt: skip
# Score at or above which a matter is offered as a likely duplicate. Measured
# on hand-written pairs of typical reports (see tests/test_selectors.py): the
# same problem told twice scores 0.29–0.60 (e.g. “3号楼楼道灯坏了好几天” vs
# “3号楼楼道里的灯不亮了” 0.40), different problems in the same estate 0–0.27
# (“楼道堆放杂物” vs “楼道灯不亮” 0.22). Staff decide and nothing merges by
# itself, so the cut sits below the lowest true pair: a borderline candidate
# costs a glance, a hidden duplicate costs a second crew.
DUPLICATE_THRESHOLD = 0.25
# Different building/house numbers ("3号楼" vs "5号楼") usually mean different
# places: the score is multiplied by this when both texts have numbers and
# share none.
NUMBER_MISMATCH_FACTOR = 0.25


def duplicate_tokens(text: str) -> set[str]:
    """Bigrams of CJK text and whole letter/digit runs, without single CJK
    characters (search's trailing unigrams), search's number-and-word tokens
    (the score was measured without them) and filler bigrams."""
    return {
        t for t in bigrams(text) if (len(t) >= 2 or t.isascii()) and not is_joint_token(t) and t not in DUPLICATE_STOP
    }


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _numbers(tokens: set[str]) -> set[str]:
    return {t for t in tokens if t.isascii() and t.isdigit()}


def duplicate_score(title_a: str, text_a: str, title_b: str, text_b: str) -> float:
    """Dice coefficient of the token sets, the better of title-only and
    title + description (a long description dilutes a matching title)."""
    full_a = duplicate_tokens(f"{title_a} {text_a}")
    full_b = duplicate_tokens(f"{title_b} {text_b}")
    score = max(_dice(duplicate_tokens(title_a), duplicate_tokens(title_b)), _dice(full_a, full_b))
    numbers_a, numbers_b = _numbers(full_a), _numbers(full_b)
    if numbers_a and numbers_b and not numbers_a & numbers_b:
        score *= NUMBER_MISMATCH_FACTOR
    return score


def duplicates_for(*, matter: Matter, limit: int = 5) -> list[tuple[Matter, float]]:
    """Likely duplicates of `matter`: matters in the same village/community,
    reported in the last 30 days, not merged or rejected, scored by bigram
    overlap (`duplicate_score`), best first."""
    depth = matter.node.depth - (matter.node.level - Level.VILLAGE)
    village_path = matter.path[: Node.steplen * max(depth, 1)]
    since = timezone.now() - datetime.timedelta(days=DUPLICATE_DAYS)
    pool = (
        with_related(Matter.objects.filter(path__startswith=village_path, created_at__gte=since))
        .exclude(pk=matter.pk)
        .exclude(state__in=[State.MERGED, State.REJECTED])
        .order_by("-created_at")[:DUPLICATE_POOL]
    )
    scored = []
    for other in pool:
        score = duplicate_score(matter.title, matter.description, other.title, other.description)
        if score >= DUPLICATE_THRESHOLD:
            scored.append((other, score))
    scored.sort(key=lambda pair: (-pair[1], -pair[0].pk))
    return scored[:limit]
