"""Serializers of the relocation API (names prefixed `Relocation…`). The
household head is only ever answered masked. Errors are in Chinese; the
rules themselves are checked by services/."""

from __future__ import annotations

from rest_framework import serializers

from grassroots.core.api.fields import IdField, IdListField, choice_field, text_field

from ..models import Batch, BatchKind, Project, ProjectKind, Unit
from ..services.personal_data import head_masked
from ..states import State


class RelocationProjectSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    node_label = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "node",
            "node_label",
            "implementer",
            "description",
            "start_date",
            "target_date",
        ]
        read_only_fields = fields

    def get_node_label(self, obj: Project) -> str:
        return str(obj.node.label)


class RelocationGroupSerializer(serializers.Serializer):
    key = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    total = serializers.IntegerField()
    signed = serializers.IntegerField()
    rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, help_text="签约率(%),四舍五入两位小数"
    )


class RelocationStageCountSerializer(serializers.Serializer):
    state = serializers.CharField()
    label = serializers.CharField()
    today = serializers.IntegerField(help_text="截至今日累计达到该环节的户数")
    yesterday = serializers.IntegerField(help_text="截至昨日累计达到该环节的户数")
    change = serializers.IntegerField()


class RelocationProgressSerializer(serializers.Serializer):
    day = serializers.DateField()
    total = serializers.IntegerField()
    signed = serializers.IntegerField()
    signed_yesterday = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    rounding = serializers.CharField()
    stages = RelocationStageCountSerializer(many=True)
    batches = RelocationGroupSerializer(many=True)
    villages = RelocationGroupSerializer(many=True)
    workers = RelocationGroupSerializer(many=True)


class RelocationUnitSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    batch_name = serializers.CharField(source="batch.name", read_only=True)
    worker_name = serializers.SerializerMethodField()
    head_name_masked = serializers.SerializerMethodField()
    head_phone_masked = serializers.SerializerMethodField()
    head_id_number_masked = serializers.SerializerMethodField()
    dispute_number = serializers.SerializerMethodField()
    dispute_state = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = [
            "id",
            "project",
            "batch",
            "batch_name",
            "number",
            "village",
            "village_name",
            "address",
            "location",
            "kind",
            "kind_display",
            "floor_area",
            "head_name_masked",
            "head_phone_masked",
            "head_id_number_masked",
            "worker",
            "worker_name",
            "state",
            "state_display",
            "confirmed_on",
            "assessed_on",
            "signed_on",
            "vacated_on",
            "demolished_on",
            "compensated_on",
            "assessed_amount",
            "agreed_amount",
            "paid_amount",
            "note",
            "dispute_number",
            "dispute_state",
            "updated_at",
        ]
        read_only_fields = fields

    def _head(self, obj: Unit) -> dict[str, str]:
        cache: dict[int, dict[str, str]] = self.context.setdefault("heads", {})
        if obj.pk not in cache:
            cache[obj.pk] = head_masked(obj)
        return cache[obj.pk]

    def get_worker_name(self, obj: Unit) -> str:
        return str(obj.worker) if obj.worker_id else ""

    def get_head_name_masked(self, obj: Unit) -> str:
        return self._head(obj)["name"]

    def get_head_phone_masked(self, obj: Unit) -> str:
        return self._head(obj)["phone"]

    def get_head_id_number_masked(self, obj: Unit) -> str:
        return self._head(obj)["id_number"]

    def get_dispute_number(self, obj: Unit) -> str:
        return obj.dispute.number if obj.dispute is not None else ""

    def get_dispute_state(self, obj: Unit) -> str:
        return str(obj.dispute.get_state_display()) if obj.dispute is not None else ""


class RelocationUnitFilterSerializer(serializers.Serializer):
    project = IdField(required=False)
    batch = IdField(required=False)
    village = IdField(required=False)
    worker = IdField(required=False)
    state = choice_field("环节", State.choices, required=False)
    mine = serializers.BooleanField(required=False, default=False, help_text="只看分配给本人的征迁户")


class RelocationStageSerializer(serializers.Serializer):
    on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="办理日期,默认今天",
        error_messages={"invalid": "日期应写成 2026-12-07 这样的格式。"},
    )
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="评估、签约、补偿到位时必填(元)",
        error_messages={
            "invalid": "金额应为数字(元)。",
            "max_digits": "金额过大。",
            "max_decimal_places": "金额最多保留两位小数(分)。",
            "max_whole_digits": "金额过大。",
        },
    )
    note = text_field("备注", 500, required=False)


class RelocationHandoverSerializer(serializers.Serializer):
    reason = text_field("争议内容和已做的工作", 2000)


DATE_ERRORS = {"invalid": "日期应写成 2026-12-07 这样的格式。"}


class RelocationProjectEditSerializer(serializers.Serializer):
    """The whole editable project (what the edit page posts)."""

    name = text_field("项目名称", 100)
    kind = choice_field("项目类型", ProjectKind.choices)
    implementer = text_field("征收实施单位", 100, required=False)
    description = text_field("项目说明", 2000, required=False)
    start_date = serializers.DateField(required=False, allow_null=True, default=None, error_messages=DATE_ERRORS)
    target_date = serializers.DateField(required=False, allow_null=True, default=None, error_messages=DATE_ERRORS)


class RelocationBatchSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Batch
        fields = [
            "id",
            "project",
            "number",
            "name",
            "kind",
            "kind_display",
            "target_units",
            "target_rate",
            "target_date",
        ]
        read_only_fields = fields


class RelocationBatchEditSerializer(serializers.Serializer):
    name = text_field("批次名称", 100)
    kind = choice_field("批次类型", BatchKind.choices)
    target_units = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=100000,
        help_text="计划户数",
        error_messages={
            "invalid": "计划户数应为整数。",
            "min_value": "计划户数应在 1 到 100000 之间。",
            "max_value": "计划户数应在 1 到 100000 之间。",
            "max_string_length": "计划户数应在 1 到 100000 之间。",
        },
    )
    target_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        max_value=100,
        help_text="目标签约率(%)",
        error_messages={
            "invalid": "目标签约率应为 0 到 100 之间的数字。",
            "min_value": "目标签约率应为 0 到 100 之间的数字。",
            "max_value": "目标签约率应为 0 到 100 之间的数字。",
            "max_digits": "目标签约率应为 0 到 100 之间的数字。",
            "max_whole_digits": "目标签约率应为 0 到 100 之间的数字。",
            "max_decimal_places": "目标签约率最多保留两位小数。",
        },
    )
    target_date = serializers.DateField(required=False, allow_null=True, default=None, error_messages=DATE_ERRORS)


class RelocationReassignSerializer(serializers.Serializer):
    """Either `units`, or `from_worker` with `batch` (all of that worker's units in the batch)."""

    units = IdListField(required=False, default=list, help_text="要改派的征迁户编号(至多 1000 个)")
    from_worker = IdField(required=False, allow_null=True, default=None, help_text="原工作人员(与 batch 一起:整批改派)")
    batch = IdField(required=False, allow_null=True, default=None)
    to_worker = IdField(
        help_text="接手的工作人员",
        error_messages={"required": "请选择接手的征迁工作人员。", "null": "请选择接手的征迁工作人员。"},
    )
    reason = text_field("调整原因", 500)


class RelocationReassignResultSerializer(serializers.Serializer):
    moved = serializers.IntegerField(help_text="改派的户数")
    to_worker = serializers.IntegerField()
