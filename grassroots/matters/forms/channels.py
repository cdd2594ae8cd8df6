"""Forms of the 说事 channels: the resident's report form, staff intake forms
(WeChat relay, hotline and walk-in) and the grid worker's visit log. The
reporter's forms on the tracking page are in tracking.py.

Forms only parse and give Chinese messages; the services validate again and
their `DomainError`s come back onto the form through `add_domain_error`.
The place picker is in places.py."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms import formset_factory
from django.http import QueryDict

from grassroots.addresses.models import Address
from grassroots.addresses.selectors import addresses_pickable_by
from grassroots.core.errors import DomainError
from grassroots.core.files import MAX_FILES
from grassroots.core.forms import StyledForm
from grassroots.core.notifications.services import normalise_mobile

from ..models import Channel, Urgency

ACCEPT_ATTACHMENTS = "image/*,application/pdf"
IDEMPOTENCY_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,48}$")
PHONE_INVALID = "手机号应为 11 位大陆手机号码。"
ADDRESS_INVALID = "标准地址不存在,或不在您的辖区内,请重新选择。"
# Consent to a public listing (ADR 0018): off unless ticked; what it means is
# said next to the box, so that the consent is informed.
PUBLIC_CONSENT_LABEL = "同意公开我反映的内容(不含个人信息)"
PUBLIC_CONSENT_RULES = (
    "公开时去掉电话、身份证号等号码,地点只到村(社区)或网格,不显示反映人;"
    "纠纷、家庭、残疾、救助等涉及隐私的事项一律不公开。"
)
PUBLIC_CONSENT_HELP = "不勾选则只有您和工作人员能看到。" + PUBLIC_CONSENT_RULES


def new_idempotency_key() -> str:
    """One per form render; a double submit or a retry sends it again."""
    return secrets.token_urlsafe(24)


def with_idempotency_key(data: QueryDict) -> QueryDict:
    """The submitted data with a usable key: the browser's when it is one we
    could have made, else a new one (kept in the page shown again)."""
    raw = str(data.get("idempotency_key", "")).strip()
    if IDEMPOTENCY_KEY_RE.match(raw):
        return data
    data = data.copy()
    data["idempotency_key"] = new_idempotency_key()
    return data


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files; content, size and count are checked by the
    service (`attachments.check_files`), which knows the rules."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        return [single(item, initial) for item in items if item]


def _clean_mobile(value: str, *, required: bool, required_message: str = "") -> str:
    value = (value or "").strip()
    if not value:
        if required:
            raise forms.ValidationError(required_message)
        return ""
    try:
        return normalise_mobile(value)
    except DomainError as exc:
        raise forms.ValidationError(exc.message if exc.code == "phone_digits_script" else PHONE_INVALID) from exc


class IdempotentForm(StyledForm):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def submitted_key(self) -> str:
        """The key of this submission (see `with_idempotency_key`); read
        before validation so that a retry finds the first matter."""
        raw = str(self.data.get("idempotency_key", "")).strip()
        return raw if IDEMPOTENCY_KEY_RE.match(raw) else new_idempotency_key()


class MatterTextMixin(forms.Form):
    title = forms.CharField(
        label="标题",
        max_length=100,
        error_messages={"required": "请填写标题,一句话说清是什么事。", "max_length": "标题不能超过 100 个字。"},
    )
    description = forms.CharField(
        label="具体情况",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "请把事情说具体一些(至少 5 个字)。", "max_length": "内容不能超过 5000 个字。"},
    )
    location = forms.CharField(
        label="具体位置",
        max_length=200,
        required=False,
        error_messages={"max_length": "具体位置不能超过 200 个字。"},
    )

    def clean_description(self) -> str:
        text = (self.cleaned_data.get("description") or "").strip()
        if len(text) < 5:
            raise forms.ValidationError("请把事情说具体一些(至少 5 个字)。")
        return text


class ReportForm(MatterTextMixin, IdempotentForm):
    """A resident's report (no login). Urgency is not asked: staff set it."""

    attachments = MultipleFileField(
        label="照片或 PDF",
        widget=MultipleFileInput(attrs={"accept": ACCEPT_ATTACHMENTS}),
        help_text=f"可拍照或从相册选择,最多 {MAX_FILES} 个,每个不超过 10 MB。",
    )
    reporter_phone = forms.CharField(
        label="手机号",
        max_length=20,
        required=True,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text="用于短信告知办理进展,页面上只显示部分号码。",
        error_messages={"required": "请留下手机号,以便告知办理进展(匿名反映时仅用于通知,不会公开)。"},
    )
    reporter_name = forms.CharField(
        label="姓名或称呼",
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"max_length": "姓名不能超过 50 个字。"},
    )
    anonymous = forms.BooleanField(label="匿名:不公开姓名,手机号仅用于通知", required=False)
    public_consent = forms.BooleanField(label=PUBLIC_CONSENT_LABEL, required=False, help_text=PUBLIC_CONSENT_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["placeholder"] = "例如:3号楼楼道灯坏了"
        self.fields["description"].widget.attrs["placeholder"] = "发生了什么、从什么时候开始、影响到谁"
        self.fields["location"].widget.attrs["placeholder"] = "例如:3号楼2单元门口"

    def clean_reporter_phone(self) -> str:
        return _clean_mobile(
            self.cleaned_data.get("reporter_phone", ""),
            required=True,
            required_message=str(self.fields["reporter_phone"].error_messages["required"]),
        )


class StaffMatterForm(MatterTextMixin, IdempotentForm):
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, initial=Urgency.NORMAL)
    touches_collective = forms.BooleanField(label="涉及集体利益(需公示理事方案和结果)", required=False)
    public_consent = forms.BooleanField(
        label="群众同意公开反映内容(不含个人信息)",
        required=False,
        help_text="须征得反映人同意后勾选;不勾选则不公开。" + PUBLIC_CONSENT_RULES,
    )
    attachments = MultipleFileField(
        label="照片或 PDF",
        widget=MultipleFileInput(attrs={"accept": ACCEPT_ATTACHMENTS}),
        help_text=f"最多 {MAX_FILES} 个,每个不超过 10 MB。",
    )
    # Chosen through the address picker (matters/intake/_address_picker.html);
    # only verified addresses in the user's subtree are valid choices.
    address = forms.ModelChoiceField(
        label="标准地址",
        queryset=Address.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": ADDRESS_INVALID},
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["address"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = addresses_pickable_by(user=user) if user is not None else Address.objects.none()


class RelayForm(StaffMatterForm):
    """A message relayed from a community WeChat group; the original text is
    kept verbatim in `channel_detail`."""

    group = forms.CharField(
        label="微信群名称",
        max_length=100,
        error_messages={"required": "请填写消息来自哪个微信群。", "max_length": "群名称不能超过 100 个字。"},
    )
    sender = forms.CharField(
        label="发送人昵称",
        max_length=50,
        error_messages={"required": "请填写发送人的群昵称。", "max_length": "昵称不能超过 50 个字。"},
    )
    original = forms.CharField(
        label="群消息原文",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="原样粘贴,原文会随事项保存。",
        error_messages={"required": "请粘贴群消息原文。", "max_length": "原文不能超过 5000 个字。"},
        strip=False,
    )
    reporter_phone = forms.CharField(
        label="反映人手机号",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
        help_text="知道时填写,用于告知办理进展。",
    )

    field_order = ["group", "sender", "original", "title", "description", "location", "reporter_phone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].required = False
        self.fields["description"].help_text = "不填时使用群消息原文。"
        self.fields["description"].widget.attrs["data-prefill-from"] = "id_original"

    def clean_original(self) -> str:
        text = self.cleaned_data.get("original") or ""
        if not text.strip():
            raise forms.ValidationError("请粘贴群消息原文。")
        return text

    def clean_description(self) -> str:
        text = (self.cleaned_data.get("description") or "").strip()
        if not text:
            return ""  # filled from the original in clean()
        if len(text) < 5:
            raise forms.ValidationError("请把事情说具体一些(至少 5 个字)。")
        return text

    def clean_reporter_phone(self) -> str:
        return _clean_mobile(self.cleaned_data.get("reporter_phone", ""), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("description") and cleaned.get("original"):
            original = cleaned["original"].strip()
            if len(original) < 5:
                self.add_error("description", "群消息原文太短,请写明具体情况(至少 5 个字)。")
            else:
                cleaned["description"] = original[:5000]
        return cleaned

    def channel_detail(self) -> dict[str, str]:
        return {
            "group": self.cleaned_data["group"].strip(),
            "sender": self.cleaned_data["sender"].strip(),
            "original": self.cleaned_data["original"],
        }


class HotlineForm(StaffMatterForm):
    channel = forms.ChoiceField(
        label="渠道",
        choices=[(Channel.HOTLINE, Channel.HOTLINE.label), (Channel.WALK_IN, Channel.WALK_IN.label)],
        initial=Channel.HOTLINE,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择是热线电话还是来访。", "invalid_choice": "请选择是热线电话还是来访。"},
    )
    caller_name = forms.CharField(label="来电/来访人姓名", max_length=50, required=False)
    caller_phone = forms.CharField(
        label="联系电话",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
        help_text="手机号,用于告知办理进展。",
    )
    anonymous = forms.BooleanField(label="反映人要求匿名(不公开姓名)", required=False)

    field_order = ["channel", "caller_name", "caller_phone", "anonymous", "title", "description", "location"]
    field_aliases = {"reporter_phone": "caller_phone", "reporter_name": "caller_name"}

    def clean_caller_phone(self) -> str:
        return _clean_mobile(self.cleaned_data.get("caller_phone", ""), required=False)


class VisitForm(StyledForm):
    notes = forms.CharField(
        label="走访情况",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "家里几口人、身体怎么样、有什么困难和意见"}),
        error_messages={"max_length": "走访情况不能超过 2000 个字。"},
    )


class VisitMatterForm(StyledForm):
    """One matter raised during a visit. A block left completely empty is
    ignored (the formset's extra forms are `empty_permitted`)."""

    title = forms.CharField(
        label="什么事",
        max_length=100,
        error_messages={"required": "请填写这件事的标题。", "max_length": "标题不能超过 100 个字。"},
    )
    description = forms.CharField(
        label="具体情况",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请把事情说具体一些(至少 5 个字)。", "max_length": "内容不能超过 5000 个字。"},
    )
    touches_collective = forms.BooleanField(label="涉及集体利益", required=False)
    photos = MultipleFileField(label="照片", widget=MultipleFileInput(attrs={"accept": ACCEPT_ATTACHMENTS}))

    def clean_description(self) -> str:
        text = (self.cleaned_data.get("description") or "").strip()
        if len(text) < 5:
            raise forms.ValidationError("请把事情说具体一些(至少 5 个字)。")
        return text


class BaseVisitMatterFormSet(forms.BaseFormSet):
    def filled_forms(self) -> list[VisitMatterForm]:
        return [f for f in self.forms if f.has_changed() and f.cleaned_data]


VisitMatterFormSet = formset_factory(
    VisitMatterForm, formset=BaseVisitMatterFormSet, extra=1, max_num=10, validate_max=True, absolute_max=20
)
