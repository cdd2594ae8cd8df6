"""The README's opening paragraph claims only what exists: each feature it
names as part of the platform has its app installed; planned ones are
marked as planned."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps

README = Path(__file__).resolve().parents[3] / "README.md"
# Phrase in the opening paragraph → the app that implements it.
FEATURES = {
    "five-matters loop": "matters",
    "dispute mediation": "mediation",
    "social-organisation registration": "registration",
    "safety inspections": "safety",
    "party building": "party",
    "collective economy": "economy",
    "indicator ledger": "indicators",
    "dashboards for every level": "dashboards",
    "big screen": "bigscreen",
    "category routing": "routing",
    "address verification": "addresses",
    "relocation ledger": "relocation",
    "livelihood care": "livelihood",
    "ledgers": "ledgers",
    "WeChat channels": "channels",
}
PLANNED = re.compile(r"planned|not built yet", re.IGNORECASE)


def _opening_paragraph() -> str:
    text = README.read_text(encoding="utf-8")
    return " ".join(text.split("\n\n", 2)[1].split())  # after the title, on one line


def test_opening_paragraph_claims_only_installed_apps():
    paragraph = _opening_paragraph()
    installed = {config.label for config in apps.get_app_configs()}
    for sentence in re.split(r"(?<=\.)\s", paragraph):
        if PLANNED.search(sentence):
            continue
        for phrase, app in FEATURES.items():
            if phrase in sentence:
                assert app in installed, f"README claims {phrase!r}, but there is no {app!r} app"
