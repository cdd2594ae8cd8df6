"""The display token's table (states.py), every pair through the services."""

from __future__ import annotations

import pytest

from grassroots.core.models import AuditEntry
from grassroots.testing.workflow import all_pairs, assert_table, check_pair, pair_ids

from ..models import ScreenToken
from ..services import screen_token_issue, screen_token_revoke
from ..states import TABLE, Action, State

pytestmark = pytest.mark.django_db
PAIRS = all_pairs(Action, State)


def test_table():
    assert_table(TABLE, actions=Action, states=State, expected={(Action.REVOKE, State.ACTIVE)})


@pytest.mark.parametrize(("action", "state"), PAIRS, ids=pair_ids(PAIRS))
def test_every_pair(tree, people, action, state):
    token, _secret = screen_token_issue(actor=people.street, node=tree.subdistrict, label="大屏", days=30)
    if state == State.REVOKED:
        screen_token_revoke(actor=people.street, token=token)
    token.refresh_from_db()

    def snapshot():
        return ScreenToken.objects.values_list("state", "updated_at").get(pk=token.pk), AuditEntry.objects.count()

    check_pair(
        TABLE,
        action=action,
        state=state,
        obj=token,
        perform=lambda: screen_token_revoke(actor=people.street, token=token),
        snapshot=snapshot,
    )
