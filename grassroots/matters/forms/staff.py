"""Forms for the staff work queue and the detail page's actions. They only
parse and check the shape of input; the rules live in the services, whose
`DomainError`s the views turn into errors on these forms."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import ROLE_CAPABILITIES, Capability
from grassroots.core.forms import StaffForm, choice_errors, date_widget
from grassroots.core.publishing import publisher
from grassroots.core.scoping import scope_queryset
from grassroots.core.workdays import CalendarNotCovered, add_working_days

from ..models import Category, Matter, ResponsibleUnit, Urgency
from ..publishing import PLAN, RESULT
from ..selectors import ancestor_paths
from ..services.advice import matter_advice
from ..states import State

PUBLICATION_DEFAULT_DAYS = 5
# The publication channels offered first (publicity's notice board and WeChat).
DEFAULT_CHANNELS = ["notice", "wechat"]


def _required(label: str) -> dict[str, str]:
    return {"required": f"请填写{label}。"}


def category_queryset() -> QuerySet[Category]:
    """Second-level, active categories: only they carry a deadline."""
    return (
        Category.objects.filter(active=True, parent__isnull=False)
        .select_related("parent")
        .order_by("parent__sort_order", "parent__code", "sort_order", "code")
    )


def staff_for(matter: Matter) -> QuerySet[User]:
    """Active staff who may work on the matter: a role that views matters and a
    jurisdiction that contains the matter's node."""
    roles = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.VIEW_MATTERS in caps]
    return (
        User.objects.filter(is_active=True, role__in=roles, jurisdiction__path__in=ancestor_paths(matter.path))
        .select_related("jurisdiction")
        .order_by("-jurisdiction__depth", "display_name", "username")
    )


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        category: Category = obj
        return f"{category}({category.deadline_days} 个工作日)"


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        user: User = obj
        place = user.jurisdiction.label if user.jurisdiction else ""
        return f"{user}({user.get_role_display()} · {place})"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


# --- Actions ----------------------------------------------------------------


class ActionForm(StaffForm):
    """Base: every action form knows its matter, the acting user and its
    action name (which keeps element ids unique on the detail page)."""

    def __init__(self, *args: Any, matter: Matter, user: Any, action: str = "", **kwargs: Any) -> None:
        self.matter = matter
        self.user = user
        self.action = action
        kwargs.setdefault("auto_id", f"id_{action.replace('-', '_')}_%s" if action else "id_%s")
        super().__init__(*args, **kwargs)


class AcceptForm(ActionForm):
    category = CategoryChoiceField(
        label="分类", queryset=Category.objects.none(), empty_label="请选择分类", error_messages=choice_errors("分类")
    )
    responsible_unit = forms.ModelChoiceField(
        label="责任单位",
        queryset=ResponsibleUnit.objects.none(),
        required=False,
        empty_label="按分类默认",
        error_messages=choice_errors("责任单位"),
    )
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, error_messages=choice_errors("紧急程度"))
    touches_collective = forms.BooleanField(label="涉及集体利益(办结前须公示方案和结果)", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = category_queryset()  # type: ignore[attr-defined]
        self.fields["responsible_unit"].queryset = ResponsibleUnit.objects.filter(  # type: ignore[attr-defined]
            active=True, path__in=ancestor_paths(self.matter.path)
        ).order_by("-path", "name")
        # The router's suggestion (ADR 0050): the top category preselected
        # when its confidence is high enough, never a low-confidence one.
        self.advice = matter_advice(matter=self.matter, actor=self.user)
        preselect = self.advice.preselect if self.advice is not None else None
        self.initial.setdefault("category", self.matter.category_id or preselect)
        self.initial.setdefault("urgency", self.matter.urgency)
        self.initial.setdefault("touches_collective", self.matter.touches_collective)


class RejectForm(ActionForm):
    reason = forms.CharField(
        label="不予受理理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={**_required("不予受理理由"), "max_length": "理由不能超过 500 个字。"},
    )


class MergeForm(ActionForm):
    into = forms.CharField(
        label="合并到事项编号",
        max_length=20,
        error_messages=_required("要合并到的事项编号"),
        widget=forms.TextInput(attrs={"placeholder": "如 SX20261129-0001"}),
    )

    def clean_into(self) -> Matter:
        number = self.cleaned_data["into"].strip().upper()
        target = scope_queryset(Matter.objects.all(), self.user).filter(number=number).first()
        if target is None:
            raise forms.ValidationError(f"未找到编号为“{number}”的事项,或不在您的辖区内。")
        return target


class AssignForm(ActionForm):
    assignee = StaffChoiceField(
        label="承办人",
        queryset=User.objects.none(),
        empty_label="请选择承办人",
        error_messages=choice_errors("承办人"),
    )
    plan = forms.CharField(
        label="办理方案",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={**_required("办理方案"), "max_length": "办理方案不能超过 5000 个字。"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_for(self.matter)  # type: ignore[attr-defined]
        self.initial.setdefault("assignee", self.matter.assignee_id)
        self.initial.setdefault("plan", self.matter.handling_plan)


class ResolveForm(ActionForm):
    result = forms.CharField(
        label="办理结果",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={**_required("办理结果"), "max_length": "办理结果不能超过 5000 个字。"},
    )
    attachments = MultipleFileField(label="结果照片或文件(公开)", required=False)


class CloseForm(ActionForm):
    pass


class ReasonForm(ActionForm):
    reason = forms.CharField(
        label="理由",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={**_required("理由"), "max_length": "理由不能超过 200 个字。"},
    )


class ReopenForm(ReasonForm):
    pass


class EscalateForm(ReasonForm):
    pass


class JointMeetingForm(ReasonForm):
    pass


class NoteForm(ActionForm):
    text = forms.CharField(
        label="内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={**_required("内容"), "max_length": "内容不能超过 2000 个字。"},
    )
    visibility = forms.ChoiceField(
        label="可见范围",
        choices=[("internal", "内部备注(仅工作人员可见)"), ("public", "公开答复(反映人可在查询页看到)")],
        initial="internal",
        widget=forms.RadioSelect,
        error_messages=choice_errors("可见范围"),
    )


class PublishForm(ActionForm):
    kind = forms.ChoiceField(
        label="公示内容",
        choices=[],  # set per form from the registered publisher (ADR 0033)
        error_messages=choice_errors("公示内容"),
    )
    title = forms.CharField(
        label="标题", max_length=100, error_messages={**_required("标题"), "max_length": "标题不能超过 100 个字。"}
    )
    content = forms.CharField(
        label="正文",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={**_required("正文"), "max_length": "正文不能超过 5000 个字。"},
    )
    starts_on = forms.DateField(
        label="公示开始",
        widget=date_widget(),
        error_messages={**_required("公示开始日期"), "invalid": "请输入有效的日期。"},
    )
    ends_on = forms.DateField(
        label="公示结束",
        widget=date_widget(),
        error_messages={**_required("公示结束日期"), "invalid": "请输入有效的日期。"},
    )
    channels = forms.MultipleChoiceField(
        label="公示渠道",
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_errors("公示渠道"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        notices = publisher()
        kind_field, channel_field = self.fields["kind"], self.fields["channels"]
        assert isinstance(kind_field, forms.ChoiceField) and isinstance(channel_field, forms.ChoiceField)
        kind_field.choices = [(k, notices.kind_label(k)) for k in (PLAN, RESULT)]
        channel_field.choices = list(notices.channels)
        today = timezone.localdate()
        resolved = self.matter.state in {State.RESOLVED, State.CLOSED}
        kind = RESULT if resolved else PLAN
        self.initial.setdefault("kind", kind)
        self.initial.setdefault("title", f"{self.matter.title}{notices.kind_label(kind)}公示")
        self.initial.setdefault("content", self.matter.result if resolved else self.matter.handling_plan)
        self.initial.setdefault("starts_on", today)
        self.initial.setdefault("ends_on", _default_publication_end(today))
        self.initial.setdefault("channels", DEFAULT_CHANNELS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "公示结束日期不能早于开始日期。")
        return data


def _default_publication_end(today: datetime.date) -> datetime.date | None:
    """Five working days from today; left empty for the user to fill in when
    the calendar does not cover the period (never a silent weekday guess)."""
    try:
        return add_working_days(today, PUBLICATION_DEFAULT_DAYS)
    except CalendarNotCovered:
        return None


class ReopenAnswerForm(StaffForm):
    grant = forms.TypedChoiceField(
        label="答复",
        choices=[("yes", "同意重新办理"), ("no", "不同意")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages=choice_errors("是否同意"),
    )
    answer = forms.CharField(
        label="答复内容",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={**_required("答复内容"), "max_length": "答复内容不能超过 1000 个字。"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
