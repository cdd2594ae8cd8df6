"""The import-linter contracts in pyproject.toml stay complete: every module
of a domain app that is not its public face (services, selectors, models) is
protected, so a new views or forms module cannot be imported from another app
unnoticed. `./run lint` runs the contracts themselves (lint-imports)."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import pytest

import grassroots

ROOT = Path(__file__).resolve().parents[3]
DOMAIN_APPS = [
    "matters",
    "deliberation",
    "publicity",
    "evaluation",
    "registration",
    "mediation",
    "addresses",
    "safety",
    "relocation",
    "party",
    "livelihood",
    "economy",
    "indicators",
    "dashboards",
    "bigscreen",
    "channels",
    "routing",
]
PUBLIC_PREFIXES = ("services", "selectors", "models")
NOT_MODULES = {"tests", "migrations", "apps", "__init__"}


def contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_every_internal_module_is_protected(app):
    package = Path(grassroots.__file__).parent / app
    modules = {info.name for info in pkgutil.iter_modules([str(package)])} - NOT_MODULES
    internal = {name for name in modules if not name.startswith(PUBLIC_PREFIXES)}
    protected = {m.rsplit(".", 1)[1] for m in contracts()[f"{app}-internals"]["protected_modules"]}
    assert internal - protected == set(), f"add these modules of {app} to its contract in pyproject.toml"
    assert protected - modules == set(), f"these protected modules of {app} no longer exist"


def test_core_knows_no_domain_covers_every_app():
    apps = {info.name for info in pkgutil.iter_modules([str(Path(grassroots.__file__).parent)]) if info.ispkg}
    forbidden = {m.rsplit(".", 1)[1] for m in contracts()["core-knows-no-domain"]["forbidden_modules"]}
    assert apps - {"core", "testing", "templates", "static"} <= forbidden


def test_layers_cover_every_app():
    apps = {info.name for info in pkgutil.iter_modules([str(Path(grassroots.__file__).parent)]) if info.ispkg}
    layered = {
        module.strip().rsplit(".", 1)[1] for layer in contracts()["layers"]["layers"] for module in layer.split(":")
    }
    assert apps - {"testing", "templates", "static"} == layered
    assert contracts()["layers"]["layers"][0] == "grassroots.site", "the site's composition is the top layer"
