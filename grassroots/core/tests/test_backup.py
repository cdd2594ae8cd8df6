"""The restore drill (issue 20 item 6, ADR 0057): back up an installation
holding every kind of record, empty it as a new installation would be,
restore, and check row counts, file hashes, decrypted personal data, the
audit chain and that the installation works on (new rows get new keys).
Then every way a backup can be refused: wrong key, a changed or cut-off
file, a non-empty target, other personal-data keys, another schema."""

from __future__ import annotations

import hashlib
import io
import os
import stat
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.migrations.recorder import MigrationRecorder

from grassroots.core.audit import Action, audit_record, audit_verify
from grassroots.core.backup import tables
from grassroots.core.backup.archive import CHUNK, BackupError
from grassroots.core.backup.service import create_backup, restore_backup
from grassroots.core.models import AuditEntry
from grassroots.regions.models import Resident
from grassroots.testing import factories
from grassroots.testing.access_world import build_world


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files on disk (the test settings keep them in memory)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return settings.MEDIA_ROOT


def _counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in tables.backed_up_models()}


def _hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _empty_installation(media: Path) -> None:
    """What `migrate` on a new database gives: tables, content types and
    permissions, nothing else (seeded rows come back from the backup)."""
    call_command("flush", interactive=False, verbosity=0)
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()


def _backup() -> bytes:
    sink = io.BytesIO()
    create_backup(sink)
    return sink.getvalue()


@pytest.mark.django_db(transaction=True)
def test_restore_drill_brings_back_every_row_file_and_the_audit_chain(media):
    world = build_world()
    default_storage.save("matters/2026/12/photo.jpg", ContentFile(b"\xff\xd8\xff" + os.urandom(3000)))
    default_storage.save("registration/材料.pdf", ContentFile(os.urandom(CHUNK + 1234)))  # spans two chunks
    audit_record(action=Action.EXPORT, actor=None, detail={"drill": "before backup"})
    resident = Resident.objects.order_by("pk").first()
    assert resident is not None
    before, files = _counts(), _hashes(media)
    assert before["core.auditentry"] > 0 and before["matters.matter"] > 0 and len(files) >= 2
    data = _backup()
    assert resident.id_number.encode() not in data  # encrypted as a whole, and rows hold ciphertext

    _empty_installation(media)
    assert _counts()["matters.matter"] == 0

    summary = restore_backup(io.BytesIO(data))
    assert _counts() == before
    assert _hashes(media) == files
    assert summary.audit_ok and audit_verify().ok
    restored = Resident.objects.get(pk=resident.pk)
    assert restored.id_number == resident.id_number  # decrypts with the same key
    assert restored.id_number_index == resident.id_number_index
    assert Resident.objects.filter(id_number_index=restored.id_number_index).count() == 1
    # The installation works on: sequences moved past the restored keys, the chain continues.
    audit_record(action=Action.EXPORT, actor=None, detail={"drill": "after restore"})
    assert audit_verify().ok
    assert AuditEntry.objects.count() == before["core.auditentry"] + 1
    newest_user = max(world.users[role][side].pk for role in world.users for side in world.users[role])
    assert factories.UserFactory(username="after_restore").pk > newest_user


@pytest.mark.django_db(transaction=True)
def test_check_reads_the_whole_backup_and_writes_nothing(media, tmp_path):
    build_world()
    path = tmp_path / "b.grbk"
    call_command("backup", "--output", str(path), stdout=io.StringIO())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = _counts()
    out = io.StringIO()
    call_command("restore", str(path), "--check", stdout=out)
    assert "核验通过" in out.getvalue()
    assert _counts() == before
    # The installation is not empty: a real restore is refused, nothing changed.
    with pytest.raises(CommandError, match="只能恢复到空的安装上"):
        call_command("restore", str(path), stdout=io.StringIO())
    assert _counts() == before
    with pytest.raises(CommandError, match="文件已存在"):
        call_command("backup", "--output", str(path), stdout=io.StringIO())


@pytest.fixture
def small_backup(db, media):
    build_world()
    return _backup()


def test_a_wrong_backup_key_is_refused(small_backup, settings):
    settings.BACKUP_KEY = "00" * 16
    with pytest.raises(BackupError, match="备份密钥不对"):
        restore_backup(io.BytesIO(small_backup), check_only=True)


@pytest.mark.parametrize("where", ["header", "middle", "end"])
def test_a_changed_byte_is_refused(small_backup, where):
    data = bytearray(small_backup)
    position = {"header": 3, "middle": len(data) // 2, "end": len(data) - 1}[where]
    data[position] ^= 0x01
    with pytest.raises(BackupError):
        restore_backup(io.BytesIO(bytes(data)), check_only=True)


def test_a_file_cut_short_is_refused(small_backup):
    with pytest.raises(BackupError, match="不完整"):
        restore_backup(io.BytesIO(small_backup[: len(small_backup) - 40]), check_only=True)
    with pytest.raises(BackupError, match="多余数据"):
        restore_backup(io.BytesIO(small_backup + b"x"), check_only=True)


def test_other_personal_data_keys_are_refused(small_backup, settings):
    settings.FIELD_ENCRYPTION_KEY = "ab" * 16
    with pytest.raises(BackupError, match="GRASSROOTS_FIELD_KEY 与本安装不同"):
        restore_backup(io.BytesIO(small_backup), check_only=True)


def test_another_schema_is_refused(db, media):
    build_world()
    recorder = MigrationRecorder(__import__("django.db", fromlist=["connection"]).connection)
    recorder.record_applied("core", "9999_from_a_newer_release")
    data = _backup()
    recorder.record_unapplied("core", "9999_from_a_newer_release")
    with pytest.raises(BackupError, match="迁移不一致"):
        restore_backup(io.BytesIO(data), check_only=True)


def test_without_a_backup_key_the_command_says_what_to_set(db, settings, tmp_path):
    settings.BACKUP_KEY = ""
    with pytest.raises(CommandError, match="GRASSROOTS_BACKUP_KEY"):
        call_command("backup", "--output", str(tmp_path / "x.grbk"), stdout=io.StringIO())
    assert not list(tmp_path.iterdir())  # no partial file left behind
    settings.BACKUP_KEY = settings.FIELD_ENCRYPTION_KEY
    with pytest.raises(CommandError, match="不能与个人信息加密密钥"):
        call_command("backup", "--output", str(tmp_path / "x.grbk"), stdout=io.StringIO())


def test_not_a_backup_is_refused(db, tmp_path):
    with pytest.raises(BackupError, match="不是本平台的备份文件"):
        restore_backup(io.BytesIO(b"PK\x03\x04 a zip file"), check_only=True)
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "missing.grbk"))
