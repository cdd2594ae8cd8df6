"""Shared set-up of the routing tests: four categories under one parent, a
router trained once per test session on the synthetic corpus (labels are the
categories' codes), and a version row that points at a copy of its file."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from grassroots.matters.models import Category, UnitKind
from grassroots.matters.tests.factories import category
from grassroots.routing import engine
from grassroots.routing.models import RouterVersion

from .corpus import CLASSES, corpus

CODES = {
    "城乡建设": ("rt-build", "道路和设施", UnitKind.SUBDISTRICT, "urban", 3),
    "环境保护": ("rt-env", "环境污染", UnitKind.SUBDISTRICT, "environment", 5),
    "教育文体": ("rt-edu", "教育收费", UnitKind.VILLAGE, "", 7),
    "劳动和社会保障": ("rt-labour", "工资社保", UnitKind.SUBDISTRICT, "labour", 10),
}
_TRAINED: dict[str, Path] = {}


def categories() -> dict[str, Category]:
    parent = category(code="rt-parent", name="推荐测试")
    return {
        label: category(code=code, name=name, unit_kind=kind, department_code=dept, deadline_days=days, parent=parent)
        for label, (code, name, kind, dept, days) in CODES.items()
    }


def trained_file(tmp_root: Path) -> Path:
    """The synthetic router, trained once per process."""
    if "file" not in _TRAINED:
        texts, labels = corpus()
        router = engine.Router.fit(texts, [CODES[label][0] for label in labels])
        path = tmp_root / "router-synthetic.joblib"
        engine.save(router, path)
        _TRAINED["file"] = path
    return _TRAINED["file"]


def install_version(source: Path, **fields: Any) -> RouterVersion:
    folder = Path(settings.ROUTING_MODEL_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"router-test-{RouterVersion.objects.count() + 1}.joblib"
    shutil.copy(source, folder / name)
    defaults: dict[str, Any] = {
        "number": RouterVersion.objects.count() + 1,
        "trained_at": timezone.now(),
        "file_name": name,
        "rows": 96,
        "class_count": len(CLASSES),
        "active": True,
    }
    defaults.update(fields)
    RouterVersion.objects.filter(active=True).update(active=False)
    return RouterVersion.objects.create(**defaults)
