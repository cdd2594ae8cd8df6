"""htmx is configured for the CSP on every page (base.html): no indicator
<style> element, no style attribute copied on swaps, no eval. The browser
test grassroots/matters/tests/test_browser_csp.py shows what the second one
prevents."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.django_db


def test_htmx_config_keeps_inline_styles_out(client):
    html = client.get("/").content.decode()
    match = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html)
    assert match is not None
    config = json.loads(match.group(1))
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False
    assert "style" not in config["attributesToSettle"]
    assert "class" in config["attributesToSettle"]  # htmx's swap classes still settle
