"""Schemathesis over every operation of the committed openapi.yaml, through
the Django WSGI app (issue 11 item 13, ADR 0029): no server error and no
answer that contradicts the schema (a bare array where a page is promised,
null where a field is not nullable, an undocumented shape).

Deterministic (fixed seed, no example database) and bounded: MAX_EXAMPLES
per operation keeps the whole module within the budget recorded in the ADR.
Each operation is called as the role that uses it, with a token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from grassroots.accounts.roles import Role
from grassroots.accounts.tokens.services import api_token_issue_for_tests
from grassroots.matters.tests.staff_setup import new_matter
from grassroots.testing import factories

MAX_EXAMPLES = 20
OPENAPI = Path(__file__).resolve().parents[3] / "openapi.yaml"

schema = schemathesis.openapi.from_path(OPENAPI)
schema.app = get_wsgi_application()
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=MAX_EXAMPLES,
    deterministic=True,
    database="none",
    no_shrink=True,
)
schema.config.phases.update(phases=["examples", "fuzzing"])

# Which role calls which part of the API; the rest is subdistrict staff's.
ROLE_BY_PREFIX = [
    ("/api/v1/registration/", Role.WINDOW_STAFF),
    ("/api/v1/audit", Role.AUDIT_ADMIN),
    ("/api/v1/mediation/", Role.MEDIATOR),
]


@pytest.fixture
def _keep_connection() -> Any:
    """As Django's test client does: the WSGI handler would otherwise close
    the test's connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db: Any, _keep_connection: Any) -> dict[str, str]:
    """A small tree with staff and a matter. The WSGI app runs on the test's
    connection, so it sees this data and the test's rollback removes it."""
    tree = factories.build_small_tree()
    users = {
        role: factories.UserFactory(username=f"st_{role}", role=role, jurisdiction=tree.subdistrict)
        for role in (Role.SUBDISTRICT_STAFF, Role.WINDOW_STAFF, Role.AUDIT_ADMIN, Role.MEDIATOR)
    }
    for tag, village in (("a", tree.village_a), ("b", tree.village_b)):
        factories.UserFactory(username=f"st_village_{tag}", role=Role.VILLAGE_STAFF, jurisdiction=village)
    new_matter(tree.unit_a1, actor=users[Role.SUBDISTRICT_STAFF])
    return {role: api_token_issue_for_tests(user=user) for role, user in users.items()}


def _token_for(path: str, tokens: dict[str, str]) -> str:
    for prefix, role in ROLE_BY_PREFIX:
        if path.startswith(prefix):
            return tokens[role]
    return tokens[Role.SUBDISTRICT_STAFF]


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_operation(case: Any, tokens: dict[str, str]) -> None:
    headers = {"Authorization": f"Token {_token_for(case.path, tokens)}"}
    # A WSGI server sets REMOTE_ADDR (the rate limits key on it); werkzeug's client here does not.
    case.call_and_validate(
        headers=headers,
        checks=[not_a_server_error, response_schema_conformance],
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
