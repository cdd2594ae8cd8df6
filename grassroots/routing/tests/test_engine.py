"""The router itself, on the synthetic corpus (no database)."""

from __future__ import annotations

import pytest

from grassroots.routing import engine

from .corpus import corpus


def test_normalize_removes_spaces_folds_width_and_digits():
    assert engine.normalize("３号楼 电梯\n坏了 ABC 12345") == "0号楼电梯坏了abc0"
    assert engine.normalize("") == ""


def test_segmented_and_raw_text_are_the_same_input():
    raw = "店子社区下水道堵塞,12号楼附近井盖破损,大家意见很大。"
    spaced = "店子 社区 下水道 堵塞 , 12 号楼 附近 井盖 破损 , 大家 意见 很大 。"
    assert engine.normalize(raw) == engine.normalize(spaced)
    assert engine.words(engine.normalize(raw)) == engine.words(engine.normalize(spaced))
    assert "," not in engine.words(engine.normalize(raw))


@pytest.fixture(scope="module")
def router():
    texts, labels = corpus(per_class=24, seed=17)
    return engine.Router.fit(texts, labels)


def test_learns_the_synthetic_classes_and_generalises_to_unseen_raw_text(router):
    texts, labels = corpus(per_class=10, seed=4242)
    predicted = [r.label for r in router.predict(texts)]
    hits = sum(p == y for p, y in zip(predicted, labels, strict=True))
    assert hits / len(labels) >= 0.9


def test_segmented_input_gets_the_same_answer_as_raw(router):
    raw, _ = corpus(per_class=3, seed=7)
    spaced, _ = corpus(per_class=3, seed=7, spaced=True)
    a = router.rank(raw)
    b = router.rank(spaced)
    assert [[(r.label, round(r.confidence, 6)) for r in row] for row in a] == [
        [(r.label, round(r.confidence, 6)) for r in row] for row in b
    ]


def test_rank_gives_three_labels_best_first_with_probabilities(router):
    [ranked] = router.rank(["学校乱收费,老师还体罚学生"])
    assert len(ranked) == 3
    assert len({r.label for r in ranked}) == 3
    assert ranked[0].label == "教育文体"
    confidences = [r.confidence for r in ranked]
    assert confidences == sorted(confidences, reverse=True)
    assert 0 < sum(confidences) <= 1.0 + 1e-6


def test_save_and_load_round_trip(router, tmp_path):
    path = tmp_path / "m.joblib"
    engine.save(router, path)
    loaded = engine.load(path)
    assert loaded.labels == router.labels
    text = ["工厂排污,河道发臭"]
    assert loaded.rank(text)[0][0].label == router.rank(text)[0][0].label == "环境保护"


def test_load_refuses_a_file_that_is_not_a_router(tmp_path):
    import joblib

    path = tmp_path / "other.joblib"
    joblib.dump({"format": 99}, path)
    with pytest.raises(ValueError, match="unknown model file format"):
        engine.load(path)


def test_compact_features_compute_what_scikit_learn_computes():
    """The saved model answers from hashed-vocabulary arrays; the
    probabilities must be those of the fitted vectorizers + calibrated SVC."""
    import numpy as np

    texts, labels = corpus(per_class=24, seed=17)
    norm = [engine.normalize(t) for t in texts]
    toks = [engine.words(t) for t in norm]
    features = engine.Features()
    x = features.fit_transform(norm, toks)
    calibrated = engine.make_classifier("svc").fit(x, labels)
    compact = engine.CompactFeatures.from_features(features)
    arrays = engine.LinearSigmoid.from_calibrated(calibrated)
    probe, _ = corpus(per_class=4, seed=99)
    pn = [engine.normalize(t) for t in probe] + ["", "完全没见过的词语组合"]
    pt = [engine.words(t) for t in pn]
    expected = calibrated.predict_proba(features.transform(pn, pt))
    got = arrays.proba_rows([compact.row(t, w) for t, w in zip(pn, pt, strict=True)])
    assert np.abs(expected - got).max() < 1e-5
    assert len(compact.word.hashes) == len(features.word.vocabulary_)
    assert len(compact.char.hashes) == len(features.char.vocabulary_)


def test_router_file_carries_no_string_vocabulary(router):
    assert isinstance(router.features, engine.CompactFeatures)
    assert router.features.word.hashes.dtype.name == "uint64"
