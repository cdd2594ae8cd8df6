"""The toolkit for pages and API (ADR 0035): the action panel
(`core.actions`), service inputs (`core.inputs.input_from`) and a plain form
page's service call (`core.forms.submit`). The apps' pages test the rendered
panels; these pin the pieces' own rules."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory

from grassroots.core.actions import NOTHING_TO_DO, PanelAction, PanelPage
from grassroots.core.errors import Conflict, DomainError
from grassroots.core.forms import submit
from grassroots.core.inputs import input_from


class NoteForm(forms.Form):
    text = forms.CharField()


@dataclasses.dataclass(frozen=True)
class Spec:  # an app's declaration: its own fields beside the look
    name: str
    label: str
    done: str
    button: str = "btn-success"
    hint: str = "先核对再办理。"


@dataclasses.dataclass
class Thing:
    pk: int = 7
    state: str = "open"


def _page(**options: Any) -> PanelPage:
    return PanelPage(
        "app/_panel.html",
        "app/detail.html",
        "app:detail",
        lambda request, obj, **context: context,
        lambda: Conflict("stale", "页面已过期,请刷新。"),
        target="#panel",
        field_template="app/_field.html",
        **options,
    )


def test_from_spec_copies_the_look_and_leaves_the_rest():
    action = PanelAction.from_spec(Spec("close", "结案", "已结案。"), submit="确认结案")
    assert (action.name, action.label, action.button, action.hint) == ("close", "结案", "btn-success", "先核对再办理。")
    assert action.button_text == "确认结案" and action.transition is True and action.form is None
    assert PanelAction("note", "备注").button_text == "备注"


def test_panel_binds_the_failed_form_and_reads_the_state():
    failed = NoteForm(data={"text": ""})
    panel = _page().panel(
        Thing(state="handling"),
        names=["close", "note"],
        declare=lambda name: PanelAction(name, name.upper()),
        form_for=lambda name: NoteForm(),
        url_for=lambda name: f"/things/7/{name}/",
        failed="note",
        form=failed,
        open="note",
    )
    assert panel.names == ["close", "note"]
    assert panel.by_name["note"] is failed and not panel.by_name["close"].is_bound
    assert [a.url for a in panel.actions] == ["/things/7/close/", "/things/7/note/"]
    assert panel.seen_state == "handling" and panel.open == "note" and panel.empty == NOTHING_TO_DO
    quiet = _page(empty="无事可办。").panel(
        Thing(),
        names=[],
        declare=lambda name: PanelAction(name, name),
        form_for=lambda name: NoteForm(),
        url_for=str,
        empty="",
    )
    assert quiet.actions == [] and quiet.empty == ""


def _post(data: dict[str, str]) -> Any:
    request: Any = RequestFactory().post("/things/7/note/", data)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # what MessageMiddleware sets
    return request


@pytest.mark.parametrize(
    ("data", "call_raises", "status", "error"),
    [
        ({"text": ""}, None, 400, "请按提示修改后再提交。"),
        ({"text": "好", "seen_state": "closed"}, None, 409, "页面已过期,请刷新。"),
        ({"text": "好", "seen_state": "open"}, DomainError("too_short", "太短。", field="text"), 400, "太短。"),
    ],
)
def test_run_refuses_and_calls_nothing_or_puts_the_error_on_the_form(monkeypatch, data, call_raises, status, error):
    answers: list[tuple[int, dict[str, Any]]] = []
    page = _page(stale_on_form=True)
    monkeypatch.setattr(
        PanelPage, "respond", lambda self, request, obj, *, status, **context: answers.append((status, context))
    )
    calls: list[str] = []

    def call() -> None:
        calls.append("called")
        if call_raises:
            raise call_raises

    form = NoteForm(data=data)
    page.run(_post(data), Thing(), "note", form, call, "已记录。")
    assert answers == [(status, {"failed": "note", "form": form, "error": error})]
    assert calls == ([] if call_raises is None else ["called"])
    if status == 409:
        assert form.non_field_errors() == [error]  # stale_on_form
    if call_raises is not None:
        assert form.errors["text"] == ["太短。"]


def test_run_success_answers_the_notice(monkeypatch):
    answers: list[tuple[int, dict[str, Any]]] = []
    monkeypatch.setattr(
        PanelPage, "respond", lambda self, request, obj, *, status, **context: answers.append((status, context))
    )
    _page().run(_post({"text": "好"}), Thing(), "note", NoteForm(data={"text": "好"}), lambda: None, "已记录。")
    assert answers == [(200, {"notice": "已记录。"})]


@dataclasses.dataclass(frozen=True)
class Input:
    title: str
    node: int
    urgent: bool = False


def test_input_from_takes_the_named_fields_then_the_extras():
    data = {"title": "路灯不亮", "urgent": True, "idempotency_key": "x", "node": 1}
    assert input_from(Input, data) == Input("路灯不亮", 1, True)
    assert input_from(Input, {"title": "路灯不亮"}, node=3) == Input("路灯不亮", 3)
    with pytest.raises(TypeError):
        input_from(dict, {})


def test_submit_puts_a_domain_error_on_the_form_or_answers_then():
    form = NoteForm(data={"text": "好"})
    assert form.is_valid()

    def refuse() -> None:
        raise DomainError("too_short", "太短。", field="text")

    request = _post({})
    assert submit(request, form, refuse, done="已记录。", then=lambda _r: HttpResponse()) is None
    assert form.errors["text"] == ["太短。"]
    answer = submit(request, NoteForm(data={"text": "好"}), lambda: 42, done="已记录。", then=lambda r: HttpResponse(r))
    assert answer is not None and answer.content == b"42"
    assert [str(m) for m in request._messages] == ["已记录。"]
