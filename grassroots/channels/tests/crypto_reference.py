"""WeChat's message encryption written from its documentation (消息加解密
说明), independently of wechatpy, to cross-check the callback: AESKey =
Base64_Decode(EncodingAESKey + "="); AES-256-CBC with IV = AESKey[:16];
plaintext = random(16) + msg_len (4 bytes, network order) + msg + AppID,
PKCS#7-padded to 32 bytes; msg_signature = SHA1 of the sorted and
concatenated token, timestamp, nonce and Encrypt."""

from __future__ import annotations

import base64
import hashlib
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def aes_key(encoding_aes_key: str) -> bytes:
    return base64.b64decode(encoding_aes_key + "=")


def encrypt(xml: str, *, encoding_aes_key: str, appid: str) -> str:
    key = aes_key(encoding_aes_key)
    msg = xml.encode()
    plain = os.urandom(16) + struct.pack(">I", len(msg)) + msg + appid.encode()
    pad = 32 - len(plain) % 32
    plain += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def decrypt(encrypted: str, *, encoding_aes_key: str) -> tuple[str, str]:
    """(xml, appid)."""
    key = aes_key(encoding_aes_key)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(base64.b64decode(encrypted)) + decryptor.finalize()
    plain = plain[: -plain[-1]]
    (length,) = struct.unpack(">I", plain[16:20])
    return plain[20 : 20 + length].decode(), plain[20 + length :].decode()


def signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()  # noqa: S324 - WeChat's scheme
