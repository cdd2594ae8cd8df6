from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit

from grassroots.matters.selectors import queue_counts
from grassroots.regions.selectors import subtree_summary
from grassroots.registration.selectors.home import window_home

from .forms import LoginForm
from .permissions import user_can
from .roles import Capability, Role

ROLE_INTRO: dict[str, str] = {
    Role.GRID_WORKER: "入户走访、记录群众说事、核采标准地址、巡查安全隐患,只看本网格。",
    Role.VILLAGE_STAFF: "受理和办理本村/社区的事项,组织协商议事,公示理事方案和结果。",
    Role.SUBDISTRICT_STAFF: "统筹派单,召开每周党政联席会议,督办期限,组织月度评议。",
    Role.MEDIATOR: "办理“三源”矛盾纠纷调解案件。",
    Role.LEGAL_ADVISER: "为网格提供法律咨询,参与 1+1+N 调解。",
    Role.WINDOW_STAFF: "社会组织登记:一次性告知、预约、帮办、初审、发证。",
    Role.SYSTEM_ADMIN: "管理账号、角色、辖区和节假日。",
    Role.SECURITY_ADMIN: "按需查看完整个人信息(留痕),复核账号锁定。",
    Role.AUDIT_ADMIN: "查阅和校验审计日志。",
}


@method_decorator(ratelimit(key="ip", rate="30/m", method="POST", block=False), name="post")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if getattr(request, "limited", False):
            form = self.get_form()
            form.add_error(None, "登录尝试过于频繁,请一分钟后再试。")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    summary = subtree_summary(user=user) if (user.is_superuser or user.can(Capability.VIEW_TREE)) else None  # type: ignore[union-attr]
    matter_links = None
    if user_can(user, Capability.VIEW_MATTERS):
        counts = queue_counts(user=user)
        queue = reverse("matters:queue")
        matter_links = [
            ("待受理", counts["reported"], f"{queue}?state=reported", "text-bg-warning"),
            ("已受理待交办", counts["accepted"], f"{queue}?state=accepted", "text-bg-info"),
            ("办理中", counts["handling"], f"{queue}?state=handling", "text-bg-primary"),
            ("议事中", counts["deliberating"], f"{queue}?state=deliberating", "text-bg-secondary"),
            ("已办结待关闭", counts["resolved"], f"{queue}?state=resolved", "text-bg-success"),
            ("逾期", counts["late"], f"{queue}?overdue=late", "text-bg-danger"),
        ]
    return render(
        request,
        "accounts/home.html",
        {
            "window": window_home() if user_can(user, Capability.WINDOW_WORK) else None,
            "summary": summary,
            "matter_links": matter_links,
            "reopen_requests": counts["reopen_requests"] if matter_links is not None else 0,
            "role_intro": ROLE_INTRO.get(str(getattr(user, "role", "")), ""),
        },
    )
