"""Write a backup of the whole installation and restore one onto an empty
installation (ADR 0057). What a backup holds: every table Django manages
(sessions excepted), every uploaded file with its SHA-256, the applied
migrations, the audit chain's head, and the identifiers (never the values)
of the keys the data was encrypted and signed with."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from grassroots.core.audit import audit_verify
from grassroots.core.models import AuditEntry

from . import tables
from .archive import BackupError, DecryptingReader, EncryptingWriter, backup_key, key_id

FORMAT = 1


@dataclass
class Summary:
    created_at: str = ""
    rows: dict[str, int] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    audit_entries: int = 0
    audit_ok: bool | None = None
    audit_reason: str = ""

    @property
    def row_total(self) -> int:
        return sum(self.rows.values())


def _key_ids() -> dict[str, str]:
    return {
        "field": key_id(settings.FIELD_ENCRYPTION_KEY or ""),
        "index": key_id(settings.BLIND_INDEX_KEY or ""),
        "audit_head": key_id(settings.AUDIT_HEAD_KEY or ""),
    }


def _migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _add_table(tar: tarfile.TarFile, model: type[models.Model]) -> int:
    """One table as JSON lines (its column names first), spooled to disk
    when large: a tar member's size must be known before its bytes."""
    count = 0
    with tempfile.SpooledTemporaryFile(max_size=32 << 20) as spool:
        names = [column.attname for column in tables.columns(model)]
        spool.write(json.dumps(names).encode() + b"\n")
        for row in tables.rows(model):
            spool.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
            count += 1
        info = tarfile.TarInfo(f"data/{model._meta.label_lower}.jsonl")
        info.size = spool.tell()
        info.mtime = int(timezone.now().timestamp())
        spool.seek(0)
        tar.addfile(info, spool)
    return count


def _media_files() -> Iterator[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.startswith(".restore-"):
            yield path.relative_to(root).as_posix(), path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def create_backup(sink: BinaryIO) -> Summary:
    """Write an encrypted backup to `sink` (read in one repeatable-read
    transaction on PostgreSQL, so the tables agree with each other)."""
    key = backup_key()
    summary = Summary(created_at=timezone.now().isoformat())
    writer = EncryptingWriter(sink, key)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        head = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
        header = {
            "format": FORMAT,
            "created_at": summary.created_at,
            "database": connection.vendor,
            "keys": _key_ids(),
            "migrations": _migrations(),
            "audit_head": {"id": head[0], "hash": head[1]} if head else None,
        }
        with tarfile.open(fileobj=writer, mode="w|gz") as tar:
            _add(tar, "header.json", json.dumps(header, ensure_ascii=False).encode())
            for model in tables.backed_up_models():
                summary.rows[model._meta.label_lower] = _add_table(tar, model)
            summary.audit_entries = summary.rows.get("core.auditentry", 0)
            for name, path in _media_files():
                summary.files[name] = _sha256(path)
                tar.add(str(path), arcname=f"media/{name}", recursive=False)
            manifest = {"rows": summary.rows, "files": summary.files}
            _add(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False).encode())
    writer.finish()
    return summary


def _check_header(header: dict[str, Any]) -> None:
    if header.get("format") != FORMAT:
        raise BackupError("备份文件格式版本不受支持。")
    ours = _key_ids()
    theirs = header.get("keys") or {}
    for name, label in (("field", "GRASSROOTS_FIELD_KEY"), ("index", "GRASSROOTS_INDEX_KEY")):
        if theirs.get(name) != ours[name]:
            raise BackupError(
                f"备份使用的 {label} 与本安装不同(密钥标识 {theirs.get(name) or '无'} ≠ {ours[name] or '无'}):"
                "请先配置与备份时相同的密钥,否则恢复后的身份证号和手机号无法解密。"
            )
    missing = sorted(set(header.get("migrations") or []) ^ set(_migrations()))
    if missing:
        shown = "、".join(missing[:5]) + (" 等" if len(missing) > 5 else "")
        raise BackupError(
            f"备份与本安装的数据库结构版本不同({len(missing)} 处迁移不一致:{shown}):"
            "请安装与备份相同版本的程序并执行 migrate 后再恢复,恢复后再升级。"
        )


def _check_empty() -> None:
    from django.contrib.auth import get_user_model

    if get_user_model()._base_manager.exists() or AuditEntry.objects.exists():
        raise BackupError("只能恢复到空的安装上:本数据库已有账号或审计日志。请新建数据库并执行 migrate 后再恢复。")


def _clear(models_in_backup: list[type[models.Model]]) -> None:
    """Remove what migrations seeded (categories, catalogue, checklists…):
    the backup's rows replace them with their own keys."""
    for model in models_in_backup:
        if model is AuditEntry:
            continue
        model._base_manager.all()._raw_delete(connection.alias)


def _insert(model: type[models.Model], names: list[str], batch: list[list[Any]]) -> None:
    """Rows exactly as they were: a raw insert runs no `pre_save` (an
    `auto_now_add` time or a blind index is not recomputed) and no signal."""
    objs = tables.instances(model, names, batch)
    fields = [model._meta.get_field(column.name) for column in tables.columns(model)]
    size = max(1, connection.ops.bulk_batch_size(fields, objs))
    queryset = model._base_manager.get_queryset()
    for start in range(0, len(objs), size):
        queryset._insert(objs[start : start + size], fields=fields, raw=True, using=connection.alias)  # type: ignore[attr-defined]


def _load_table(model: type[models.Model], handle: IO[bytes]) -> int:
    names = json.loads(handle.readline())
    count = 0
    batch: list[list[Any]] = []
    for line in handle:
        if not line.strip():
            continue
        batch.append(json.loads(line))
        if len(batch) >= tables.BATCH:
            _insert(model, names, batch)
            count += len(batch)
            batch = []
    if batch:
        _insert(model, names, batch)
        count += len(batch)
    return count


def restore_backup(source: BinaryIO, *, check_only: bool = False) -> Summary:
    """Restore a backup onto an empty installation, all tables in one
    transaction; uploaded files are staged and moved into place only after
    the database committed. `check_only` decrypts and verifies every row
    count and file hash without writing anything."""
    reader = io.BufferedReader(DecryptingReader(source, backup_key()), buffer_size=1 << 20)
    by_label = {model._meta.label_lower: model for model in tables.backed_up_models()}
    summary = Summary()
    media_root = Path(settings.MEDIA_ROOT)
    staging = media_root / f".restore-{uuid.uuid4().hex}"
    seen_rows: dict[str, int] = {}
    seen_files: dict[str, str] = {}
    manifest: dict[str, Any] | None = None
    try:
        with transaction.atomic(), tarfile.open(fileobj=reader, mode="r|gz") as tar:
            for number, member in enumerate(tar):
                handle = tar.extractfile(member) if member.isfile() else None
                if handle is None:
                    raise BackupError(f"备份文件中有无法识别的条目:{member.name}")
                if number == 0:
                    if member.name != "header.json":
                        raise BackupError("备份文件缺少文件头(header.json)。")
                    header = json.loads(handle.read())
                    summary.created_at = header.get("created_at", "")
                    _check_header(header)
                    if not check_only:
                        _check_empty()
                        _clear(list(by_label.values()))
                elif member.name.startswith("data/"):
                    label = member.name[5:].removesuffix(".jsonl")
                    model = by_label.get(label)
                    if model is None:
                        raise BackupError(f"备份中的数据表 {label} 在本安装中不存在。")
                    if check_only:
                        handle.readline()
                        seen_rows[label] = sum(1 for line in handle if line.strip())
                    else:
                        seen_rows[label] = _load_table(model, handle)
                elif member.name.startswith("media/"):
                    name = member.name[6:]
                    if ".." in Path(name).parts or name.startswith("/"):
                        raise BackupError(f"备份中的文件路径不安全:{name}")
                    seen_files[name] = _stage_file(handle, None if check_only else staging / name)
                elif member.name == "manifest.json":
                    manifest = json.loads(handle.read())
                else:
                    raise BackupError(f"备份文件中有无法识别的条目:{member.name}")
            if manifest is None:
                raise BackupError("备份文件缺少清单(manifest.json),可能不完整。")
            if manifest["rows"] != seen_rows:
                differing = sorted(
                    k for k in set(manifest["rows"]) | set(seen_rows) if manifest["rows"].get(k) != seen_rows.get(k)
                )
                raise BackupError(f"备份中的行数与清单不符:{'、'.join(differing[:5])}")
            if manifest["files"] != seen_files:
                raise BackupError("备份中的上传文件与清单中的哈希值不符。")
            summary.rows, summary.files = seen_rows, seen_files
            if not check_only:
                _after_load(list(by_label.values()))
                counted = {label: model._base_manager.count() for label, model in by_label.items()}
                if counted != seen_rows:
                    raise BackupError("恢复后的行数与备份不符,已全部撤销。")
                result = audit_verify()
                summary.audit_ok, summary.audit_reason = result.ok, result.reason
                if not result.ok:
                    raise BackupError(f"恢复后审计日志核验未通过,已全部撤销:{result.reason}")
        if not check_only:
            _move_into_place(staging, media_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    summary.audit_entries = summary.rows.get("core.auditentry", 0)
    return summary


def _stage_file(handle: IO[bytes], target: Path | None) -> str:
    digest = hashlib.sha256()
    out = None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        out = target.open("wb")
    try:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            if out is not None:
                out.write(block)
    finally:
        if out is not None:
            out.close()
    return digest.hexdigest()


def _after_load(loaded: list[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), loaded)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    ContentType.objects.clear_cache()


def _move_into_place(staging: Path, media_root: Path) -> None:
    if not staging.is_dir():
        return
    for path in sorted(staging.rglob("*")):
        if path.is_file():
            target = media_root / path.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            path.replace(target)


def default_name() -> str:
    return f"grassroots-{datetime.datetime.now():%Y%m%d-%H%M%S}.grbk"
