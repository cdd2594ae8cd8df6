"""Routing on the real 12345-style messages (issue 17, ADR 0050).

Reads ../shared/data/complaints/train_segmented.csv in place (never copied
into the project) and reports 5-fold cross-validated macro-F1 and per-class
F1 for each classifier tried, on the segmented text as given and on the same
text with every space removed (what a person types), plus training time,
prediction latency per message on one core, model size and memory.

    .venv/bin/python bench/routing_eval.py [--csv PATH] [--kinds svc,logreg,sgd,cnb] [--folds 5]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grassroots.routing import engine, text  # noqa: E402

DEFAULT_CSV = ROOT.parent / "shared" / "data" / "complaints" / "train_segmented.csv"


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", default=str(DEFAULT_CSV))
    parser.add_argument("--kinds", default="svc,logreg,sgd,cnb")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--skip-cv", action="store_true")
    parser.add_argument("--raw", action="store_true", help="also score the shipped kind on raw-like test text")
    parser.add_argument("--memory", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory:
        memory_report(args.memory)
        return

    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    with open(args.csv, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    texts = [r["text_segmented"] for r in rows]
    labels = np.array([r["label_level1"] for r in rows])
    print(f"rows {len(rows)}, classes {len(set(labels))}")

    t0 = time.perf_counter()
    toks = [engine.words(engine.normalize(t)) for t in texts]
    print(f"normalise + jieba over the corpus: {time.perf_counter() - t0:.1f} s")
    # The segmented file and the de-segmented text are the same input to the
    # model: normalize() strips every space before jieba runs. Check it.
    assert [engine.words(engine.normalize(t.replace(" ", ""))) for t in texts[:200]] == toks[:200]

    classes = sorted(set(labels))
    if not args.skip_cv:
        kinds = args.kinds.split(",")
        shipped = engine.members_of(engine.SHIPPED)
        members = sorted({m for k in kinds for m in engine.members_of(k)} | (set(shipped) if args.raw else set()))
        proba = {m: np.zeros((len(labels), len(classes))) for m in members}
        raw_pred = np.empty(len(labels), dtype=object)
        rng = random.Random(17)
        t1 = time.perf_counter()
        skf = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=17)
        for train, test in skf.split(texts, labels):
            # Everything learnt from the training fold only, as Router.fit does.
            stops = engine.absent_common_words([toks[i] for i in train])
            kept = [[w for w in ws if w not in stops] for ws in toks]
            feats = engine.Features()
            x = feats.fit_transform(["".join(kept[i]) for i in train], [kept[i] for i in train])
            x_test = feats.transform(["".join(kept[i]) for i in test], [kept[i] for i in test])
            fitted = {}
            for m in members:
                fitted[m] = engine.make_classifier(m, n_jobs=2).fit(x, labels[train])
                proba[m][test] = fitted[m].predict_proba(x_test)
            if args.raw:
                # Raw-like test text: the file's own words with stop words
                # (jieba-frequency weighted) and commas put back, no spaces.
                raw = [reinflate(texts[i].split(), stops, rng) for i in test]
                chars, words = engine.prepare(raw, stops)
                x_raw = feats.transform(chars, words)
                scores = np.mean([fitted[m].predict_proba(x_raw) for m in shipped], axis=0)
                raw_pred[test] = np.array(classes)[np.argmax(scores, axis=1)]
            print(f"   fold done, {time.perf_counter() - t1:.0f} s", flush=True)
        for kind in kinds:
            p = np.mean([proba[m] for m in engine.members_of(kind)], axis=0)
            report(f"{kind}: {args.folds}-fold", labels, np.array(classes)[p.argmax(axis=1)], classes)
        if args.raw:
            report(f"{engine.SHIPPED} on raw-like text (stop words, commas put back)", labels, raw_pred, classes)

    # The shipped configuration, end to end as route_train runs it.
    t2 = time.perf_counter()
    c2 = time.process_time()
    router = engine.Router.fit(texts, list(labels), n_jobs=2)
    train_s, train_cpu = time.perf_counter() - t2, time.process_time() - c2
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "router.joblib"
        engine.save(router, path)
        size = path.stat().st_size / 1e6
        memory = subprocess.run(  # noqa: S603 (this script, this interpreter)
            [sys.executable, __file__, "--memory", str(path)], capture_output=True, text=True, check=True
        ).stdout.strip()
    # Raw text as a person types it: the training text with its spaces removed.
    sample = [t.replace(" ", "") for t in texts[:1000]]
    router.rank(sample[:20])
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    t3, c3 = time.perf_counter(), time.process_time()
    for t in sample:
        router.rank([t])
    wall_ms = (time.perf_counter() - t3) / len(sample) * 1000
    cpu_ms = (time.process_time() - c3) / len(sample) * 1000
    print(
        f"train (full file, incl. jieba): {train_s:.1f} s wall, {train_cpu:.1f} s CPU in this process; "
        f"model file {size:.1f} MB; {memory}; "
        f"predict one message at a time on one core: {cpu_ms:.2f} ms CPU ({wall_ms:.2f} ms wall)"
    )


def report(name: str, labels: Any, pred: Any, classes: list[str]) -> None:
    from sklearn.metrics import f1_score

    per = f1_score(labels, pred, average=None, labels=classes)
    print(f"{name} macro-F1 {f1_score(labels, pred, average='macro'):.4f}")
    print("   " + "  ".join(f"{c} {p:.3f}" for c, p in zip(classes, per, strict=True)))


def reinflate(tokens: list[str], stops: frozenset[str], rng: random.Random, rate: float = 0.4) -> str:
    """The file's words with stop words put back after 40% of them (chosen
    by jieba's dictionary frequency) and a comma after 8%, joined without
    spaces: a stand-in for the raw message the file was prepared from."""
    dictionary = text._jieba().dt
    pool = sorted(stops)
    weights = [dictionary.FREQ.get(w, 1) for w in pool]
    out: list[str] = []
    for token in tokens:
        out.append(token)
        if pool and rng.random() < rate:
            out.extend(rng.choices(pool, weights=weights))
        if rng.random() < 0.08:
            out.append(",")
    return "".join(out) + "。"


def memory_report(path: str) -> None:
    """RSS growth of a fresh process that loads the model and answers once
    (jieba's dictionary included): what a web process gains."""
    base = rss_mb()
    router = engine.load(path)
    loaded = rss_mb()
    t0 = time.perf_counter()
    router.rank(["小区路灯坏了好几天,晚上看不见路"])
    first = time.perf_counter() - t0
    print(
        f"RSS +{loaded - base:.0f} MB on load, +{rss_mb() - base:.0f} MB after the first answer "
        f"(jieba's dictionary, first answer {first:.1f} s)"
    )


if __name__ == "__main__":
    main()
