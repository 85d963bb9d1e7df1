"""Making, checking and restoring backups (no request needed: the CLI calls these in an app context).

A restore refuses before touching anything when the archive is damaged, comes from another kind of
database, was made by a newer schema than this installation's migrations know, or would replace
data without ``force``. Then it restores the database, compares every table's rows with the
manifest, upgrades an older schema to the head, swaps the uploads folder, and forgets the pages and
downloads built from the data it replaced.
"""
from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Iterator

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app
from flask_migrate import upgrade

from engage.backup import archive
from engage.backup.archive import BackupError
from engage.backup.databases import for_engine
from engage.core import cache
from engage.extensions import db


def upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]).absolute()


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())


@dataclass(frozen=True)
class Created:
    path: Path
    manifest: dict
    size: int
    seconds: float


def create(path: Path, *, compress: bool | None = None) -> Created:
    """Back up the database and the uploads folder into one archive at ``path``.

    ``compress``: gzip the archive; by default only when the database's dump is not compressed already."""
    started = time.monotonic()
    path = path.absolute()
    if path.is_dir():
        raise BackupError(f"{path} is a folder: give the name of the backup file")
    if not path.parent.is_dir():
        raise BackupError(f"the folder {path.parent} does not exist")
    database = for_engine(db.engine)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".engage-backup-") as work:
        dump = Path(work) / database.member
        snapshot = database.dump(dump)
        if snapshot.revision is None:
            raise BackupError("the database has no schema revision (alembic_version): run `flask db upgrade` first")
        manifest = {
            "format": archive.FORMAT,
            "format_version": archive.FORMAT_VERSION,
            "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "revision": snapshot.revision,
            "dialect": database.dialect,
            "database": database.member,
            "tables": snapshot.tables,
            "host": platform.node(),
            "sqlite_version": sqlite3.sqlite_version if database.dialect == "sqlite" else None,
        }
        if compress is None:
            compress = not database.compressed
        manifest = archive.write(path, manifest, archive.Contents(dump, database.member, upload_folder()),
                                 compress=compress)
    return Created(path, manifest, path.stat().st_size, time.monotonic() - started)


@dataclass
class Unpacked:
    """A backup checked and unpacked into a private folder, removed when the ``with`` ends."""

    path: Path
    manifest: dict
    folder: Path

    @property
    def database_file(self) -> Path:
        return self.folder / self.manifest["database"]

    @property
    def uploads(self) -> Path:
        return self.folder / archive.UPLOADS


@contextmanager
def unpacked(path: Path) -> Iterator[Unpacked]:
    """Check every checksum of the backup at ``path`` while unpacking it beside the uploads folder."""
    uploads = upload_folder()
    uploads.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=uploads.parent, prefix=".engage-restore-"))
    try:
        manifest = archive.read(path, into=folder / "backup")
        yield Unpacked(path, manifest, folder / "backup")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class Check:
    """Whether this installation can restore a backup, and what restoring it would replace."""

    manifest: dict
    target: str
    head: str
    existing_rows: dict[str, int]
    existing_uploads: int
    has_tables: bool  # even empty ones: a PostgreSQL restore must then replace them

    @property
    def needs_upgrade(self) -> bool:
        return self.manifest["revision"] != self.head

    @property
    def replaces_data(self) -> bool:
        return bool(self.existing_rows or self.existing_uploads)


def _existing_uploads() -> int:
    folder = upload_folder()
    return sum(len(files) for _, _, files in os.walk(folder)) if folder.is_dir() else 0


def check(manifest: dict) -> Check:
    """Refuse a backup this installation cannot restore; say what restoring it would replace."""
    database = for_engine(db.engine)
    if manifest["dialect"] != database.dialect:
        raise BackupError(f"this is a {manifest['dialect']} backup and the configured database is {database.dialect}: "
                          "a backup restores only into the kind of database it was made from")
    if manifest["database"] != database.member:
        raise BackupError(f"the backup's database is {manifest['database']!r}, not {database.member!r}: the file is damaged")
    scripts = _scripts()
    revision = manifest["revision"]
    try:
        known = scripts.get_revision(revision)
    except CommandError:
        known = None
    if known is None or known.revision != revision:  # (Alembic also accepts the start of an id)
        raise BackupError(f"the backup's schema revision {revision} is not among this installation's migrations: "
                          "it was made by a newer version of Engage. Install that version (or a later one) "
                          "and restore with it; nothing was changed")
    model_tables = set(db.metadata.tables)
    existing = database.counts().tables
    rows = {name: n for name, n in existing.items() if n and name in model_tables}
    return Check(manifest, database.description, scripts.get_current_head(), rows, _existing_uploads(),
                 bool(existing))


@dataclass
class Restored:
    manifest: dict
    mismatches: dict[str, tuple[int, int | None]] = field(default_factory=dict)  # table: (manifest, restored)
    upgraded_to: str | None = None

    @property
    def rows(self) -> int:
        return sum(self.manifest["tables"].values())


def restore(backup: Unpacked, plan: Check) -> Restored:
    """Put the checked backup in place of the configured database and uploads folder."""
    manifest = backup.manifest
    database = for_engine(db.engine)
    db.session.remove()
    database.restore(backup.database_file, manifest["tables"], clean=plan.has_tables)
    restored = database.counts().tables
    result = Restored(manifest)
    for name, expected in manifest["tables"].items():
        if restored.get(name) != expected:
            result.mismatches[name] = (expected, restored.get(name))
    if plan.needs_upgrade:
        upgrade()
        result.upgraded_to = plan.head
    db.engine.dispose()
    _replace_uploads(backup.uploads, backup.folder.parent / "replaced-uploads")
    _forget_what_was_built_from_the_old_data()
    return result


def _forget_what_was_built_from_the_old_data() -> None:
    """Empty the page cache and EXPORT_FOLDER: their version stamps describe the replaced data, so an
    old download (or page) would otherwise be served as current. Both are rebuilt when asked for."""
    cache.clear()
    exports = Path(current_app.config["EXPORT_FOLDER"])
    if exports.is_dir():
        for entry in exports.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def _replace_uploads(restored: Path, old: Path) -> None:
    """Move the uploads folder's entries aside, then the backup's in (the folder itself may be a mount)."""
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    old.mkdir(exist_ok=True)
    for entry in list(folder.iterdir()):
        shutil.move(str(entry), str(old / entry.name))
    if restored.is_dir():
        for entry in list(restored.iterdir()):
            shutil.move(str(entry), str(folder / entry.name))

