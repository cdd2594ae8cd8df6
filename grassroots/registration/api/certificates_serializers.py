"""Serializers of the certificates part's API (api/certificates.py). Public
ones carry what a certificate shows; staff ones mask phones."""

from __future__ import annotations

import datetime
from typing import Any

from rest_framework import serializers

from grassroots.core.masking import mask_phone

from ..models import Application, Certificate, Organisation, RenewalVerification
from ..selectors import directory as directory
from ..services.renewal_verification import renewal_verification_masked_phone
from ..validators import validate_ems_number


class CertificateSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    replaces = serializers.CharField(source="replaces.number", default=None, read_only=True)

    class Meta:
        model = Certificate
        fields = ["id", "number", "issued_on", "valid_from", "valid_until", "status", "status_display", "replaces"]


class OrganisationPublicSerializer(serializers.ModelSerializer):
    """What the certificate shows (public information)."""

    org_type_display = serializers.CharField(source="get_org_type_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    valid_until = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "name",
            "credit_code",
            "org_type",
            "org_type_display",
            "pne_form",
            "field",
            "legal_representative",
            "address",
            "supervising_unit",
            "funds",
            "business_scope",
            "registered_on",
            "status",
            "status_display",
            "valid_until",
        ]

    def get_valid_until(self, organisation: Organisation) -> datetime.date | None:
        certificate = directory.current_certificate(organisation)
        return certificate.valid_until if certificate else None


class OrganisationPublicDetailSerializer(OrganisationPublicSerializer):
    certificates = serializers.SerializerMethodField()

    class Meta(OrganisationPublicSerializer.Meta):
        fields = [*OrganisationPublicSerializer.Meta.fields, "certificates"]

    def get_certificates(self, organisation: Organisation) -> list[dict[str, Any]]:
        return CertificateSerializer(directory.certificate_chain(organisation=organisation), many=True).data


class OrganisationStaffSerializer(OrganisationPublicSerializer):
    class Meta(OrganisationPublicSerializer.Meta):
        fields = ["id", *OrganisationPublicSerializer.Meta.fields]


class OrganisationStaffDetailSerializer(OrganisationStaffSerializer):
    certificates = serializers.SerializerMethodField()

    class Meta(OrganisationStaffSerializer.Meta):
        fields = [*OrganisationStaffSerializer.Meta.fields, "certificates"]

    def get_certificates(self, organisation: Organisation) -> list[dict[str, Any]]:
        return CertificateSerializer(directory.certificate_chain(organisation=organisation), many=True).data


class StaffCertificateSerializer(CertificateSerializer):
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    credit_code = serializers.CharField(source="organisation.credit_code", read_only=True)
    organisation_id = serializers.IntegerField(read_only=True)

    class Meta(CertificateSerializer.Meta):
        fields = [*CertificateSerializer.Meta.fields, "organisation_id", "organisation", "credit_code"]


class VerificationSerializer(serializers.Serializer):
    code = serializers.CharField()
    verdict = serializers.CharField()
    label = serializers.CharField()
    message = serializers.CharField()
    organisation = OrganisationPublicSerializer(allow_null=True)
    certificate = CertificateSerializer(allow_null=True)
    current = CertificateSerializer(allow_null=True)


class RenewalRequestSerializer(serializers.Serializer):
    credit_code = serializers.CharField(max_length=40)
    recipient = serializers.ChoiceField(
        choices=RenewalVerification.Recipient.choices,
        required=False,
        allow_blank=True,
        help_text="验证码发往哪个留存手机号;不填时发往第一个留存的手机号(法定代表人优先)",
    )
    applicant_name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20)
    inbound_tracking = serializers.CharField(max_length=30, validators=[validate_ems_number])


class RenewalVerificationSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="提交验证码、重新发送时使用")
    organisation = serializers.CharField(source="organisation.name")
    recipient = serializers.CharField()
    recipient_display = serializers.CharField(source="get_recipient_display")
    masked_phone = serializers.SerializerMethodField()
    expires_at = serializers.DateTimeField()
    sends = serializers.IntegerField()

    def get_masked_phone(self, verification: RenewalVerification) -> str:
        return renewal_verification_masked_phone(verification)


class RenewalCodeSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64)
    code = serializers.CharField(max_length=20)


class RenewalResendSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64)


class VoidSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class RenewalCreatedSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    organisation = serializers.CharField()
    state = serializers.CharField()
    warning = serializers.CharField(allow_blank=True)


class RenewalStaffSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    applicant_phone = serializers.SerializerMethodField()
    certificate = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "tracking_code",
            "number",
            "org_name",
            "organisation",
            "state",
            "state_display",
            "applicant_name",
            "applicant_phone",
            "inbound_tracking",
            "old_certificate_received_at",
            "outbound_tracking",
            "mailed_at",
            "certificate",
            "created_at",
        ]

    def get_applicant_phone(self, application: Application) -> str:
        return mask_phone(application.applicant_phone)

    def get_certificate(self, application: Application) -> str | None:
        certificate = getattr(application, "certificate", None)
        return certificate.number if certificate else None


class MailOutSerializer(serializers.Serializer):
    outbound_tracking = serializers.CharField(max_length=30, validators=[validate_ems_number])


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
