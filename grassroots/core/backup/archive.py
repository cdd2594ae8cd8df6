"""The backup file: a gzip'd tar stream encrypted in chunks with SM4-GCM
under GRASSROOTS_BACKUP_KEY (GB/T 39786: a commercial cipher for data at rest).

Layout: ``MAGIC || version(1) || file_id(8)``, then chunks, each
``length(4, big-endian) || ciphertext || tag(16)``. The nonce of chunk *n* is
``file_id || n`` (4 bytes), never repeated under one key for a random
64-bit file id; the associated data binds each chunk to the file's header,
its position and whether it is the last one, so chunks cannot be reordered,
dropped, spliced from another backup, or the file cut short without the
reader noticing."""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

MAGIC = b"GRASSROOTS-BACKUP\x00"
VERSION = 1
CHUNK = 1 << 20
TAG = 16
HEADER_LEN = len(MAGIC) + 1 + 8


class BackupError(Exception):
    """A backup that cannot be written or read; the message is for the operator (Chinese)."""


def key_id(hex_key: str) -> str:
    """A key's public identifier: it tells whether two installations hold the
    same key without revealing it (HMAC-SHA256 keyed by the key itself)."""
    if not hex_key:
        return ""
    return hmac.new(bytes.fromhex(hex_key), b"grassroots-key-id", hashlib.sha256).hexdigest()[:16]


def backup_key() -> bytes:
    value = getattr(settings, "BACKUP_KEY", "") or ""
    try:
        key = bytes.fromhex(value)
    except ValueError:
        key = b""
    if len(key) != 16:
        raise BackupError(
            "未配置备份密钥:请在环境变量 GRASSROOTS_BACKUP_KEY 中设置 32 位十六进制密钥(与个人信息密钥不同)。"
        )
    if value.lower() in {(settings.FIELD_ENCRYPTION_KEY or "").lower(), (settings.BLIND_INDEX_KEY or "").lower()}:
        raise BackupError("备份密钥不能与个人信息加密密钥或索引密钥相同。")
    return key


def _aad(header: bytes, index: int, final: bool) -> bytes:
    return header + struct.pack(">IB", index, 1 if final else 0)


class EncryptingWriter(io.RawIOBase):
    """A write-only file object: what is written comes out encrypted in `sink`."""

    def __init__(self, sink: BinaryIO, key: bytes) -> None:
        self.sink = sink
        self.key = key
        self.file_id = os.urandom(8)
        self.header = MAGIC + bytes([VERSION]) + self.file_id
        self.buffer = bytearray()
        self.index = 0
        self.finished = False
        sink.write(self.header)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self.buffer.extend(data)
        while len(self.buffer) > CHUNK:
            self._emit(bytes(self.buffer[:CHUNK]), final=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _emit(self, plain: bytes, *, final: bool) -> None:
        nonce = self.file_id + struct.pack(">I", self.index)
        encryptor = Cipher(algorithms.SM4(self.key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(_aad(self.header, self.index, final))
        body = encryptor.update(plain) + encryptor.finalize() + encryptor.tag
        self.sink.write(struct.pack(">I", len(body)) + body)
        self.index += 1

    def finish(self) -> None:
        if not self.finished:
            self._emit(bytes(self.buffer), final=True)
            self.buffer.clear()
            self.finished = True


class DecryptingReader(io.RawIOBase):
    """A read-only file object over an encrypted backup; raises BackupError on
    a wrong key, a changed byte or a file cut short."""

    def __init__(self, source: BinaryIO, key: bytes) -> None:
        self.source = source
        self.key = key
        self.header = source.read(HEADER_LEN)
        if len(self.header) != HEADER_LEN or not self.header.startswith(MAGIC):
            raise BackupError("这不是本平台的备份文件(文件头不符)。")
        if self.header[len(MAGIC)] != VERSION:
            raise BackupError("备份文件格式版本不受支持。")
        self.file_id = self.header[-8:]
        self.index = 0
        self.pending = b""
        self.done = False

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> None:
        raw_len = self.source.read(4)
        if len(raw_len) < 4:
            raise BackupError("备份文件不完整(在最后一块之前结束),可能在复制或传输中被截断。")
        (length,) = struct.unpack(">I", raw_len)
        body = self.source.read(length)
        if len(body) != length or length < TAG:
            raise BackupError("备份文件不完整(数据块被截断)。")
        nonce = self.file_id + struct.pack(">I", self.index)
        for final in (False, True):
            decryptor = Cipher(algorithms.SM4(self.key), modes.GCM(nonce, body[-TAG:])).decryptor()
            decryptor.authenticate_additional_data(_aad(self.header, self.index, final))
            try:
                self.pending = decryptor.update(body[:-TAG]) + decryptor.finalize()
            except InvalidTag:
                continue
            self.index += 1
            if final:
                self.done = True
                if self.source.read(1):
                    raise BackupError("备份文件在结束块之后还有多余数据,文件被改动过。")
            return
        raise BackupError("备份文件无法解密:备份密钥不对,或文件内容被改动过。")

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self.pending and not self.done:
            self._next_chunk()
        size = min(len(target), len(self.pending))
        target[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size
