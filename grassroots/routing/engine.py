"""The text router's model: raw Chinese text in, ranked labels with calibrated
confidence out. No Django here, so the bench and the commands share it.

Features are computed from the text with every whitespace removed, so a
pre-segmented, stop-word-filtered training file and a raw message a person
typed go through exactly the same path (text.py): jieba re-segments both, the
stop words the training text lacks are dropped from both, and character
1–3-grams of the remaining words catch what segmentation splits differently
(place names, typos, numbers). ADR 0050 records what else was tried.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .text import absent_common_words, normalize, prepare, tokenize, words

FORMAT_VERSION = 3


def _word_grams(tokens: list[str]) -> list[str]:
    """Word unigrams and bigrams (module level, so the model pickles)."""
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


@dataclass
class Features:
    """Word TF-IDF over jieba tokens plus character 1–3-gram TF-IDF."""

    char_ngrams: tuple[int, int] = (1, 3)
    min_df: int = 2
    max_features: int | None = 200_000
    word: Any = field(default=None, repr=False)
    char: Any = field(default=None, repr=False)

    def _make(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        common: dict[str, Any] = {
            "sublinear_tf": True,
            "min_df": self.min_df,
            "max_features": self.max_features,
            "dtype": np.float32,
        }
        self.word = TfidfVectorizer(analyzer=_word_grams, **common)
        self.char = TfidfVectorizer(analyzer="char", lowercase=False, ngram_range=self.char_ngrams, **common)

    def fit_transform(self, texts: Sequence[str], tokens: Sequence[list[str]]) -> Any:
        from scipy.sparse import hstack

        self._make()
        x = hstack([self.word.fit_transform(tokens), self.char.fit_transform(texts)]).tocsr()
        # `stop_words_` holds every term cut by min_df/max_features: only for
        # introspection, and scikit-learn documents dropping it as safe. (The
        # memory of a loaded model is the vocabularies: bench/README.md.)
        for vectorizer in (self.word, self.char):
            vectorizer.stop_words_ = None
        return x

    def transform(self, texts: Sequence[str], tokens: Sequence[list[str]]) -> Any:
        from scipy.sparse import hstack

        return hstack([self.word.transform(tokens), self.char.transform(texts)]).tocsr()


# The classifier kinds a saved model reduces to calibrated linear arrays, the
# members of the "blend" kind, and the kind route_train ships (ADR 0050).
LINEAR = ("svc", "nbsvm", "logreg", "sgd")
BLEND = ("nbsvm", "svc")
SHIPPED = "svc"


def members_of(kind: str) -> tuple[str, ...]:
    return BLEND if kind == "blend" else (kind,)


def make_classifier(kind: str = "svc", *, n_jobs: int = 1) -> Any:
    """The classifiers compared in ADR 0050 (one kind; "blend" is several)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression, SGDClassifier
    from sklearn.naive_bayes import ComplementNB
    from sklearn.svm import LinearSVC

    if kind == "svc":
        # ensemble=False: the calibrators are fitted on 3-fold predictions and
        # one SVC is trained on everything, so prediction is one dot product.
        return CalibratedClassifierCV(
            LinearSVC(C=1.0, class_weight="balanced"), cv=3, method="sigmoid", ensemble=False, n_jobs=n_jobs
        )
    if kind == "nbsvm":
        from .learners import NBLinearSVC

        return CalibratedClassifierCV(NBLinearSVC(), cv=3, method="sigmoid", ensemble=False, n_jobs=n_jobs)
    if kind == "logreg":
        return CalibratedClassifierCV(
            LogisticRegression(C=30.0, solver="liblinear", dual=True, class_weight="balanced"),
            cv=3,
            method="sigmoid",
            ensemble=False,
            n_jobs=n_jobs,
        )
    if kind == "sgd":
        return CalibratedClassifierCV(
            SGDClassifier(loss="modified_huber", alpha=2e-5, class_weight="balanced", random_state=0),
            cv=3,
            method="sigmoid",
            ensemble=False,
            n_jobs=n_jobs,
        )
    if kind == "cnb":
        return ComplementNB(alpha=0.1)
    raise ValueError(kind)


@dataclass
class LinearSigmoid:
    """A calibrated linear SVC reduced to arrays: the one-vs-rest decision
    values and each class's sigmoid (Platt) calibration, computed exactly as
    CalibratedClassifierCV(ensemble=False) does, without scikit-learn's
    per-call validation (which costs more than the arithmetic on one message)."""

    coef: Any  # (n_features, n_outputs) float32
    intercept: Any
    a: Any
    b: Any
    n_classes: int

    @classmethod
    def from_calibrated(cls, model: Any) -> LinearSigmoid:
        [calibrated] = model.calibrated_classifiers_
        svc = calibrated.estimator
        if list(svc.classes_) != list(model.classes_):
            raise ValueError("classes out of order")
        return cls(
            coef=np.ascontiguousarray(svc.coef_.T, dtype=np.float32),
            intercept=np.asarray(svc.intercept_, dtype=np.float64),
            a=np.array([c.a_ for c in calibrated.calibrators], dtype=np.float64),
            b=np.array([c.b_ for c in calibrated.calibrators], dtype=np.float64),
            n_classes=len(model.classes_),
        )

    def predict_proba(self, x: Any) -> Any:
        return self.proba_from_decision(np.asarray(x @ self.coef, dtype=np.float64) + self.intercept)

    def proba_rows(self, rows: Sequence[tuple[Any, Any]]) -> Any:
        """Probabilities from (columns, weights) rows, without scipy."""
        decision = np.array(
            [np.asarray(values, dtype=np.float64) @ self.coef[columns] for columns, values in rows],
            dtype=np.float64,
        ).reshape(len(rows), self.coef.shape[1])
        return self.proba_from_decision(decision + self.intercept)

    def proba_from_decision(self, decision: Any) -> Any:
        proba = 1.0 / (1.0 + np.exp(self.a * decision + self.b))
        if self.n_classes == 2:
            return np.hstack([1.0 - proba, proba])
        total = proba.sum(axis=1, keepdims=True)
        uniform = np.full_like(proba, 1.0 / self.n_classes)
        return np.divide(proba, total, out=uniform, where=total != 0)


@dataclass
class Blend:
    """Calibrated linear members answering together: the mean of their
    probabilities (each member a `LinearSigmoid`, so still numpy alone)."""

    members: list[LinearSigmoid]

    def predict_proba(self, x: Any) -> Any:
        return np.mean([m.predict_proba(x) for m in self.members], axis=0)

    def proba_rows(self, rows: Sequence[tuple[Any, Any]]) -> Any:
        return np.mean([m.proba_rows(rows) for m in self.members], axis=0)


def term_hash(term: str) -> int:
    """A stable 64-bit hash of a feature term (Python's hash() is salted per
    process, so it cannot be stored)."""
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little")


def _char_grams(text: str, lo: int, hi: int) -> list[str]:
    """scikit-learn's analyzer="char" on text without whitespace."""
    return [text[i : i + n] for n in range(lo, min(hi, len(text)) + 1) for i in range(len(text) - n + 1)]


@dataclass
class HashedVocabulary:
    """One fitted TF-IDF vectorizer reduced to arrays: each kept term's 64-bit
    hash (sorted), its column and its idf. A vocabulary of Python strings in a
    dict costs ~150 bytes a term; this costs 20 bytes, and answering needs
    neither scikit-learn nor scipy. A term outside the vocabulary matches only
    if its 64-bit hash equals a kept term's (odds ~ 10^-13 per term)."""

    hashes: Any  # (n_terms,) uint64, sorted
    columns: Any  # (n_terms,) int32
    idf: Any  # (n_terms,) float32, in the order of `hashes`
    offset: int

    @classmethod
    def from_vectorizer(cls, vectorizer: Any, *, offset: int) -> HashedVocabulary:
        terms = list(vectorizer.vocabulary_.items())
        hashes = np.array([term_hash(t) for t, _ in terms], dtype=np.uint64)
        columns = np.array([c for _, c in terms], dtype=np.int64)
        order = np.argsort(hashes)
        hashes, columns = hashes[order], columns[order]
        if len(hashes) and np.any(hashes[1:] == hashes[:-1]):
            raise ValueError("feature hash collision")
        idf = np.asarray(vectorizer.idf_, dtype=np.float32)[columns]
        return cls(hashes=hashes, columns=(columns + offset).astype(np.int32), idf=idf, offset=offset)

    def weights(self, grams: list[str]) -> tuple[Any, Any]:
        """Columns and l2-normalised sublinear TF-IDF weights of one text."""
        counts: dict[str, int] = {}
        for g in grams:
            counts[g] = counts.get(g, 0) + 1
        if not counts:
            return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.float32)
        keys = np.array([term_hash(t) for t in counts], dtype=np.uint64)
        tf = np.array([1.0 + math.log(c) for c in counts.values()], dtype=np.float32)
        pos = np.searchsorted(self.hashes, keys)
        pos[pos >= len(self.hashes)] = 0
        hit = self.hashes[pos] == keys if len(self.hashes) else np.zeros(len(keys), dtype=bool)
        pos = pos[hit]
        values = tf[hit] * self.idf[pos]
        norm = float(np.sqrt(np.dot(values, values)))
        if norm > 0:
            values = values / norm
        return self.columns[pos], values


@dataclass
class CompactFeatures:
    """`Features` after fitting, as arrays (what a saved model carries)."""

    word: HashedVocabulary
    char: HashedVocabulary
    char_ngrams: tuple[int, int]

    @classmethod
    def from_features(cls, features: Features) -> CompactFeatures:
        word = HashedVocabulary.from_vectorizer(features.word, offset=0)
        char = HashedVocabulary.from_vectorizer(features.char, offset=len(features.word.vocabulary_))
        return cls(word=word, char=char, char_ngrams=features.char_ngrams)

    def row(self, text: str, tokens: list[str]) -> tuple[Any, Any]:
        wc, wv = self.word.weights(_word_grams(tokens))
        cc, cv = self.char.weights(_char_grams(text, *self.char_ngrams))
        return np.concatenate([wc, cc]), np.concatenate([wv, cv])


@dataclass
class Ranked:
    label: str
    confidence: float


@dataclass
class Router:
    """A fitted model with what a version file records beside it."""

    features: Features | CompactFeatures
    classifier: Any
    labels: list[str]
    meta: dict[str, Any] = field(default_factory=dict)

    # The stop words removed from every text (absent_common_words); None in
    # a format-1/2 file, whose character n-grams read the normalised text.
    stop_words: frozenset[str] | None = None

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], *, kind: str = SHIPPED, n_jobs: int = 1) -> Router:
        toks = tokenize(texts, n_jobs=n_jobs)
        stops = absent_common_words(toks)
        toks = [[w for w in ws if w not in stops] for ws in toks]
        features = Features()
        x = features.fit_transform(["".join(ws) for ws in toks], toks)
        kinds = members_of(kind)
        if not all(k in LINEAR for k in kinds):
            classifier = make_classifier(kind, n_jobs=n_jobs).fit(x, list(labels))
            classes = [str(c) for c in classifier.classes_]
            return cls(features=features, classifier=classifier, labels=classes, stop_words=stops)
        from joblib import parallel_backend

        # liblinear releases the GIL: the calibration folds run in threads,
        # without worker processes to start and the matrix to copy to them.
        with parallel_backend("threading", n_jobs=n_jobs):
            fitted = [make_classifier(k, n_jobs=n_jobs).fit(x, list(labels)) for k in kinds]
        classes = [str(c) for c in fitted[0].classes_]
        members = [LinearSigmoid.from_calibrated(m) for m in fitted]
        return cls(
            features=CompactFeatures.from_features(features),
            classifier=members[0] if len(members) == 1 else Blend(members),
            labels=classes,
            stop_words=stops,
        )

    def rank(self, texts: Sequence[str], *, top: int = 3) -> list[list[Ranked]]:
        if self.stop_words is None:
            chars = [normalize(t) for t in texts]
            tokens = [words(t) for t in chars]
        else:
            chars, tokens = prepare(texts, self.stop_words)
        if isinstance(self.features, CompactFeatures):
            rows = [self.features.row(t, w) for t, w in zip(chars, tokens, strict=True)]
            proba = self.classifier.proba_rows(rows)
        else:
            proba = self.classifier.predict_proba(self.features.transform(chars, tokens))
        out = []
        for row in proba:
            order = np.argsort(-row)[:top]
            out.append([Ranked(self.labels[i], float(row[i])) for i in order])
        return out

    def predict(self, texts: Sequence[str]) -> list[Ranked]:
        return [r[0] for r in self.rank(texts, top=1)]


def save(router: Router, path: Any) -> None:
    import joblib

    joblib.dump({"format": FORMAT_VERSION, "router": router}, path, compress=3)


def load(path: Any) -> Router:
    import joblib

    data = joblib.load(path)
    if not isinstance(data, dict) or data.get("format") not in (1, 2, FORMAT_VERSION):
        raise ValueError("unknown model file format")
    router = data["router"]
    if not isinstance(router, Router):
        raise ValueError("not a router model")
    if isinstance(router.features, Features) and isinstance(router.classifier, LinearSigmoid):
        # A format-1 file (string vocabularies): same model, compacted here.
        router.features = CompactFeatures.from_features(router.features)
    return router
