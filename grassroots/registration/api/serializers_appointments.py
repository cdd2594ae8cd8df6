"""Serializers of the catalogue, one-time notice and appointment API
(api/appointments.py). Names and phone numbers are always masked."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grassroots.core.api.fields import IdField
from grassroots.core.masking import mask_name, mask_phone

from ..models import Appointment, MaterialRequirement, Service
from ..services.notice import DOCUMENT_TEMPLATES, questions_for


class RequirementSerializer(serializers.ModelSerializer):
    template_url = serializers.SerializerMethodField()

    class Meta:
        model = MaterialRequirement
        fields = [
            "code",
            "name",
            "description",
            "copies",
            "template",
            "template_url",
            "conditions",
            "commitment_replaceable",
            "legal_basis",
        ]

    def get_template_url(self, obj: MaterialRequirement) -> str:
        if obj.template not in DOCUMENT_TEMPLATES:
            return ""
        return reverse("registration-public:appt-template", args=[obj.template])


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    explanation = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    help = serializers.CharField()
    choices = ChoiceSerializer(many=True)


class ServiceSerializer(serializers.ModelSerializer):
    requirements = RequirementSerializer(many=True, read_only=True)
    questions = serializers.SerializerMethodField()

    class Meta:
        model = Service
        fields = [
            "code",
            "name",
            "kind",
            "org_type",
            "legal_basis",
            "statutory_days",
            "promised_days",
            "online",
            "no_visit",
            "description",
            "questions",
            "requirements",
        ]

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, obj: Service) -> list[dict[str, Any]]:
        return QuestionSerializer(questions_for(obj), many=True).data


class NoticeRequestSerializer(serializers.Serializer):
    service = serializers.CharField(max_length=40, help_text="事项代码,见 services 接口。")
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, help_text="问题 key → 选项 value。"
    )


class NoticeSerializer(serializers.Serializer):
    service = serializers.CharField()
    answers = serializers.DictField()
    requirements = RequirementSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())
    page_url = serializers.CharField()
    pdf_url = serializers.CharField()


class BookableDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    provisional = serializers.BooleanField()
    notes = serializers.ListField(child=serializers.CharField())


class SlotSerializer(serializers.Serializer):
    slot = serializers.IntegerField(source="slot.pk")
    window = serializers.IntegerField(source="slot.window_id")
    window_name = serializers.CharField(source="slot.window.name")
    start = serializers.TimeField(source="slot.start_time", format="%H:%M")
    end = serializers.TimeField(source="slot.end_time", format="%H:%M")
    capacity = serializers.IntegerField()
    remaining = serializers.IntegerField()


class BookingRequestSerializer(serializers.Serializer):
    service = serializers.CharField(max_length=40)
    date = serializers.DateField(error_messages={"invalid": "日期格式应为 YYYY-MM-DD。"})
    slot = IdField()
    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AppointmentSerializer(serializers.ModelSerializer):
    """Masked, for staff and for the booking answer."""

    date = serializers.DateField()
    start = serializers.TimeField(source="slot.start_time", format="%H:%M")
    end = serializers.TimeField(source="slot.end_time", format="%H:%M")
    window = serializers.CharField(source="slot.window.name")
    service = serializers.CharField(source="service.code")
    service_name = serializers.CharField(source="service.name")
    name = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = Appointment
        fields = [
            "id",
            "code",
            "date",
            "start",
            "end",
            "window",
            "service",
            "service_name",
            "name",
            "phone",
            "note",
            "status",
            "status_display",
            "reminder_sent_at",
            "created_at",
        ]

    def get_name(self, obj: Appointment) -> str:
        return mask_name(obj.name)

    def get_phone(self, obj: Appointment) -> str:
        return mask_phone(obj.phone)


class BookingSerializer(AppointmentSerializer):
    cancel_token = serializers.CharField(help_text="只返回这一次;凭它取消预约。")
    cancel_url = serializers.CharField()

    class Meta(AppointmentSerializer.Meta):
        fields = [*AppointmentSerializer.Meta.fields, "cancel_token", "cancel_url"]


class CancelRequestSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=100)
