"""Serializers of the deliberation API (all prefixed `Deliberation…` so the
OpenAPI component names never clash with other apps'). Output masks
representatives' and proposers' phones (only names are shown)."""

from __future__ import annotations

from rest_framework import serializers

from grassroots.core.api.fields import IdField, IdListField

from ..models import (
    AgendaItem,
    Choice,
    Invitation,
    Kind,
    Meeting,
    Resolution,
    RuleSet,
    TallyCorrection,
    TopicProposal,
    WeeklySelection,
)
from ..rules import Proposers, Threshold, VoteMethod
from ..services.meetings import expected_count
from ..services.resolutions import quorum_status
from ..states import State

# Village meetings staff convene directly; joint meetings come from the weekly selection.
CONVENE_KIND_CHOICES = [(c.value, str(c.label)) for c in Kind if c != Kind.JOINT]


class DeliberationRuleSerializer(serializers.ModelSerializer):
    node_name = serializers.CharField(source="node.label", read_only=True)
    proposers = serializers.ChoiceField(choices=Proposers.choices)
    threshold = serializers.ChoiceField(choices=Threshold.choices)
    vote_method = serializers.ChoiceField(choices=VoteMethod.choices)

    class Meta:
        model = RuleSet
        fields = [
            "id",
            "node",
            "node_name",
            "version",
            "title",
            "proposers",
            "quorum_numerator",
            "quorum_denominator",
            "threshold",
            "vote_method",
            "text",
            "effective_from",
            "published_at",
        ]
        read_only_fields = ["id", "version", "published_at", "node_name"]


class DeliberationRuleCreateSerializer(serializers.Serializer):
    node = IdField(help_text="村(社区)或街道节点编号")
    title = serializers.CharField(max_length=100)
    proposers = serializers.ChoiceField(choices=Proposers.choices)
    quorum_numerator = serializers.IntegerField(min_value=1, max_value=100)
    quorum_denominator = serializers.IntegerField(min_value=1, max_value=100)
    threshold = serializers.ChoiceField(choices=Threshold.choices)
    vote_method = serializers.ChoiceField(choices=VoteMethod.choices)
    effective_from = serializers.DateField()
    text = serializers.CharField(required=False, allow_blank=True, default="")
    publish = serializers.BooleanField(default=False)


class DeliberationInvitationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="群众代表或工作人员姓名")
    role_label = serializers.CharField(read_only=True, help_text="群众代表,或工作人员的角色与辖区")

    class Meta:
        model = Invitation
        fields = ["id", "representative", "staff", "name", "role_label", "present", "checked_in_at"]


class DeliberationCorrectionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.__str__", read_only=True)

    class Meta:
        model = TallyCorrection
        fields = ["id", "actor", "at", "reason", "old", "new"]


class DeliberationResolutionSerializer(serializers.ModelSerializer):
    corrections = DeliberationCorrectionSerializer(many=True, read_only=True)
    responsible_unit_name = serializers.CharField(source="responsible_unit.name", read_only=True, default=None)
    assignee_name = serializers.CharField(source="assignee.__str__", read_only=True, default=None)

    class Meta:
        model = Resolution
        fields = [
            "id",
            "decision",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "present",
            "passed",
            "responsible_unit",
            "responsible_unit_name",
            "assignee",
            "assignee_name",
            "due_date",
            "recorded_at",
            "corrections",
        ]


class DeliberationAgendaItemSerializer(serializers.ModelSerializer):
    source = serializers.ChoiceField(choices=AgendaItem.Source.choices, read_only=True)
    resolution = DeliberationResolutionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "position", "title", "source", "matter", "proposal", "resolution"]


class DeliberationMeetingSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    state = serializers.ChoiceField(choices=State.choices, read_only=True)
    host_village_name = serializers.CharField(source="host_village.label", read_only=True)
    rules_version = serializers.IntegerField(source="rules.version", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "title",
            "node",
            "host_village",
            "host_village_name",
            "starts_at",
            "place",
            "state",
            "rules",
            "rules_version",
            "expected_count",
            "state_reason",
            "opened_at",
            "closed_at",
        ]


class DeliberationQuorumSerializer(serializers.Serializer):
    expected = serializers.IntegerField()
    present = serializers.IntegerField()
    needed = serializers.IntegerField()
    met = serializers.BooleanField()


class DeliberationMeetingDetailSerializer(DeliberationMeetingSerializer):
    agenda = DeliberationAgendaItemSerializer(many=True, read_only=True)
    invitations = DeliberationInvitationSerializer(many=True, read_only=True)
    quorum = serializers.SerializerMethodField()

    class Meta(DeliberationMeetingSerializer.Meta):
        fields = [*DeliberationMeetingSerializer.Meta.fields, "minutes", "agenda", "invitations", "quorum"]

    def get_quorum(self, meeting: Meeting) -> DeliberationQuorumSerializer:
        if meeting.expected_count is None:
            meeting.expected_count = expected_count(meeting)
        present = sum(1 for i in meeting.invitations.all() if i.present)
        return quorum_status(meeting, present)  # type: ignore[return-value]


class DeliberationConveneSerializer(serializers.Serializer):
    node = IdField(help_text="召集的村(社区)节点编号")
    kind = serializers.ChoiceField(choices=CONVENE_KIND_CHOICES)
    title = serializers.CharField(max_length=100)
    starts_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=100)
    invite_all = serializers.BooleanField(default=True, help_text="邀请全体在任群众代表并短信通知")


class DeliberationInviteSerializer(serializers.Serializer):
    representatives = IdListField(required=False, default=list, help_text="群众代表编号(短信通知)")
    staff = IdListField(required=False, default=list, help_text="工作人员账号编号(仅党政联席会议)")

    def validate(self, attrs: dict) -> dict:
        if not attrs["representatives"] and not attrs["staff"]:
            raise serializers.ValidationError("请选择要邀请的群众代表或工作人员。")
        return attrs


class DeliberationReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="休会或取消的原因")


class DeliberationCloseSerializer(serializers.Serializer):
    minutes = serializers.CharField(max_length=20000)


class DeliberationAgendaAddSerializer(serializers.Serializer):
    matter = IdField(required=False, help_text="事项编号(列入后事项转为议事中)")
    proposal = IdField(required=False, help_text="已采纳的议题建议编号")
    title = serializers.CharField(required=False, max_length=200, help_text="其他议题")

    def validate(self, attrs: dict) -> dict:
        if sum(1 for k in ("matter", "proposal", "title") if attrs.get(k)) != 1:
            raise serializers.ValidationError("请在事项、议题建议、其他议题中选择一项。")
        return attrs


class DeliberationCheckInSerializer(serializers.Serializer):
    present = serializers.BooleanField(default=True)


class DeliberationRollCallSerializer(serializers.Serializer):
    invitation = IdField()
    choice = serializers.ChoiceField(choices=Choice.choices)


class DeliberationVoteSerializer(serializers.Serializer):
    decision = serializers.CharField(max_length=5000)
    votes_for = serializers.IntegerField(min_value=0, default=0)
    votes_against = serializers.IntegerField(min_value=0, default=0)
    votes_abstain = serializers.IntegerField(min_value=0, default=0)
    roll_call = DeliberationRollCallSerializer(many=True, required=False)
    responsible_unit = IdField(required=False, allow_null=True)
    assignee = IdField(
        required=False, allow_null=True, help_text="承办人账号编号(事项决议通过时必填,须在事项所在辖区工作)"
    )
    due_date = serializers.DateField(required=False, allow_null=True)


class DeliberationCorrectSerializer(serializers.Serializer):
    votes_for = serializers.IntegerField(min_value=0)
    votes_against = serializers.IntegerField(min_value=0)
    votes_abstain = serializers.IntegerField(min_value=0)
    reason = serializers.CharField(max_length=200)


class DeliberationProposalSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=TopicProposal.Status.choices, read_only=True)
    village_name = serializers.CharField(source="village.label", read_only=True)

    class Meta:
        model = TopicProposal
        fields = [
            "id",
            "village",
            "village_name",
            "title",
            "description",
            "proposer_name",
            "status",
            "moderation_note",
            "created_at",
        ]


class DeliberationModerateSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class DeliberationWeeklySerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=WeeklySelection.Status.choices, read_only=True)
    proposed = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    chosen = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = WeeklySelection
        fields = ["id", "subdistrict", "week_start", "status", "ranking", "proposed", "chosen", "note", "confirmed_at"]


class DeliberationWeeklyConfirmSerializer(serializers.Serializer):
    villages = IdListField(min_length=1, max_length=5)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class DeliberationJointConveneSerializer(serializers.Serializer):
    village = IdField()
    starts_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=100)
