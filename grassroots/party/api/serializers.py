"""Serializers of the party API (names prefixed `Party…`). Member names are
answered masked (the reveal endpoint answers the full record, audited);
errors are in Chinese; the rules themselves are checked by services/."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from grassroots.core.api.fields import IdField, IdListField, MonthField, choice_field, text_field

from ..models import (
    Audience,
    Board,
    Branch,
    BranchKind,
    Entry,
    Member,
    MemberStatus,
    Pair,
    PairVisit,
    PointsRule,
    Post,
    Training,
    VisitKind,
)
from ..services.board import LINES, TERMS


class PartyBranchSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    node_label = serializers.CharField(source="node.label", read_only=True)
    member_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Branch
        fields = ["id", "name", "kind", "kind_display", "node", "node_label", "member_count"]
        read_only_fields = fields


class PartyBranchInputSerializer(serializers.Serializer):
    name = text_field("党组织名称", 100)
    kind = choice_field("党组织类型", BranchKind.choices)
    node = IdField()
    villages = IdListField(required=False, max_length=50)


class PartyMemberSerializer(serializers.ModelSerializer):
    name_masked = serializers.CharField(source="masked_name", read_only=True)
    branch_name = serializers.CharField(source="branch.name", read_only=True)
    post_display = serializers.CharField(source="get_post_display", read_only=True)
    is_representative = serializers.BooleanField(read_only=True, default=False)
    is_grid_worker = serializers.BooleanField(read_only=True, default=False)
    is_staff_account = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = [
            "id",
            "branch",
            "branch_name",
            "name_masked",
            "post",
            "post_display",
            "status",
            "joined_on",
            "is_representative",
            "is_grid_worker",
            "is_staff_account",
        ]
        read_only_fields = fields

    def get_is_staff_account(self, obj: Member) -> bool:
        return obj.user_id is not None


class PartyMemberInputSerializer(serializers.Serializer):
    branch = IdField()
    resident = IdField(required=False)
    user = IdField(required=False)
    post = choice_field("职务", Post.choices, required=False)
    status = choice_field("党员类别", MemberStatus.choices, required=False)
    joined_on = serializers.DateField(required=False, error_messages={"invalid": "日期格式应为 YYYY-MM-DD。"})


class PartyRevealInputSerializer(serializers.Serializer):
    reason = text_field("查看原因", 200)


class PartyRevealSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    id_number = serializers.CharField()


class PartyPairSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    member_name_masked = serializers.SerializerMethodField()
    visit_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Pair
        fields = [
            "id",
            "kind",
            "kind_display",
            "branch",
            "member",
            "member_name_masked",
            "household",
            "partner",
            "difficulty",
            "started_on",
            "active",
            "visit_count",
        ]
        read_only_fields = fields

    def get_member_name_masked(self, obj: Pair) -> str:
        return obj.member.masked_name if obj.member else ""


class PartyPairInputSerializer(serializers.Serializer):
    member = IdField(required=False)
    household = IdField(required=False)
    branch = IdField(required=False)
    partner = IdField(required=False)
    difficulty = text_field("困难情况", 200, required=False)
    started_on = serializers.DateField(
        error_messages={"required": "请填写结对日期。", "invalid": "日期格式应为 YYYY-MM-DD。"}
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        household = attrs.get("member") and attrs.get("household")
        branches = attrs.get("branch") and attrs.get("partner")
        if bool(household) == bool(branches):
            raise serializers.ValidationError(
                "请填写党员与困难户(member、household),或两个党组织(branch、partner)之一。"
            )
        return attrs


class PartyVisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = PairVisit
        fields = ["id", "pair", "kind", "visited_on", "note", "created_at"]
        read_only_fields = fields


class PartyVisitInputSerializer(serializers.Serializer):
    kind = choice_field("类型", VisitKind.choices)
    visited_on = serializers.DateField(
        error_messages={"required": "请填写日期。", "invalid": "日期格式应为 YYYY-MM-DD。"}
    )
    note = text_field("情况记录", 500)


class PartyTrainingSerializer(serializers.ModelSerializer):
    audience_display = serializers.CharField(source="get_audience_display", read_only=True)
    attendee_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Training
        fields = [
            "id",
            "title",
            "audience",
            "audience_display",
            "node",
            "starts_at",
            "signin_until",
            "hours",
            "location",
            "attendee_count",
        ]
        read_only_fields = fields


class PartyTrainingInputSerializer(serializers.Serializer):
    title = text_field("培训主题", 100)
    audience = choice_field("培训对象", Audience.choices)
    node = IdField()
    starts_at = serializers.DateTimeField(
        error_messages={"required": "请填写开始时间。", "invalid": "时间格式不正确。"}
    )
    hours = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        error_messages={
            "required": "请填写学时。",
            "invalid": "学时应为数字。",
            "max_digits": "学时不能超过 24。",
            "max_decimal_places": "学时最多一位小数。",
            "max_whole_digits": "学时不能超过 24。",
        },
    )
    signin_until = serializers.DateTimeField(required=False, error_messages={"invalid": "时间格式不正确。"})
    location = text_field("地点", 100, required=False)


class PartySignInInputSerializer(serializers.Serializer):
    token = text_field("签到码", 200)


class PartyAttendanceSerializer(serializers.Serializer):
    training = serializers.IntegerField(source="training_id")
    member = serializers.IntegerField(source="member_id")
    signed_at = serializers.DateTimeField()
    created = serializers.BooleanField()


class PartyEntrySerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    standing_display = serializers.CharField(source="get_standing_display", read_only=True)

    class Meta:
        model = Entry
        fields = ["id", "member", "branch", "name", "points", "standing", "standing_display", "breakdown"]
        read_only_fields = fields

    def get_name(self, obj: Entry) -> str:
        return obj.member.name if obj.member else obj.branch.name


class PartyBoardSerializer(serializers.ModelSerializer):
    month = MonthField()
    rule_version = serializers.IntegerField(source="rule.version", read_only=True)

    class Meta:
        model = Board
        fields = ["id", "month", "state", "rule_version", "computed_at"]
        read_only_fields = fields


class PartyBoardQuerySerializer(serializers.Serializer):
    month = MonthField(required=False)


class PartyBoardComputeSerializer(serializers.Serializer):
    month = MonthField()


class PartyRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = PointsRule
        fields = ["version", *TERMS, *LINES]
        read_only_fields = fields


def _weight(label: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        min_value=0,
        max_value=1000,
        error_messages={
            "required": f"请填写{label}。",
            "invalid": f"{label}应为数字。",
            "min_value": f"{label}不能小于 0。",
            "max_value": f"{label}不能超过 1000。",
            "max_digits": f"{label}不能超过 1000。",
            "max_decimal_places": f"{label}最多两位小数。",
            "max_whole_digits": f"{label}不能超过 1000。",
        },
    )


class PartyRuleInputSerializer(serializers.Serializer):
    training_hour = _weight("每学时积分")
    pair_visit = _weight("每次结对走访积分")
    activity = _weight("每次参加活动积分")
    matter_raised = _weight("每件反映说事积分")
    matter_settled = _weight("每件办结说事积分")
    red_at = _weight("红榜分数线")
    yellow_below = _weight("黄榜分数线")
