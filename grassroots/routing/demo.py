"""The demo's router: trained from the closed demo matters (their texts are
written for the demo, matters/demo_data.py; nothing from outside data), then
a few reported matters are accepted by the demo subdistrict account with the
suggestion shown, so that the accuracy page has a month to show: most as
suggested, every fourth corrected to the second choice (as staff would)."""

from __future__ import annotations

from grassroots.accounts.models import User
from grassroots.matters.models import Category, Matter, State
from grassroots.matters.services import lifecycle

from .advisor import ADVISOR
from .errors import RoutingError
from .services import router_train_from_history

ACCEPT = 12


def generate_demo_routing(*, accept: int = ACCEPT) -> str:
    version = router_train_from_history(force=True, cv=3)
    assert version is not None  # forced
    staff = User.objects.filter(username="street").first()
    if staff is None:
        raise RoutingError("demo_users_missing", "缺少演示账号 street,请先运行 create_demo_users。")
    accepted = corrected = 0
    reported = Matter.objects.filter(state=State.REPORTED).order_by("pk")[: accept * 2]
    for matter in reported:
        if accepted >= accept:
            break
        advice = ADVISOR.advise(matter=matter, actor=staff)
        if not advice.options:
            continue
        pick = advice.options[1] if accepted % 4 == 3 and len(advice.options) > 1 else advice.options[0]
        corrected += pick is not advice.options[0]
        lifecycle.matter_accept(actor=staff, matter=matter, category=Category.objects.get(pk=pick.category_id))
        accepted += 1
    return (
        f"分类推荐模型 {version.label}:{version.rows} 条已办结事项,{version.class_count} 类,"
        f"{version.cv_folds} 折交叉验证 macro-F1 {version.cv_display};演示受理 {accepted} 件(其中改选 {corrected} 件)"
    )
