from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit

from grassroots.core.home import home_context_for
from grassroots.regions.selectors import subtree_summary

from ..forms.login import LoginForm
from ..roles import Capability, Role

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
    """The staff home page: the jurisdiction's summary and the panels the apps
    registered (`core.home`), those the user may see."""
    user = request.user
    summary = subtree_summary(user=user) if (user.is_superuser or user.can(Capability.VIEW_TREE)) else None  # type: ignore[union-attr]
    return render(
        request,
        "accounts/home.html",
        {
            **home_context_for(user),
            "summary": summary,
            "can_dashboard": user.is_superuser or user.can(Capability.VIEW_DASHBOARD),  # type: ignore[union-attr]
            "role_intro": ROLE_INTRO.get(str(getattr(user, "role", "")), ""),
        },
    )
