"""The resident's pages under /report/ (no login): the report form, the
tracking code, the status page with the public timeline, rating and reopen
requests; bad input changes nothing; no personal data is shown; look-ups and
submissions are rate-limited."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.matters.models import Attachment, Channel, Feedback, Matter, MatterEvent, Rating, ReopenRequest
from grassroots.matters.services import lifecycle
from grassroots.matters.services.intake import format_tracking_code
from grassroots.matters.states import State
from grassroots.matters.views import public as views_public
from grassroots.regions.models import Node

from . import factories as f
from .uploads import fake_image_upload, pdf_upload, png_bytes, png_upload

# Every place of the small tree has handling staff (ADR 0021).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("served")]

KEY = "k" * 32


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def staff(tree):
    return f.make_staff(tree)


def form_data(tree, **overrides):
    data = {
        "village": tree.village_a.pk,
        "grid": tree.grid_a1.pk,
        "title": "楼道灯坏了",
        "description": "1单元楼道灯坏了一个星期,晚上老人看不见。",
        "location": "1单元门口",
        "reporter_phone": "138 1234 5678",
        "reporter_name": "王五",
        "idempotency_key": KEY,
    }
    data.update(overrides)
    return data


def counts():
    return Matter.objects.count(), Attachment.objects.count(), MatterEvent.objects.count()


def status_url(matter):
    return reverse("matters-public:status", args=[matter.tracking_code])


# --- The report form ---------------------------------------------------------------


def test_report_form_is_public_and_phone_friendly(client, tree):
    response = client.get("/report/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'accept="image/*,application/pdf"' in html
    assert "capture" not in html  # the phone offers camera and album
    assert 'name="attachments"' in html and "multiple" in html
    assert "匿名:不公开姓名,手机号仅用于通知" in html
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html)
    assert key and len(key.group(1)) >= 16
    assert "西张村" in html and "店子社区" in html
    # Only place names: nobody's personal data.
    assert "张三" not in html and "李四" not in html
    # A new key per render.
    again = re.search(r'name="idempotency_key" value="([^"]+)"', client.get("/report/").content.decode())
    assert again and again.group(1) != key.group(1)


def test_place_picker_cascades_through_the_public_tree(client, tree):
    html = client.get("/report/places/", {"village": tree.village_a.pk}).content.decode()
    assert "第1网格" in html and "第2网格" in html
    assert html.count("第1网格") == 1  # not 店子社区's grids
    html = client.get("/report/places/", {"village": tree.village_a.pk, "grid": tree.grid_a1.pk}).content.decode()
    assert "1号楼" in html
    building = Node.objects.get(path=tree.unit_a1.path[: -Node.steplen])
    html = client.get(
        "/report/places/", {"village": tree.village_a.pk, "grid": tree.grid_a1.pk, "building": building.pk}
    ).content.decode()
    assert "1单元" in html
    assert "101" not in html and "张三" not in html  # no households or residents for the public
    # A grid of another village is not offered under this one.
    html = client.get("/report/places/", {"village": tree.village_a.pk, "grid": tree.grid_b1.pk}).content.decode()
    assert f'value="{tree.grid_b1.pk}"' not in html


def test_report_form_asks_for_consent_to_publish_and_it_is_off_by_default(client, tree):
    """ADR 0018: the box is there, unticked, and says what publishing means."""
    html = client.get("/report/").content.decode()
    box = re.search(r'<input[^>]*name="public_consent"[^>]*>', html)
    assert box is not None and 'type="checkbox"' in box.group(0) and "checked" not in box.group(0)
    assert "同意公开我反映的内容(不含个人信息)" in html
    assert "不显示反映人" in html and "一律不公开" in html
    client.post("/report/", form_data(tree))
    assert Matter.objects.get().public_consent is False
    client.post("/report/", form_data(tree, idempotency_key="c" * 32, public_consent="on"))
    assert Matter.objects.get(idempotency_key=f"web:{'c' * 32}").public_consent is True


def test_the_reporter_gives_and_withdraws_consent_on_the_tracking_page(client, tree, staff):
    """ADR 0018 / PIPL art. 15: consent can be withdrawn as easily as given;
    the public list follows at once, the timeline shows it, it is audited."""
    from grassroots.core.models import AuditEntry
    from grassroots.matters.models import Category, EventKind

    matter = f.report(node=tree.unit_a1)
    Matter.objects.filter(pk=matter.pk).update(category=Category.objects.get(code="streetlight"))
    page = client.get(status_url(matter)).content.decode()
    assert 'data-testid="publicity-form"' in page and "目前不公开" in page

    def listed() -> bool:
        return matter.number in {r["service_request_id"] for r in client.get("/open311/v2/requests.json").json()}

    url = reverse("matters-public:publicity", args=[matter.tracking_code])
    assert client.post(url, {"public_consent": "on"}).status_code == 302
    assert Matter.objects.get(pk=matter.pk).public_consent is True and listed()
    assert client.post(url, {}).status_code == 302
    assert Matter.objects.get(pk=matter.pk).public_consent is False and not listed()
    texts = list(matter.events.filter(kind=EventKind.CONSENT, public=True).values_list("text", flat=True))
    assert texts == ["反映人同意公开反映内容(不含个人信息)。", "反映人撤回公开同意,事项不再公开。"]
    assert AuditEntry.objects.filter(action="matters.public_consent", object_id=str(matter.pk)).count() == 2
    page = client.get(status_url(matter)).content.decode()
    assert "反映人撤回公开同意" in page and "目前不公开" in page
    assert client.post(reverse("matters-public:publicity", args=["AAAABBBBCC"]), {}).status_code == 404


def test_report_creates_a_matter_and_shows_the_code(client, tree):
    response = client.post("/report/", {**form_data(tree), "attachments": [png_upload(), pdf_upload()]})
    matter = Matter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("matters-public:done", args=[matter.tracking_code])
    assert matter.node == tree.grid_a1
    assert matter.channel == Channel.WEB
    assert matter.reporter_phone == "13812345678"
    assert matter.reporter_name == "王五"
    assert matter.location == "1单元门口"
    assert matter.idempotency_key == f"web:{KEY}"
    assert sorted(matter.attachments.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]

    done = client.get(response["Location"])
    html = done.content.decode()
    assert done.status_code == 200
    assert format_tracking_code(matter.tracking_code) in html
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}", format_tracking_code(matter.tracking_code))
    assert "请保存查询码" in html
    assert status_url(matter) in html
    assert "138****5678" in html and "13812345678" not in html
    assert "data:image/png;base64," in html  # a QR code of the status page


def test_unit_choice_anchors_the_matter_at_the_unit(client, tree):
    building = Node.objects.get(path=tree.unit_a1.path[: -Node.steplen])
    client.post("/report/", form_data(tree, building=building.pk, unit=tree.unit_a1.pk))
    assert Matter.objects.get().node == tree.unit_a1


def test_village_only_is_enough(client, tree):
    client.post("/report/", form_data(tree, grid=""))
    assert Matter.objects.get().node == tree.village_a


def test_double_submit_returns_the_same_matter(client, tree):
    first = client.post("/report/", {**form_data(tree), "attachments": [png_upload()]})
    second = client.post("/report/", {**form_data(tree, title="改了标题"), "attachments": [png_upload()]})
    assert first["Location"] == second["Location"]
    assert Matter.objects.count() == 1
    assert Attachment.objects.count() == 1
    assert Matter.objects.get().title == "楼道灯坏了"


def test_anonymous_report_keeps_no_name(client, tree):
    client.post("/report/", form_data(tree, anonymous="on"))
    matter = Matter.objects.get()
    assert matter.anonymous is True
    assert matter.reporter_name == ""
    assert matter.reporter_phone == "13812345678"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "请填写标题"),
        ({"description": "坏了"}, "description", "至少 5 个字"),
        ({"reporter_phone": ""}, "reporter_phone", "请留下手机号"),
        ({"reporter_phone": "12345"}, "reporter_phone", "11 位大陆手机号码"),
        ({"location": "长" * 201}, "location", "不能超过 200 个字"),
    ],
)
def test_bad_input_comes_back_with_chinese_errors_and_typed_values(client, tree, overrides, field, message):
    before = counts()
    data = form_data(tree, **overrides)
    response = client.post("/report/", {**data, "attachments": [png_upload()]})
    html = response.content.decode()
    assert response.status_code == 400
    assert counts() == before
    error = re.search(rf'data-testid="error-{field}">([^<]+)<', html)
    assert error and message in error.group(1)
    # What the user typed is still there (except the field in error when it was empty).
    for name in ("title", "description", "location", "reporter_name"):
        if name != field and data[name]:
            assert str(data[name]) in html
    assert f'value="{tree.village_a.pk}" selected' in html
    assert f'value="{tree.grid_a1.pk}" selected' in html
    assert "请重新选择照片" in html  # files cannot be kept by the browser
    assert f'value="{KEY}"' in html  # the same key: nothing was created


def test_missing_village_is_an_error(client, tree):
    before = counts()
    response = client.post("/report/", form_data(tree, village="", grid=""))
    assert response.status_code == 400
    assert "请选择所在的村/社区" in response.content.decode()
    assert counts() == before


def test_tampered_place_is_an_error_not_a_crash(client, tree):
    before = counts()
    response = client.post("/report/", form_data(tree, village="999999", grid=""))
    assert response.status_code == 400
    assert "所选地点已不可选" in response.content.decode()
    response = client.post("/report/", form_data(tree, grid=tree.grid_b1.pk))  # a grid of the other village
    assert response.status_code == 400
    assert counts() == before


@pytest.mark.parametrize("upload", [fake_image_upload, lambda: png_upload("a.png")])
def test_bad_file_rejects_everything(client, tree, upload):
    before = counts()
    files = [upload(), fake_image_upload("virus.jpg")]
    response = client.post("/report/", {**form_data(tree), "attachments": files})
    assert response.status_code == 400
    html = response.content.decode()
    assert "不是照片或 PDF 文件" in html
    assert "楼道灯坏了" in html
    assert counts() == before


def test_report_rate_limit_keeps_what_was_typed(client, tree, monkeypatch):
    monkeypatch.setattr(views_public, "REPORT_RATE", "2/h")
    for i in range(2):
        client.post("/report/", form_data(tree, idempotency_key=f"{i}" * 20))
    assert Matter.objects.count() == 2
    response = client.post("/report/", form_data(tree, idempotency_key="x" * 20, title="第三件事"))
    html = response.content.decode()
    assert response.status_code == 429
    assert "提交过于频繁" in html
    assert "第三件事" in html and "1单元楼道灯坏了一个星期" in html
    assert Matter.objects.count() == 2
    # A retry of a submission that did go through still finds its matter.
    retry = client.post("/report/", form_data(tree, idempotency_key="0" * 20))
    assert retry.status_code == 302
    first = Matter.objects.earliest("pk")  # the one sent under key "000…"
    assert retry["Location"] == reverse("matters-public:done", args=[first.tracking_code])
    assert Matter.objects.count() == 2  # found, not written again


def test_unknown_idempotency_key_format_is_replaced(client, tree):
    client.post("/report/", form_data(tree, idempotency_key="short"))
    key = Matter.objects.get().idempotency_key
    assert key is not None and key.startswith("web:") and key != "web:short"


# --- Tracking -------------------------------------------------------------------------


def test_track_is_tolerant_of_dashes_and_case(client, tree):
    matter = f.report(node=tree.unit_a1)
    messy = format_tracking_code(matter.tracking_code).lower()
    response = client.get("/report/track/", {"code": f"  {messy} "})
    assert response.status_code == 302
    assert response["Location"] == status_url(matter)
    response = client.get(f"/report/track/{messy}/")
    assert response.status_code == 302 and response["Location"] == status_url(matter)
    assert client.get(status_url(matter)).status_code == 200


def test_track_form_and_bad_codes(client, tree):
    assert "查询码" in client.get("/report/track/").content.decode()
    short = client.get("/report/track/", {"code": "abc"})
    assert short.status_code == 400
    assert "10 位" in short.content.decode()
    missing = client.get("/report/track/ABCD-EFGH-JK/")
    assert missing.status_code == 404
    assert "未找到该查询码" in missing.content.decode()
    assert client.get("/report/done/ABCDEFGHJK/").status_code == 404


def test_status_page_shows_no_personal_data(client, tree, staff):
    matter = f.report(node=tree.unit_a1)
    lifecycle.matter_accept(actor=staff.village_a, matter=matter, category=f.category())
    lifecycle.matter_add_note(actor=staff.village_a, matter=matter, text="内部:先联系物业", public=False)
    lifecycle.matter_add_note(actor=staff.village_a, matter=matter, text="已联系物业,明天更换", public=True)
    html = client.get(status_url(matter)).content.decode()
    matter.refresh_from_db()
    assert matter.due_date is not None
    assert matter.title in html
    assert "已受理" in html
    assert f"{matter.due_date:%Y}年{matter.due_date.month}月{matter.due_date.day}日" in html
    assert "已联系物业,明天更换" in html
    assert "内部:先联系物业" not in html
    assert "西张村工作人员" in html
    assert staff.village_a.display_name not in html and staff.village_a.username not in html
    assert f.PHONE not in html and "王女士" not in html
    assert "王*" in html  # the reporter, masked
    assert 'aria-current="step"' in html


def test_anonymous_reporter_shows_as_anonymous(client, tree):
    matter = f.report(node=tree.unit_a1, anonymous=True)
    html = client.get(status_url(matter)).content.decode()
    assert "匿名" in html and "王*" not in html


def test_resolved_matter_shows_result_attachments_and_takes_a_rating(client, tree, staff):
    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a, cat=f.category())
    private = Attachment.objects.create(
        matter=matter, original_name="x.png", content_type="image/png", size=1, sha256="0" * 64, public=False
    )
    lifecycle.matter_resolve(
        actor=staff.village_a, matter=matter, result="已更换感应灯。", files=[png_upload("换灯后.png")]
    )
    public = matter.attachments.get(public=True)
    html = client.get(status_url(matter)).content.decode()
    assert "已更换感应灯。" in html
    assert reverse("matters-public:attachment", args=[matter.tracking_code, public.pk]) in html
    assert 'data-testid="feedback-form"' in html

    image = client.get(reverse("matters-public:attachment", args=[matter.tracking_code, public.pk]))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == png_bytes()
    # The reporter's own photos and other matters' files are not public.
    assert client.get(reverse("matters-public:attachment", args=[matter.tracking_code, private.pk])).status_code == 404
    assert client.get(reverse("matters-public:attachment", args=["ABCDEFGHJK", public.pk])).status_code == 404

    response = client.post(
        reverse("matters-public:feedback", args=[matter.tracking_code]), {"rating": Rating.SATISFIED, "comment": "很快"}
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get(matter=matter)
    assert (feedback.rating, feedback.comment) == (Rating.SATISFIED, "很快")
    html = client.get(status_url(matter)).content.decode()
    assert 'data-testid="feedback-form"' not in html
    assert "您的评价" in html and "满意" in html
    # Once per resolution round.
    again = client.post(reverse("matters-public:feedback", args=[matter.tracking_code]), {"rating": Rating.UNSATISFIED})
    assert again.status_code == 400
    assert Feedback.objects.count() == 1


def test_unsatisfied_rating_needs_a_comment_and_opens_a_reopen_request(client, tree, staff):
    matter = f.matter_in_state(State.RESOLVED, node=tree.unit_a1, handler=staff.village_a, cat=f.category())
    url = reverse("matters-public:feedback", args=[matter.tracking_code])
    bad = client.post(url, {"rating": Rating.UNSATISFIED, "comment": ""})
    assert bad.status_code == 400
    assert "不满意时请写明" in bad.content.decode()
    assert Feedback.objects.count() == 0
    invalid = client.post(url, {"rating": "great"})
    assert invalid.status_code == 400 and Feedback.objects.count() == 0
    client.post(url, {"rating": Rating.UNSATISFIED, "comment": "灯还是不亮"})
    assert ReopenRequest.objects.get(matter=matter).status == ReopenRequest.Status.OPEN
    assert "等待工作人员答复" in client.get(status_url(matter)).content.decode()


def test_reopen_request_within_14_days_of_closing(client, tree, staff, monkeypatch):
    clock = f.freeze(monkeypatch)
    matter = f.matter_in_state(State.CLOSED, node=tree.unit_a1, handler=staff.village_a, cat=f.category())
    url = reverse("matters-public:reopen", args=[matter.tracking_code])
    html = client.get(status_url(matter)).content.decode()
    # Not rated yet: the rating comes first (不满意 asks for a reopen itself).
    assert 'data-testid="feedback-form"' in html and 'data-testid="reopen-form"' not in html
    client.post(reverse("matters-public:feedback", args=[matter.tracking_code]), {"rating": Rating.SATISFIED})
    html = client.get(status_url(matter)).content.decode()
    assert 'data-testid="feedback-form"' not in html and 'data-testid="reopen-form"' in html
    empty = client.post(url, {"reason": " "})
    assert empty.status_code == 400 and "请写明需要重新办理的理由" in empty.content.decode()
    assert ReopenRequest.objects.count() == 0
    clock.advance(days=3)
    assert client.post(url, {"reason": "路灯又坏了"}).status_code == 302
    request = ReopenRequest.objects.get()
    assert request.reason == "路灯又坏了"
    html = client.get(status_url(matter)).content.decode()
    assert 'data-testid="reopen-form"' not in html and "等待工作人员答复" in html
    # Answered: the reporter sees the answer.
    from grassroots.matters.services.feedback import reopen_request_answer

    reopen_request_answer(actor=staff.village_a, reopen_request=request, grant=False, answer="经核实灯是好的。")
    assert "经核实灯是好的。" in client.get(status_url(matter)).content.decode()


def test_reopen_request_after_14_days_is_refused(client, tree, staff, monkeypatch):
    clock = f.freeze(monkeypatch)
    matter = f.matter_in_state(State.CLOSED, node=tree.unit_a1, handler=staff.village_a, cat=f.category())
    clock.advance(days=16)
    html = client.get(status_url(matter)).content.decode()
    assert 'data-testid="reopen-form"' not in html
    response = client.post(reverse("matters-public:reopen", args=[matter.tracking_code]), {"reason": "又坏了"})
    assert response.status_code == 400
    assert "超过 14 天" in response.content.decode()
    assert ReopenRequest.objects.count() == 0


def test_feedback_on_an_open_matter_is_refused(client, tree):
    matter = f.report(node=tree.unit_a1)
    response = client.post(
        reverse("matters-public:feedback", args=[matter.tracking_code]), {"rating": Rating.SATISFIED}
    )
    assert response.status_code == 400
    assert Feedback.objects.count() == 0


def test_merged_matter_links_to_the_survivor(client, tree, staff):
    survivor = f.report(node=tree.unit_a1, title="楼道灯不亮", phone=f.OTHER_PHONE)
    merged = f.matter_in_state(State.MERGED, node=tree.unit_a1, handler=staff.village_a, into=survivor)
    html = client.get(status_url(merged)).content.decode()
    assert "合并办理" in html
    assert status_url(survivor) in html
    assert f.OTHER_PHONE not in html


def test_rejected_matter_shows_the_reason(client, tree, staff):
    matter = f.matter_in_state(State.REJECTED, node=tree.unit_a1, handler=staff.village_a)
    html = client.get(status_url(matter)).content.decode()
    assert "不予受理" in html and "不属于本平台受理范围。" in html


def test_lookups_are_rate_limited(client, tree, monkeypatch):
    monkeypatch.setattr(views_public, "LOOKUP_RATE", "3/m")
    matter = f.report(node=tree.unit_a1)
    for _ in range(3):
        assert client.get(status_url(matter)).status_code == 200
    response = client.get(status_url(matter))
    assert response.status_code == 429
    assert "查询过于频繁" in response.content.decode()
    # Another address is not affected.
    assert Client(REMOTE_ADDR="10.0.0.9").get(status_url(matter)).status_code == 200


def test_feedback_posts_are_rate_limited(client, tree, monkeypatch):
    monkeypatch.setattr(views_public, "FEEDBACK_RATE", "1/h")
    matter = f.report(node=tree.unit_a1)
    url = reverse("matters-public:reopen", args=[matter.tracking_code])
    client.post(url, {"reason": "a"})
    assert client.post(url, {"reason": "b"}).status_code == 429
    assert ReopenRequest.objects.count() == 0


def test_status_page_query_count(client, tree, staff, django_assert_max_num_queries):
    matter = f.matter_in_state(State.RESOLVED, node=tree.unit_a1, handler=staff.village_a, cat=f.category())
    for i in range(5):
        lifecycle.matter_add_note(actor=staff.village_a, matter=matter, text=f"进展 {i}", public=True)
    with django_assert_max_num_queries(16):
        assert client.get(status_url(matter)).status_code == 200


def test_reopen_window_date_is_shown(client, tree, staff, monkeypatch):
    f.freeze(monkeypatch)
    matter = f.matter_in_state(State.CLOSED, node=tree.unit_a1, handler=staff.village_a, cat=f.category())
    client.post(reverse("matters-public:feedback", args=[matter.tracking_code]), {"rating": Rating.BASICALLY})
    last_day = f.FROZEN.date() + datetime.timedelta(days=14)
    assert f"{last_day:%Y}年{last_day.month}月{last_day.day}日" in client.get(status_url(matter)).content.decode()
