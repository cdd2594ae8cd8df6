"""Field-level encryption for personal data (SM4-GCM) and an HMAC-SM3 blind
index for exact lookup. Ciphertext format, base64 of:
``version(1) || nonce(12) || ciphertext || tag(16)``. The version byte leaves
room for key rotation."""

from __future__ import annotations

import base64
import hmac as std_hmac
import os
import unicodedata
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16


class DecryptionError(Exception):
    pass


def _key(value: str | None, name: str) -> bytes:
    try:
        key = bytes.fromhex(value or "")
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be 32 hex characters.") from exc
    if len(key) != 16:
        raise ImproperlyConfigured(f"{name} must be 32 hex characters (16 bytes).")
    return key


@lru_cache(maxsize=4)
def _keys(field_key: str | None, index_key: str | None) -> tuple[bytes, bytes]:
    keys = _key(field_key, "GRASSROOTS_FIELD_KEY"), _key(index_key, "GRASSROOTS_INDEX_KEY")
    if keys[0] == keys[1]:
        # One leaked key must not expose both the ciphertext and the index.
        raise ImproperlyConfigured("GRASSROOTS_FIELD_KEY and GRASSROOTS_INDEX_KEY must be different keys.")
    return keys


def field_key() -> bytes:
    return _keys(settings.FIELD_ENCRYPTION_KEY, settings.BLIND_INDEX_KEY)[0]


def index_key() -> bytes:
    return _keys(settings.FIELD_ENCRYPTION_KEY, settings.BLIND_INDEX_KEY)[1]


def encrypt(plaintext: str, *, associated_data: bytes = b"") -> str:
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(field_key()), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(associated_data)
    body = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    return base64.b64encode(bytes([VERSION]) + nonce + body + encryptor.tag).decode("ascii")


def decrypt(token: str, *, associated_data: bytes = b"") -> str:
    try:
        raw = base64.b64decode(token.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise DecryptionError("ciphertext is not base64") from exc
    if len(raw) < 1 + NONCE_BYTES + TAG_BYTES or raw[0] != VERSION:
        raise DecryptionError("unknown ciphertext version")
    nonce, body, tag = raw[1 : 1 + NONCE_BYTES], raw[1 + NONCE_BYTES : -TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(field_key()), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(associated_data)
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")
    except InvalidTag as exc:
        raise DecryptionError("ciphertext failed authentication") from exc


def normalise_for_index(value: str) -> str:
    """What the blind index sees: NFKC (full-width digits and letters, typed
    with Chinese input methods, become ASCII), all whitespace removed (also
    inside: ``138 1234 5678``), upper case (the ID number's ``x``/``X``)."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed HMAC-SM3 of a normalised value. `purpose` separates domains so that
    the same phone number yields different indexes in different columns."""
    mac = crypto_hmac.HMAC(index_key(), hashes.SM3())
    mac.update(purpose.encode("utf-8") + b"\x00" + normalise_for_index(value).encode("utf-8"))
    return mac.finalize().hex()


def constant_time_equal(a: str, b: str) -> bool:
    return std_hmac.compare_digest(a.encode(), b.encode())
