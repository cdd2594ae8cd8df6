"""The service home page of social-organisation registration (/socialorg/):
what can be done here and where to start, for applicants who arrive from the
platform's home page, a QR code or a printed notice."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..models import Service
from ..services.notice import authority_get

# (title, explanation, URL name, icon, test id), in the order an applicant needs them.
STEPS = (
    ("办事须知", "回答几个问题,一次性列出全部材料,可下载空白表格。", "appt-notice", "bi-card-checklist", "home-notice"),
    ("预约帮办", "预约到窗口办理,工作人员手把手帮您填表、上传。", "appt-book", "bi-calendar-check", "home-book"),
    ("网上申请", "在网上填写申请表、上传材料,不用跑腿。", "app-apply", "bi-pencil-square", "home-apply"),
    ("查询进度", "凭查询码查看审查进度、补正要求和证书。", "app-track-lookup", "bi-search", "home-track"),
    ("不见面换证", "证书快到期?寄出旧证书,新证书免费寄回。", "cert-renew", "bi-envelope-paper", "home-renew"),
    ("登记目录", "查看已登记的社会组织,核验登记证书真伪。", "cert-directory", "bi-journal-text", "home-directory"),
)  # fmt: skip


@login_not_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    services = list(Service.objects.order_by("sort_order", "code"))
    return render(
        request,
        "registration/public/home.html",
        {
            "steps": [
                {"title": t, "text": x, "url_name": f"registration-public:{n}", "icon": i, "testid": d}
                for t, x, n, i, d in STEPS
            ],
            "services": services,
            "authority": authority_get(),
        },
    )
