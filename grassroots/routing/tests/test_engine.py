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
    calibrated = [engine.make_classifier(kind).fit(x, labels) for kind in engine.BLEND]
    compact = engine.CompactFeatures.from_features(features)
    arrays = engine.Blend([engine.LinearSigmoid.from_calibrated(m) for m in calibrated])
    probe, _ = corpus(per_class=4, seed=99)
    pn = [engine.normalize(t) for t in probe] + ["", "完全没见过的词语组合"]
    pt = [engine.words(t) for t in pn]
    expected = np.mean([m.predict_proba(features.transform(pn, pt)) for m in calibrated], axis=0)
    got = arrays.proba_rows([compact.row(t, w) for t, w in zip(pn, pt, strict=True)])
    assert np.abs(expected - got).max() < 1e-5
    assert np.abs(expected.sum(axis=1) - 1).max() < 1e-6
    assert len(compact.word.hashes) == len(features.word.vocabulary_)
    assert len(compact.char.hashes) == len(features.char.vocabulary_)


def test_router_file_carries_no_string_vocabulary(router):
    assert isinstance(router.features, engine.CompactFeatures)
    assert router.features.word.hashes.dtype.name == "uint64"


def test_stop_words_are_the_common_words_the_training_text_lacks():
    """The 12345 file was stop-word filtered; a raw message is not. Words
    that common Chinese uses all the time but the training tokens never
    hold are found and removed from what the model reads."""
    filtered = [["小区", "电梯", "故障", "维修"]] * 3000
    stops = engine.absent_common_words(filtered)
    assert {"的", "了", "在"} <= stops
    assert not stops & {"小区", "电梯", "故障", "维修"}
    raw = [["小区", "的", "电梯", "了", "在", "故障", "是", "维修", "我", "不"]] * 3000
    assert not engine.absent_common_words(raw) & {"的", "了", "在", "是", "我", "不"}
    # Too little text to tell: nothing is removed.
    assert engine.absent_common_words(filtered[:10]) == frozenset()


def test_raw_text_reads_like_the_filtered_training_text():
    stops = frozenset({"的", "了", "在", "我", "是"})
    raw = "我小区的电梯坏了,在12号楼。"
    filtered = "小区 电梯 坏 12 号楼"
    assert engine.prepare([raw], stops) == engine.prepare([filtered], stops)
    chars, tokens = engine.prepare([raw], stops)
    assert chars == ["小区电梯坏0号楼"]
    assert "的" not in tokens[0]


def test_a_router_trained_on_filtered_text_ignores_the_stop_words_of_a_raw_message():
    texts, labels = corpus(per_class=100, seed=5)
    stripped = [t.replace(",", "").replace("。", "") for t in texts]
    router = engine.Router.fit(stripped, labels)
    assert router.stop_words is not None and "的" in router.stop_words
    raw = "我们店子社区的路灯不亮了,是在20号楼附近的道路坑洼"
    clean = "店子社区路灯不亮20号楼附近道路坑洼"
    assert [(r.label, round(r.confidence, 6)) for r in router.rank([raw])[0]] == [
        (r.label, round(r.confidence, 6)) for r in router.rank([clean])[0]
    ]


def test_a_format_2_file_still_answers(router, tmp_path):
    """Before stop words, the character n-grams read the normalised text."""
    import joblib

    old = engine.Router(features=router.features, classifier=router.classifier, labels=router.labels)
    path = tmp_path / "v2.joblib"
    joblib.dump({"format": 2, "router": old}, path)
    loaded = engine.load(path)
    assert loaded.stop_words is None
    assert loaded.rank(["工厂排污,河道发臭"])[0][0].label == "环境保护"
