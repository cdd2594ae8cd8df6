"""The delivery table, and the one transition staff take (send a failed post
again) refused from every other state with nothing changed."""

from __future__ import annotations

import pytest

from grassroots.accounts.roles import Role
from grassroots.matters.tests.factories import category, matter_in_state
from grassroots.publicity.tests.staff_helpers import draft_of
from grassroots.testing.factories import UserFactory
from grassroots.testing.workflow import assert_table

from ..errors import ChannelError
from ..models import ChannelPost
from ..services.posts import post_retry
from ..states import TABLE, Action, State
from .support import robot_at


def test_the_table():
    assert_table(
        TABLE,
        actions=Action,
        states=State,
        expected={
            (Action.SEND, State.PENDING),
            (Action.FAIL, State.PENDING),
            (Action.RETRY, State.FAILED),
        },
    )


@pytest.mark.parametrize("state", [State.PENDING, State.SENT])
def test_retry_is_refused_unless_failed(tree, served, state):
    staff = UserFactory(username="states_a", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)
    matter = matter_in_state("handling", node=tree.grid_a1, handler=staff, cat=category())
    post = ChannelPost.objects.create(
        publication=draft_of(staff, matter),
        target="wecom",
        robot=robot_at(tree.village_a, created_by=staff),
        status=state,
        attempts=2,
        created_by=staff,
    )
    with pytest.raises(ChannelError):
        post_retry(actor=staff, post=post)
    post.refresh_from_db()
    assert post.status == state and post.attempts == 2
