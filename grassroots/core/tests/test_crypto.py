from __future__ import annotations

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.core import crypto
from grassroots.core.crypto import DecryptionError, blind_index, decrypt, encrypt

OTHER_KEY = "a1" * 16


@pytest.fixture(autouse=True)
def _fresh_keys():
    crypto._keys.cache_clear()
    yield
    crypto._keys.cache_clear()


def _raw(token: str) -> bytes:
    return base64.b64decode(token)


def _token(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


@pytest.mark.parametrize(
    "plaintext", ["13812345678", "11010519491231002X", "山东省淄博市张店区湖田街道 西张村 3 号", "", "x" * 5000]
)
def test_round_trip(plaintext):
    assert decrypt(encrypt(plaintext)) == plaintext


@settings(derandomize=True, max_examples=60, deadline=None)
@given(st.text())
def test_round_trip_any_text(plaintext):
    assert decrypt(encrypt(plaintext)) == plaintext


def test_token_layout_is_version_nonce_ciphertext_tag():
    plaintext = "张三"
    raw = _raw(encrypt(plaintext))

    assert raw[0] == crypto.VERSION
    assert len(raw) == 1 + crypto.NONCE_BYTES + len(plaintext.encode("utf-8")) + crypto.TAG_BYTES
    assert plaintext.encode("utf-8") not in raw


def test_two_encryptions_of_the_same_value_differ():
    first, second = encrypt("13812345678"), encrypt("13812345678")

    assert first != second
    assert _raw(first)[1:13] != _raw(second)[1:13]  # fresh nonce
    assert decrypt(first) == decrypt(second) == "13812345678"


def test_changing_any_byte_is_detected():
    raw = _raw(encrypt("身份证 11010519491231002X"))

    for position in range(len(raw)):
        tampered = bytearray(raw)
        tampered[position] ^= 0x01
        with pytest.raises(DecryptionError):
            decrypt(_token(bytes(tampered)))


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not base64!",
        "密文",
        _token(bytes([crypto.VERSION]) + b"\x00" * 20),  # shorter than nonce + tag
        _token(bytes([2]) + b"\x00" * 40),  # unknown version
    ],
)
def test_malformed_tokens_are_rejected(token):
    with pytest.raises(DecryptionError):
        decrypt(token)


def test_truncated_or_extended_token_is_rejected():
    raw = _raw(encrypt("13812345678"))

    with pytest.raises(DecryptionError):
        decrypt(_token(raw[:-1]))
    with pytest.raises(DecryptionError):
        decrypt(_token(raw + b"\x00"))


def test_wrong_key_fails():
    token = encrypt("13812345678")

    with override_settings(FIELD_ENCRYPTION_KEY=OTHER_KEY), pytest.raises(DecryptionError):
        decrypt(token)
    assert decrypt(token) == "13812345678"


def test_associated_data_must_match():
    token = encrypt("13812345678", associated_data=b"regions.Resident.phone")

    assert decrypt(token, associated_data=b"regions.Resident.phone") == "13812345678"
    with pytest.raises(DecryptionError):
        decrypt(token, associated_data=b"core.SmsMessage.phone")


# --- Blind index ---------------------------------------------------------------------


def test_blind_index_is_deterministic_hex():
    first = blind_index("11010519491231002X", purpose="resident.id_number")

    assert first == blind_index("11010519491231002X", purpose="resident.id_number")
    assert len(first) == 64
    assert int(first, 16) >= 0
    assert "11010519491231002X" not in first


def test_blind_index_is_separated_by_purpose():
    assert blind_index("13812345678", purpose="resident.phone") != blind_index(
        "13812345678", purpose="notification.address"
    )


@pytest.mark.parametrize(
    "variant",
    [
        "11010519491231002x",
        "  11010519491231002X\n",
        "110105 19491231 002X",
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width, as some input methods type it
        "110105\u300019491231002X",  # ideographic space
    ],
)
def test_blind_index_normalises_case_width_and_spaces(variant):
    assert blind_index(variant, purpose="p") == blind_index("11010519491231002X", purpose="p")


def test_blind_index_differs_for_different_values_and_keys():
    base = blind_index("13812345678", purpose="p")

    assert blind_index("13812345679", purpose="p") != base
    with override_settings(BLIND_INDEX_KEY=OTHER_KEY):
        assert blind_index("13812345678", purpose="p") != base


def test_constant_time_equal():
    assert crypto.constant_time_equal("abc", "abc") is True
    assert crypto.constant_time_equal("abc", "abd") is False


# --- Key configuration -----------------------------------------------------------------


@pytest.mark.parametrize("setting", ["FIELD_ENCRYPTION_KEY", "BLIND_INDEX_KEY"])
@pytest.mark.parametrize("value", [None, "", "zz" * 16, "00" * 15, "00" * 32, "0123456789abcdef0123456789abcde"])
def test_bad_key_configuration_is_refused(setting, value):
    with override_settings(**{setting: value}):
        with pytest.raises(ImproperlyConfigured):
            encrypt("x")
        with pytest.raises(ImproperlyConfigured):
            blind_index("x", purpose="p")


def test_same_key_for_encryption_and_index_is_refused():
    with (
        override_settings(FIELD_ENCRYPTION_KEY=OTHER_KEY, BLIND_INDEX_KEY=OTHER_KEY.upper()),
        pytest.raises(ImproperlyConfigured, match="different"),
    ):
        encrypt("x")


def test_keys_follow_settings_changes():
    with override_settings(FIELD_ENCRYPTION_KEY=OTHER_KEY):
        assert crypto.field_key() == bytes.fromhex(OTHER_KEY)
    assert crypto.field_key() != bytes.fromhex(OTHER_KEY)
