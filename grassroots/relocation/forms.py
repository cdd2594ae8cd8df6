"""Forms of the relocation pages (inputs only; the services validate the rules)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from grassroots.core.forms import StaffForm, date_widget

from .models import BatchKind, ProjectKind
from .states import Action, State

AMOUNT_ACTIONS: dict[str, str] = {
    Action.ASSESS: "评估金额(元)",
    Action.SIGN: "协议补偿金额(元)",
    Action.COMPENSATE: "已付补偿金额(元)",
}


class StageForm(StaffForm):
    """One stage of a unit: its date (today when blank), the amount the stage
    fixes (assessment, agreement, payment), a note."""

    on = forms.DateField(
        label="办理日期",
        required=False,
        widget=date_widget(),
        error_messages={"invalid": "请按 2026-12-07 的格式填写日期。"},
    )
    amount = forms.CharField(label="金额(元)", required=False, max_length=20)
    note = forms.CharField(
        label="备注",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "备注不能超过 500 个字。"},
    )

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if action in AMOUNT_ACTIONS:
            self.fields["amount"].label = AMOUNT_ACTIONS[action]
            self.fields["amount"].widget.attrs["inputmode"] = "decimal"
        else:
            del self.fields["amount"]


class HandoverForm(StaffForm):
    reason = forms.CharField(
        label="争议内容和已做的工作",
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "请写明争议内容和已做的工作。",
            "min_length": "请写明争议内容和已做的工作(至少 10 个字)。",
            "max_length": "争议说明不能超过 2000 个字。",
        },
    )


class RevealForm(StaffForm):
    reason = forms.CharField(
        label="查看事由", max_length=200, error_messages={"required": "请填写查看事由。", "max_length": "事由太长了。"}
    )


class ImportForm(StaffForm):
    file = forms.FileField(label="Excel 文件(.xlsx)", error_messages={"required": "请选择要导入的 Excel 文件。"})


class UnitFilterForm(StaffForm):
    """The rows behind a dashboard figure: the same filters as its link."""

    number = forms.CharField(label="户号", required=False, max_length=30)
    state = forms.ChoiceField(label="环节", required=False, choices=[("", "全部环节"), *State.choices])
    signed = forms.ChoiceField(label="签约", required=False, choices=[("", "全部"), ("1", "已签约"), ("0", "未签约")])
    batch = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62)
    village = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62)
    worker = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        signed = data.get("signed")
        return {
            "number": data.get("number") or "",
            "state": data.get("state") or "",
            "signed": None if not signed else signed == "1",
            "batch": data.get("batch"),
            "village": data.get("village"),
            "worker": data.get("worker"),
        }


class ProjectForm(StaffForm):
    name = forms.CharField(
        label="项目名称",
        max_length=100,
        error_messages={"required": "请填写项目名称。", "max_length": "项目名称太长了。"},
    )
    kind = forms.ChoiceField(
        label="项目类型", choices=ProjectKind.choices, error_messages={"required": "请选择项目类型。"}
    )
    implementer = forms.CharField(label="征收实施单位", max_length=100, required=False)
    target_date = forms.DateField(
        label="目标完成日期",
        required=False,
        widget=date_widget(),
        error_messages={"invalid": "请按 2026-12-07 的格式填写日期。"},
    )


class BatchForm(StaffForm):
    name = forms.CharField(
        label="批次名称",
        max_length=100,
        error_messages={"required": "请填写批次名称。", "max_length": "批次名称太长了。"},
    )
    kind = forms.ChoiceField(
        label="批次类型", choices=BatchKind.choices, error_messages={"required": "请选择批次类型。"}
    )


DATE_ERRORS = {"invalid": "请按 2026-12-07 的格式填写日期。"}


class ProjectEditForm(ProjectForm):
    """The project's edit page (the service checks the rules: names, the order of the dates)."""

    description = forms.CharField(
        label="项目说明",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "项目说明不能超过 2000 个字。"},
    )
    start_date = forms.DateField(label="启动日期", required=False, widget=date_widget(), error_messages=DATE_ERRORS)
    field_order = ["name", "kind", "implementer", "description", "start_date", "target_date"]


class BatchEditForm(BatchForm):
    target_units = forms.IntegerField(
        label="计划户数",
        required=False,
        min_value=1,
        max_value=100000,
        error_messages={
            "invalid": "计划户数应为整数。",
            "min_value": "计划户数应在 1 到 100000 之间。",
            "max_value": "计划户数应在 1 到 100000 之间。",
        },
    )
    target_rate = forms.DecimalField(
        label="目标签约率(%)",
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        error_messages={
            "invalid": "目标签约率应为 0 到 100 之间的数字。",
            "min_value": "目标签约率应为 0 到 100 之间的数字。",
            "max_value": "目标签约率应为 0 到 100 之间的数字。",
            "max_digits": "目标签约率应为 0 到 100 之间的数字。",
            "max_decimal_places": "目标签约率最多保留两位小数。",
            "max_whole_digits": "目标签约率应为 0 到 100 之间的数字。",
        },
    )
    target_date = forms.DateField(
        label="目标签约日期", required=False, widget=date_widget(), error_messages=DATE_ERRORS
    )


class IdListField(forms.Field):
    """Ticked checkboxes of the same name: a list of ids (the service checks they are the project's)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value not in (None, "") else [])
        try:
            ids = [int(v) for v in values]
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError("所选征迁户有误,请刷新后重选。") from exc
        if any(i < 1 or i > 2**62 for i in ids):
            raise forms.ValidationError("所选征迁户有误,请刷新后重选。")
        return ids


class ReassignForm(StaffForm):
    """Units to another worker: the ticked units, or every unit of `from_worker` in `batch`."""

    units = IdListField(label="征迁户", required=False)
    from_worker = forms.TypedChoiceField(label="原工作人员", required=False, coerce=int, empty_value=None)
    batch = forms.TypedChoiceField(label="批次", required=False, coerce=int, empty_value=None)
    to_worker = forms.TypedChoiceField(
        label="接手的工作人员", coerce=int, empty_value=None, error_messages={"required": "请选择接手的征迁工作人员。"}
    )
    reason = forms.CharField(
        label="调整原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请写明调整原因。", "max_length": "调整原因不能超过 500 个字。"},
    )

    def __init__(
        self,
        *args: Any,
        workers: list[tuple[int, str]],
        batches: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        invalid = {"invalid_choice": "所选项已不存在,请刷新后重选。"}
        for name, choices in (
            ("from_worker", [("", "—"), *workers]),
            ("batch", [("", "—"), *batches]),
            ("to_worker", [("", "请选择"), *workers]),
        ):
            field = cast(forms.TypedChoiceField, self.fields[name])
            field.choices = choices
            field.error_messages.update(invalid)
