"""The monthly birthday-list reminder to grid workers (in-app notification,
one per worker and month: the dedupe key makes a rerun harmless)."""

from __future__ import annotations

import datetime

from django.urls import reverse

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.core.notifications.services import notify_user
from grassroots.regions.models import Level

from .. import selectors
from ..models import ListKind


def birthday_lists_remind(*, month: datetime.date | None = None) -> int:
    month = month or selectors.this_month()
    sent = 0
    workers = User.objects.filter(role=Role.GRID_WORKER, is_active=True, jurisdiction__level=Level.GRID)
    for worker in workers.select_related("jurisdiction").order_by("pk"):
        grid = worker.jurisdiction
        assert grid is not None
        due = selectors.members(kind=ListKind.BIRTHDAY, month=month, path=grid.path).count()
        if not due:
            continue
        notify_user(
            worker,
            "本月生日走访名单",
            f"{grid.label}{month.month}月有 {due} 位70岁以上老人过生日,请安排生日走访。",
            link=reverse("livelihood:list", args=[grid.pk, ListKind.BIRTHDAY]),
            dedupe_key=f"livelihood-birthday-{worker.pk}-{month:%Y-%m}",
        )
        sent += 1
    return sent
