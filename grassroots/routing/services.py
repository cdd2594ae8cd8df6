"""Writes of routing: training (from a CSV file or from the office's closed
matters), model versions, the suggestion recorded for a matter and the final
choice logged against it. Typed functions with keyword-only arguments."""

from __future__ import annotations

import datetime
import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.core.actors import SystemActor
from grassroots.matters.models import Category, Matter
from grassroots.matters.selectors import matters_for_training

from . import engine
from .config import low_confidence
from .errors import RoutingError
from .models import RouterVersion, Suggestion

# A class needs this many examples to be learnt (the calibration splits
# each class three ways); fewer are left out of a history model.
MIN_PER_CLASS = 5
_lock = threading.Lock()
# One loaded model per process, by file name: loaded lazily on first use.
_loaded: dict[str, engine.Router] = {}


def model_dir() -> Path:
    return Path(settings.ROUTING_MODEL_DIR)


def _clean(texts: Sequence[str], labels: Sequence[str]) -> tuple[list[str], list[str]]:
    pairs = [(t or "", (lab or "").strip()) for t, lab in zip(texts, labels, strict=True)]
    pairs = [(t, lab) for t, lab in pairs if lab and engine.normalize(t)]
    return [t for t, _ in pairs], [lab for _, lab in pairs]


def _check_trainable(labels: list[str]) -> None:
    counts = Counter(labels)
    if len(counts) < 2:
        raise RoutingError("too_few_classes", "训练数据至少需要两个类别(且文本不为空)。")
    thin = [label for label, n in counts.items() if n < 3]
    if thin:
        raise RoutingError("class_too_small", f"以下类别样本少于 3 条,无法训练:{'、'.join(sorted(thin))}")


def cross_validate(texts: list[str], labels: list[str], *, folds: int) -> tuple[float, dict[str, float]]:
    """k-fold stratified macro-F1 and per-class F1 of the shipped configuration."""
    import numpy as np
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    y = np.array(labels)
    folds = max(2, min(folds, min(Counter(labels).values())))
    pred = np.empty(len(y), dtype=object)
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=17).split(texts, y):
        router = engine.Router.fit([texts[i] for i in train], list(y[train]))
        pred[test] = [r.label for r in router.predict([texts[i] for i in test])]
    classes = sorted(set(labels))
    per = f1_score(y, pred, average=None, labels=classes)
    return float(f1_score(y, pred, average="macro")), {c: round(float(p), 4) for c, p in zip(classes, per, strict=True)}


def router_train_file(*, texts: Sequence[str], labels: Sequence[str], out: str | Path, cv: int = 0) -> dict[str, Any]:
    """Train on labelled texts and write one model file (route_train --csv)."""
    xs, ys = _clean(texts, labels)
    _check_trainable(ys)
    meta: dict[str, Any] = {"trained_at": timezone.now().isoformat(), "rows": len(xs), "labels": sorted(set(ys))}
    if cv:
        if cv < 2:
            raise RoutingError("cv_invalid", "交叉验证折数至少为 2。")
        meta["cv_folds"] = cv
        meta["cv_macro_f1"], meta["per_class_f1"] = cross_validate(xs, ys, folds=cv)
    # Two cores pay off only on big files (the worker processes take seconds to start).
    router = engine.Router.fit(xs, ys, n_jobs=2 if len(xs) > 2000 else 1)
    router.meta = meta
    path = Path(out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine.save(router, path)
    except OSError as exc:
        raise RoutingError("out_unwritable", f"无法写入模型文件:{path}({exc.strerror})") from exc
    return meta


def router_load_file(path: str | Path) -> engine.Router:
    p = Path(path)
    if not p.is_file():
        raise RoutingError("model_missing", f"找不到模型文件:{p}(请先运行 route_train)")
    try:
        return engine.load(p)
    except Exception as exc:  # a truncated or foreign file: say so, in Chinese
        raise RoutingError("model_invalid", f"模型文件无法读取,可能已损坏或不是分类模型:{p}") from exc


def corrections_count() -> int:
    return Suggestion.objects.filter(accepted_as_is=False).count()


def retrain_due() -> bool:
    """True when no model exists yet or enough corrections came in since the
    active model was trained (ROUTING_RETRAIN_MIN_CORRECTIONS)."""
    active = RouterVersion.objects.filter(active=True).first()
    if active is None:
        return True
    return corrections_count() - active.corrections_seen >= settings.ROUTING_RETRAIN_MIN_CORRECTIONS


def history_training_set() -> tuple[list[str], list[str]]:
    """Closed matters with the category staff finally chose, as (text, code);
    classes with fewer than MIN_PER_CLASS examples are left out."""
    rows = list(matters_for_training())
    counts = Counter(code for _t, _d, code in rows)
    keep = [(f"{title} {description}", code) for title, description, code in rows if counts[code] >= MIN_PER_CLASS]
    return [t for t, _ in keep], [c for _, c in keep]


def router_train_from_history(*, force: bool = False, cv: int = 5) -> RouterVersion | None:
    """Train a new version from the office's closed matters and make it the
    one in use. Without `force`, only when `retrain_due()`."""
    if not force and not retrain_due():
        return None
    texts, labels = history_training_set()
    if len(set(labels)) < 2:
        raise RoutingError(
            "history_too_small", f"已办结且有分类的事项不足(每类至少 {MIN_PER_CLASS} 条、至少两类),暂不能训练。"
        )
    seen = corrections_count()
    score, per_class = cross_validate(texts, labels, folds=cv) if cv else (None, {})
    router = engine.Router.fit(texts, labels)
    now = timezone.now()
    with transaction.atomic():
        last = RouterVersion.objects.select_for_update().order_by("-number").first()
        number = (last.number if last else 0) + 1
        name = f"router-v{number}-{now:%Y%m%d%H%M%S}.joblib"
        router.meta = {"trained_at": now.isoformat(), "rows": len(texts), "version": number}
        model_dir().mkdir(parents=True, exist_ok=True)
        engine.save(router, model_dir() / name)
        RouterVersion.objects.filter(active=True).update(active=False)
        version = RouterVersion.objects.create(
            number=number,
            trained_at=now,
            file_name=name,
            rows=len(texts),
            class_count=len(set(labels)),
            cv_folds=cv,
            cv_macro_f1=score,
            per_class_f1=per_class,
            corrections_seen=seen,
            active=True,
        )
    with _lock:
        _loaded[name] = router
    return version


def router_for(version: RouterVersion) -> engine.Router | None:
    """The version's model, loaded once per process; None when its file is gone."""
    router = _loaded.get(version.file_name)
    if router is not None:
        return router
    with _lock:
        router = _loaded.get(version.file_name)
        if router is None:
            try:
                router = router_load_file(model_dir() / version.file_name)
            except RoutingError:
                return None
            _loaded.clear()  # keep one model in memory: the active one
            _loaded[version.file_name] = router
    return router


def suggestion_for_matter(
    *, matter: Matter, ranked: list[tuple[Category, float]], version: RouterVersion
) -> Suggestion:
    """Record what the router proposed for `matter` (once per matter: the
    first proposal shown is the one measured)."""
    existing = Suggestion.objects.filter(matter=matter).first()
    if existing is not None:
        return existing
    top, confidence = ranked[0]
    try:
        with transaction.atomic():
            return Suggestion.objects.create(
                matter=matter,
                version=version,
                ranked=[{"category": c.pk, "confidence": round(p, 4)} for c, p in ranked],
                top_category=top,
                top_confidence=min(1.0, max(0.0, confidence)),
                low_confidence=low_confidence(confidence),
            )
    except IntegrityError:  # shown twice at once: the first one stands
        return Suggestion.objects.get(matter=matter)


def suggestion_record_choice(*, matter: Matter, category: Category, actor: Any) -> Suggestion | None:
    """Log what staff finally chose against the matter's suggestion (called
    by matters inside the acceptance). None when nothing was suggested."""
    suggestion = Suggestion.objects.filter(matter=matter).first()
    if suggestion is None:
        return None
    top3 = [int(item["category"]) for item in suggestion.ranked]
    suggestion.final_category = category
    suggestion.accepted_as_is = category.pk == suggestion.top_category_id
    suggestion.in_top3 = category.pk in top3
    suggestion.decided_at = timezone.now()
    suggestion.decided_by = None if isinstance(actor, SystemActor) or actor is None else actor
    suggestion.save(update_fields=["final_category", "accepted_as_is", "in_top3", "decided_at", "decided_by", "path"])
    return suggestion


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = month.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end, datetime.time.min, tzinfo=tz),
    )
