"""The text side of the router: raw Chinese text to jieba words, and the
stop words a training set was filtered with. No Django and no scikit-learn,
so a process that only answers imports numpy and jieba alone."""

from __future__ import annotations

import heapq
import logging
import multiprocessing
import re
import threading
import unicodedata
from collections.abc import Sequence
from typing import Any

_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_jieba_lock = threading.Lock()
_jieba_ready = False


def normalize(text: str) -> str:
    """Full-width to half-width (NFKC), lower case, whitespace removed, runs
    of digits folded to one '0' (house and phone numbers carry no topic)."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _SPACE.sub("", text)
    return _DIGITS.sub("0", text)


def _jieba() -> Any:
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba_ready = True
    return jieba


def words(text: str) -> list[str]:
    """jieba's words of the normalised text, punctuation dropped."""
    jieba = _jieba()
    return [w for w in jieba.lcut(text, HMM=True) if w.strip() and not _is_punct(w)]


# A word jieba's dictionary ranks among this many most frequent ones, expected
# at least MIN_EXPECTED times in the training tokens but seen there less than
# ABSENT_RATIO of that, was removed by the training data's preparation (a
# stop-word list): it is removed from every text the model reads.
STOP_TOP = 1000
STOP_MIN_EXPECTED = 20.0
STOP_ABSENT_RATIO = 0.02


def absent_common_words(token_lists: Sequence[list[str]]) -> frozenset[str]:
    """The stop words the training texts were filtered with, found from the
    texts themselves: common Chinese words (by jieba's dictionary frequency)
    that the training tokens (almost) never contain. The 12345 training file
    lost 了/是/在/不/没有/我/的 … to its preparation while a message someone
    types keeps them; a model trained on the office's own raw text finds
    (nearly) none, so training and answering always see the same kind of text."""
    dictionary = _jieba().dt
    dictionary.check_initialized()
    counts: dict[str, int] = {}
    for tokens in token_lists:
        for w in tokens:
            counts[w] = counts.get(w, 0) + 1
    n = sum(counts.values())
    common = heapq.nlargest(STOP_TOP, ((f, w) for w, f in dictionary.FREQ.items() if f > 0))
    stops = set()
    for f, w in common:
        expected = f / dictionary.total * n
        if expected >= STOP_MIN_EXPECTED and counts.get(w, 0) < STOP_ABSENT_RATIO * expected:
            stops.add(w)
    return frozenset(stops)


def _tokenize_chunk(texts: Sequence[str]) -> list[list[str]]:
    return [words(normalize(t)) for t in texts]


def tokenize(texts: Sequence[str], *, n_jobs: int = 1) -> list[list[str]]:
    """jieba's words of many texts; with n_jobs > 1 on a big list, in forked
    workers (jieba holds the GIL; its dictionary is loaded before the fork).
    A daemonic process (a task worker) may not have children: serial there."""
    if (
        n_jobs < 2
        or len(texts) < 2000
        or multiprocessing.current_process().daemon
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return _tokenize_chunk(texts)
    _jieba()
    size = -(-len(texts) // (n_jobs * 4))
    chunks = [list(texts[i : i + size]) for i in range(0, len(texts), size)]
    with multiprocessing.get_context("fork").Pool(n_jobs) as pool:
        return [ws for part in pool.map(_tokenize_chunk, chunks) for ws in part]


def prepare(texts: Sequence[str], stop_words: frozenset[str]) -> tuple[list[str], list[list[str]]]:
    """What the features read: each text's jieba words without the stop
    words, and the same words joined (for the character n-grams, so a stop
    word or a punctuation mark never makes an n-gram the training text lacked)."""
    tokens = [[w for w in words(normalize(t)) if w not in stop_words] for t in texts]
    return ["".join(ws) for ws in tokens], tokens


def _is_punct(token: str) -> bool:
    return all(unicodedata.category(c)[0] in "PSZ" for c in token)
