"""The body of `POST /api/v1/matters`: a matter staff record for a resident."""

from __future__ import annotations

from rest_framework import serializers

from grassroots.addresses.models import Address
from grassroots.regions.models import Level, Node

from ...models import Category, Channel, Urgency
from .fields import PickableAddressField, ScopedPrimaryKeyField
from .fields import choice_messages as _choice
from .fields import required_messages as _required

# Staff relay these channels; residents use the public form, Open311 clients
# their own endpoint.
STAFF_CHANNELS = [Channel.WECHAT, Channel.HOTLINE, Channel.WALK_IN, Channel.VISIT]
STAFF_CHANNEL_CHOICES = [(c.value, str(c.label)) for c in STAFF_CHANNELS]


class MatterCreateSerializer(serializers.Serializer):
    node = ScopedPrimaryKeyField(
        queryset=Node.objects.filter(level__gte=Level.VILLAGE),
        help_text="发生地点:村/社区、网格、楼栋或单元的编号,须在本人辖区内",
        error_messages=_choice("发生地点"),
    )
    title = serializers.CharField(max_length=100, help_text="标题", error_messages=_required("标题"))
    description = serializers.CharField(max_length=5000, help_text="内容", error_messages=_required("内容"))
    channel = serializers.ChoiceField(choices=STAFF_CHANNEL_CHOICES, help_text="渠道", error_messages=_choice("渠道"))
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reporter_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    reporter_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    anonymous = serializers.BooleanField(required=False, default=False)
    public_consent = serializers.BooleanField(
        required=False,
        default=False,
        help_text="反映人同意公开反映内容(不含个人信息)。须征得同意;默认不公开(ADR 0018)",
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default=Urgency.NORMAL)
    touches_collective = serializers.BooleanField(required=False, default=False)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(active=True), required=False, allow_null=True, default=None
    )
    channel_detail = serializers.DictField(
        required=False, default=dict, help_text="渠道信息,如微信群名 group、发送人昵称 sender、群消息原文 original"
    )
    address = PickableAddressField(
        queryset=Address.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="标准地址编号:本人辖区内已核验的地址,须在发生地点之内(选填)",
        error_messages=_choice("标准地址"),
    )
