from __future__ import annotations

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from grassroots.core import crypto
from grassroots.core.crypto import DecryptionError
from grassroots.core.fields import BlindIndexField
from grassroots.core.models import Notification, SmsMessage
from grassroots.regions.models import Resident

pytestmark = pytest.mark.django_db


def _raw_resident(pk: int) -> tuple[str, str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_number_index, phone_index FROM regions_resident WHERE id = %s", [pk]
        )
        return cursor.fetchone()


def _index(field: str, value: str) -> str:
    index_field = Resident._meta.get_field(field)
    assert isinstance(index_field, BlindIndexField)
    return index_field.index_of(value)


def test_database_holds_no_plaintext(tree):
    resident = tree.resident_a1
    id_number, phone = resident.id_number, resident.phone

    raw_id, raw_phone, raw_id_index, raw_phone_index = _raw_resident(resident.pk)

    for raw in (raw_id, raw_phone, raw_id_index, raw_phone_index):
        assert id_number not in raw
        assert phone not in raw
    assert crypto.decrypt(raw_id) == id_number
    assert crypto.decrypt(raw_phone) == phone
    assert raw_id_index == _index("id_number_index", id_number)
    assert raw_phone_index == _index("phone_index", phone)


def test_orm_returns_plaintext(tree):
    resident = Resident.objects.get(pk=tree.resident_a1.pk)

    assert resident.id_number == tree.resident_a1.id_number
    assert resident.phone == "13800000000"
    assert len(resident.id_number) == 18


def test_lookup_by_blind_index_finds_the_row(tree):
    id_number = tree.resident_b1.id_number

    found = Resident.objects.filter(id_number_index=_index("id_number_index", id_number))
    by_phone = Resident.objects.filter(phone_index=_index("phone_index", "138 0000 0001"))

    assert list(found) == [tree.resident_b1]
    assert list(by_phone) == [tree.resident_b1]
    assert Resident.objects.filter(id_number_index=_index("id_number_index", id_number.lower())).count() == 1


def test_blind_index_of_another_column_finds_nothing(tree):
    phone = tree.resident_a1.phone

    assert not Resident.objects.filter(id_number_index=_index("phone_index", phone)).exists()
    assert not Resident.objects.filter(phone_index=_index("id_number_index", phone)).exists()


def test_index_is_recomputed_when_the_value_changes(tree):
    resident = tree.resident_a1
    old_index = resident.phone_index

    resident.phone = "13912345678"
    resident.save()

    _, raw_phone, _, raw_phone_index = _raw_resident(resident.pk)
    assert raw_phone_index == _index("phone_index", "13912345678") != old_index
    assert crypto.decrypt(raw_phone) == "13912345678"
    assert not Resident.objects.filter(phone_index=old_index).exists()


def test_blank_value_is_stored_blank_with_blank_index(tree):
    resident = tree.resident_a1

    resident.phone = ""
    resident.save()

    _, raw_phone, _, raw_phone_index = _raw_resident(resident.pk)
    assert (raw_phone, raw_phone_index) == ("", "")
    assert Resident.objects.get(pk=resident.pk).phone == ""
    assert list(Resident.objects.filter(phone="")) == [resident]


def test_filtering_an_encrypted_column_by_value_is_refused(tree):
    with pytest.raises(FieldError, match="BlindIndexField"):
        Resident.objects.filter(phone=tree.resident_a1.phone)
    with pytest.raises(FieldError):
        Resident.objects.filter(phone__icontains="138")
    with pytest.raises(FieldError):
        Resident.objects.filter(id_number__in=[tree.resident_a1.id_number])
    assert Resident.objects.exclude(phone="").count() == 2


def test_tampered_ciphertext_fails_loudly(tree):
    raw_id, *_ = _raw_resident(tree.resident_a1.pk)
    tampered = ("A" if raw_id[5] != "A" else "B").join((raw_id[:5], raw_id[6:]))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE regions_resident SET id_number = %s WHERE id = %s", [tampered, tree.resident_a1.pk])

    with pytest.raises(DecryptionError):
        Resident.objects.get(pk=tree.resident_a1.pk)


def test_other_models_encrypt_too():
    sms = SmsMessage.objects.create(phone="13812345678", body="您的事项已受理")
    note = Notification.objects.create(
        channel=Notification.Channel.SMS, address="13812345678", subject="受理通知", body="x"
    )

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM core_smsmessage WHERE id = %s", [sms.pk])
        (raw_sms,) = cursor.fetchone()
        cursor.execute("SELECT address FROM core_notification WHERE id = %s", [note.pk])
        (raw_note,) = cursor.fetchone()
    assert "13812345678" not in raw_sms
    assert "13812345678" not in raw_note
    assert SmsMessage.objects.get(pk=sms.pk).phone == "13812345678"
    assert Notification.objects.get(pk=note.pk).address == "13812345678"


def test_blind_index_field_deconstructs_with_source_and_purpose():
    field = Resident._meta.get_field("id_number_index")

    _name, _path, _args, kwargs = field.deconstruct()

    assert kwargs["source"] == "id_number"
    assert kwargs["purpose"] == "resident.id_number"
    assert kwargs["unique"] is True
