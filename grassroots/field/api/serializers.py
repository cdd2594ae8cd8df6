"""Shapes of the field API's answers (the contract in ADR 0054). Bodies of
sync items are validated by the service (`services/bodies.py`), item by item."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..models import SyncItem
from ..services.sync import Result, options_of
from ..states import Status


class FieldRecordSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    label = serializers.CharField()
    url = serializers.CharField()


class FieldOptionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class FieldResultSerializer(serializers.Serializer):
    key = serializers.CharField()
    status = serializers.CharField(help_text="accepted | duplicate | conflict | invalid | refused | discarded")
    record = FieldRecordSerializer(allow_null=True)
    reason = serializers.CharField(allow_null=True)
    message = serializers.CharField(allow_null=True)
    options = FieldOptionSerializer(many=True, required=False)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)

    def to_representation(self, instance: Result) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": instance.key,
            "status": instance.status,
            "record": FieldRecordSerializer(instance.record).data if instance.record is not None else None,
            "reason": instance.reason,
            "message": instance.message,
        }
        if instance.options is not None:
            data["options"] = instance.options
        if instance.errors is not None:
            data["errors"] = instance.errors
        return data


class FieldSyncBodySerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.JSONField(), allow_empty=True)


class FieldSyncAnswerSerializer(serializers.Serializer):
    results = FieldResultSerializer(many=True)
    server_time = serializers.DateTimeField()


class FieldResolveBodySerializer(serializers.Serializer):
    option = serializers.CharField(max_length=30)


class FieldItemQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, required=False)


class FieldItemSerializer(serializers.ModelSerializer):
    options = serializers.SerializerMethodField()
    record = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    class Meta:
        model = SyncItem
        fields = [
            "key",
            "type",
            "status",
            "reason",
            "message",
            "options",
            "record",
            "photos",
            "created_at",
            "received_at",
            "resolved_at",
        ]

    def get_options(self, item: SyncItem) -> list[dict[str, str]]:
        return options_of(item.reason) if item.status == Status.CONFLICT else []

    def get_record(self, item: SyncItem) -> dict[str, Any] | None:
        if item.record_id is None:
            return None
        return {"type": item.record_type, "id": item.record_id, "label": item.record_label, "url": item.record_url}

    def get_photos(self, item: SyncItem) -> list[dict[str, Any]]:
        """The time and position of each photo as the phone recorded them."""
        found: list[dict[str, Any]] = []

        def walk(value: Any) -> None:
            if isinstance(value, dict):
                if "taken_at" in value and ("sha256_b64" in value or "data" in value):
                    found.append({k: value.get(k) for k in ("taken_at", "lat", "lng")})
                    return
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)

        walk(item.body)
        return found


class FieldWorkerGridSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    path_label = serializers.CharField()


class FieldWorkerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    grid = FieldWorkerGridSerializer()


class FieldSnapshotSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    worker = FieldWorkerSerializer()
    households = serializers.ListField(child=serializers.DictField())
    matters = serializers.ListField(child=serializers.DictField())
    care = serializers.ListField(child=serializers.DictField())
    address_tasks = serializers.ListField(child=serializers.DictField())
    premises = serializers.ListField(child=serializers.DictField())
    checklists = serializers.ListField(child=serializers.DictField())
    categories = serializers.ListField(child=serializers.DictField())
    options = serializers.DictField()
