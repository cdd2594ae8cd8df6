"""Serializers of /api/v1/channels/: a robot's key is write-only and only
ever answered masked."""

from __future__ import annotations

from rest_framework import serializers

from ..models import ChannelPost, Status, Target, WecomRobot


class ChannelsRobotSerializer(serializers.ModelSerializer):
    node_name = serializers.CharField(source="node.label", read_only=True)
    masked_key = serializers.CharField(read_only=True, help_text="Webhook 密钥只显示末 4 位")

    class Meta:
        model = WecomRobot
        fields = ["id", "node", "node_name", "name", "masked_key", "active", "created_at"]
        read_only_fields = fields


class ChannelsRobotInputSerializer(serializers.Serializer):
    node = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="群所属的村/社区或网格")
    name = serializers.CharField(max_length=50, help_text="群名称")
    webhook = serializers.CharField(max_length=300, write_only=True, help_text="群机器人的 Webhook 地址(或其中的 key)")


class ChannelsPostSerializer(serializers.ModelSerializer):
    target = serializers.ChoiceField(choices=Target.choices, read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    robot_name = serializers.CharField(source="robot.name", read_only=True, allow_null=True, default=None)
    errcode = serializers.SerializerMethodField()
    article_url = serializers.SerializerMethodField()

    class Meta:
        model = ChannelPost
        fields = [
            "id",
            "publication",
            "target",
            "robot",
            "robot_name",
            "status",
            "attempts",
            "last_error",
            "errcode",
            "article_url",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields

    def get_errcode(self, post: ChannelPost) -> int | None:
        value = post.result.get("errcode")
        return int(value) if isinstance(value, int) else None

    def get_article_url(self, post: ChannelPost) -> str:
        return str(post.result.get("article_url", ""))


class ChannelsPushInputSerializer(serializers.Serializer):
    robots = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), required=False, default=list, max_length=100
    )
    to_account = serializers.BooleanField(required=False, default=False, help_text="同时发布到微信公众号")
