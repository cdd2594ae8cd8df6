"""route_train and route_predict on tiny CSV fixtures written for the tests
(the interface of issue 17, item 4), and their Chinese errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from grassroots.routing import engine

DATA = Path(__file__).parent / "data"
TRAIN = DATA / "tiny_train.csv"
RAW = DATA / "tiny_raw.csv"


def _train(out: Path, *extra: str) -> None:
    call_command(
        "route_train",
        "--csv",
        str(TRAIN),
        "--text-column",
        "text_segmented",
        "--label-column",
        "label_level1",
        "--out",
        str(out),
        *extra,
    )


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    out = tmp_path_factory.mktemp("cmd") / "sub" / "router.joblib"
    _train(out)
    return out


def test_train_writes_a_model_with_its_metadata(model):
    router = engine.load(model)
    assert sorted(router.labels) == ["劳动和社会保障", "城乡建设", "教育文体", "环境保护"]
    assert router.meta["rows"] == 48
    assert router.meta["trained_at"]


def test_train_with_cross_validation_reports_the_score(tmp_path, capsys):
    _train(tmp_path / "m.joblib", "--cv", "3")
    out = capsys.readouterr().out
    assert "3 折交叉验证 macro-F1" in out
    assert engine.load(tmp_path / "m.joblib").meta["cv_macro_f1"] > 0.5


def test_predict_writes_input_columns_plus_prediction_and_confidence(model, tmp_path):
    out = tmp_path / "pred.csv"
    call_command("route_predict", "--model", str(model), "--text-columns", "subject,body", "--out", str(out), str(RAW))
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        header = rows[0].keys()
    assert list(header) == ["id", "subject", "body", "label", "predicted", "confidence"]
    assert len(rows) == 12
    assert [r["id"] for r in rows] == [str(i) for i in range(1, 13)]
    hits = sum(r["predicted"] == r["label"] for r in rows)
    assert hits >= 10, rows
    assert all(0 < float(r["confidence"]) <= 1 for r in rows)


def test_predict_joins_the_columns_in_order(model, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("a,b\n工厂,排污河道发臭\n学校乱收费,\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    call_command("route_predict", "--model", str(model), "--text-columns", "a,b", "--out", str(out), str(source))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["predicted"] for r in rows] == ["环境保护", "教育文体"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", "MODEL", "--text-columns", "subject,nope", "--out", "OUT", "RAW"], "缺少列:nope"),
        (["--model", "MODEL", "--text-columns", "subject", "--out", "OUT", "MISSING"], "找不到 CSV 文件"),
        (["--model", "NOMODEL", "--text-columns", "subject", "--out", "OUT", "RAW"], "找不到模型文件"),
        (["--model", "RAW", "--text-columns", "subject", "--out", "OUT", "RAW"], "模型文件无法读取"),
        (["--model", "MODEL", "--text-columns", " , ", "--out", "OUT", "RAW"], "至少一个文本列"),
    ],
)
def test_predict_errors_are_clear_and_write_nothing(model, tmp_path, args, message):
    out = tmp_path / "out.csv"
    names = {"MODEL": str(model), "OUT": str(out), "RAW": str(RAW), "MISSING": str(tmp_path / "x.csv")}
    names["NOMODEL"] = str(tmp_path / "none.joblib")
    with pytest.raises(CommandError, match=message):
        call_command("route_predict", *[names.get(a, a) for a in args])
    assert not out.exists()


def test_predict_refuses_a_file_that_is_not_utf8(model, tmp_path):
    source = tmp_path / "gbk.csv"
    source.write_bytes("subject\n路灯不亮\n".encode("gbk"))
    with pytest.raises(CommandError, match="不是 UTF-8"):
        call_command(
            "route_predict",
            "--model",
            str(model),
            "--text-columns",
            "subject",
            "--out",
            str(tmp_path / "o"),
            str(source),
        )


def test_train_errors(tmp_path):
    with pytest.raises(CommandError, match="缺少列:label"):
        call_command(
            "route_train",
            "--csv",
            str(TRAIN),
            "--text-column",
            "text_segmented",
            "--label-column",
            "label",
            "--out",
            str(tmp_path / "m.joblib"),
        )
    with pytest.raises(CommandError, match="必须提供 --out"):
        call_command("route_train", "--csv", str(TRAIN), "--text-column", "text_segmented", "--label-column", "x")
    one = tmp_path / "one.csv"
    one.write_text("t,l\n路灯不亮,城乡建设\n井盖破损,城乡建设\n", encoding="utf-8")
    with pytest.raises(CommandError, match="至少需要两个类别"):
        call_command(
            "route_train", "--csv", str(one), "--text-column", "t", "--label-column", "l", "--out", str(tmp_path / "m")
        )
    assert not (tmp_path / "m.joblib").exists() and not (tmp_path / "m").exists()
