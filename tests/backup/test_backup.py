"""Backups restore: every row and every upload comes back, in a fresh database of the same kind.

The source (demo data, generated accounts, an uploaded document) is built and backed up once per
module; each test restores into databases of its own."""
from __future__ import annotations

import gzip
import stat
import tarfile
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade

from engage.extensions import db
from tests.backup.conftest import Source, all_rows, head_revision, rewrite

PDF = b"%PDF-1.4\n% a document uploaded before the backup\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def _fill(app) -> None:
    from engage.auth import services as accounts
    from engage.demo import load_all
    from engage.rounds import services as rounds
    from engage.rounds.models import Round

    with app.app_context():
        upgrade()
        load_all()
        for n in range(40):
            accounts.create_user(email=f"resident{n}@example.org", display_name=f"Мешканка {n} «Поділ»",
                                 password="correct horse battery staple", locale=("uk", "en", "es")[n % 3])
        round_ = db.session.execute(db.select(Round).order_by(Round.id)).scalars().first()
        rounds.add_document_upload(round_, title="Звіт", filename="report.pdf", data=PDF)
        db.session.commit()


@pytest.fixture(scope="module")
def source(databases, tmp_path_factory) -> Source:
    uploads = tmp_path_factory.mktemp("source-uploads")
    app = databases.app(databases.new(keep=True), uploads=uploads)
    _fill(app)
    backup = tmp_path_factory.mktemp("archives") / "engage.tar"
    result = app.test_cli_runner().invoke(args=["backup", "create", str(backup)])
    assert result.exit_code == 0, result.output
    return Source(app, backup, uploads)


def _restore(app, path: Path, *extra: str):
    return app.test_cli_runner().invoke(args=["backup", "restore", str(path), *extra])


def test_create_writes_one_private_file_with_a_manifest(source, backend):
    assert stat.S_IMODE(source.backup.stat().st_mode) == 0o600
    # gzip where it pays: a SQLite copy shrinks to a quarter, a PostgreSQL dump is compressed already.
    assert source.backup.read_bytes()[:2] == (b"\x1f\x8b" if backend == "sqlite" else b"da")  # a plain tar starts with its first member's name
    assert [p.name for p in source.backup.parent.iterdir()] == [source.backup.name]  # nothing left beside it
    with tarfile.open(source.backup) as tar:
        names = tar.getnames()
    assert names[-1] == "manifest.json" and names[0].startswith("database.")
    assert len([n for n in names if n.startswith("uploads/")]) == 1


def test_round_trip_restores_every_row_and_upload_into_an_empty_database(databases, source):
    target = databases.app()
    result = _restore(target, source.backup)
    assert result.exit_code == 0, result.output
    assert "every count matches the manifest" in result.output

    restored, original = all_rows(target), all_rows(source.app)
    assert restored.keys() == original.keys()
    for table, rows in original.items():
        assert restored[table] == rows, table
    assert sum(len(rows) for rows in original.values()) > 5000
    assert head_revision(target) == head_revision(source.app)

    uploads = Path(target.config["UPLOAD_FOLDER"])
    assert sorted(p.name for p in uploads.iterdir()) == sorted(p.name for p in source.uploads.iterdir())
    assert next(uploads.iterdir()).read_bytes() == PDF

    # The restored site serves the uploaded document of the (published) demo round.
    from engage.rounds.models import RoundDocument

    with target.app_context():
        document = db.session.execute(db.select(RoundDocument).where(RoundDocument.stored_name.is_not(None))).scalar_one()
        round_id, document_id = document.round_id, document.id
        db.session.remove()
    response = target.test_client().get(f"/rounds/{round_id}/documents/{document_id}")
    assert response.status_code == 200 and response.data == PDF


def test_verify_checks_without_touching_anything(databases, source):
    target = databases.app()
    result = target.test_cli_runner().invoke(args=["backup", "verify", str(source.backup), "--tables"])
    assert result.exit_code == 0, result.output
    assert "every checksum matches" in result.output and "users" in result.output
    assert all_rows(target) == {}


def _damaged_copies(source: Path, folder: Path) -> list[tuple[Path, str]]:
    data = source.read_bytes()
    truncated = folder / "truncated"
    truncated.write_bytes(data[: len(data) // 2])
    flipped = folder / "flipped"
    middle = len(data) // 2
    flipped.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:])
    # Uncompressed, one byte of the database changed: only the checksum can tell.
    plain = gzip.decompress(data) if data.startswith(b"\x1f\x8b") else data
    offset = plain.index(b"SQLite format 3") + 5000 if b"SQLite format 3" in plain else plain.index(b"PGDMP") + 2000
    altered = folder / "altered.tar"
    altered.write_bytes(plain[:offset] + bytes([plain[offset] ^ 0x01]) + plain[offset + 1:])
    return [(truncated, "damaged or incomplete"), (flipped, "damaged"),
            (altered, "the checksum of database.")]


def test_a_damaged_backup_is_refused_and_nothing_is_touched(databases, source, tmp_path):
    target = databases.app()
    for damaged, reason in _damaged_copies(source.backup, tmp_path):
        result = _restore(target, damaged)
        assert result.exit_code != 0, damaged.name
        assert reason in result.output, result.output
        assert target.test_cli_runner().invoke(args=["backup", "verify", str(damaged)]).exit_code != 0
    assert all_rows(target) == {}
    assert not Path(target.config["UPLOAD_FOLDER"]).exists() or not any(Path(target.config["UPLOAD_FOLDER"]).iterdir())
    assert not [p for p in Path(target.config["UPLOAD_FOLDER"]).parent.iterdir() if p.name.startswith(".engage-restore")]


def test_a_member_outside_the_archive_is_refused(databases, source, tmp_path):
    hostile = tmp_path / "hostile.tar"
    rewrite(source.backup, hostile, extra={"../escaped.txt": b"x"})
    result = _restore(databases.app(), hostile)
    assert result.exit_code != 0 and "unexpected member" in result.output
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_a_backup_from_a_newer_schema_is_refused(databases, source, tmp_path):
    newer = tmp_path / "newer.tar"
    rewrite(source.backup, newer, manifest={"revision": "f0f0f0f0f0f0"})
    target = databases.app()
    result = _restore(target, newer)
    assert result.exit_code != 0
    assert "f0f0f0f0f0f0 is not among this installation's migrations" in result.output
    assert "newer version of Engage" in result.output
    assert all_rows(target) == {}
    assert target.test_cli_runner().invoke(args=["backup", "verify", str(newer)]).exit_code != 0


def test_a_backup_of_the_other_kind_of_database_is_refused(databases, source, tmp_path):
    other = tmp_path / "other.tar"
    with source.app.app_context():
        kind = db.engine.dialect.name
    rewrite(source.backup, other, manifest={"dialect": "postgresql" if kind == "sqlite" else "sqlite"})
    target = databases.app()
    result = _restore(target, other)
    assert result.exit_code != 0 and "restores only into the kind of database it was made from" in result.output
    assert all_rows(target) == {}


def test_a_database_with_data_is_replaced_only_with_force(databases, source, create_user_in):
    target = databases.app()
    with target.app_context():
        upgrade()
    create_user_in(target, "someone.else@example.org")
    upload = Path(target.config["UPLOAD_FOLDER"]) / "0123.pdf"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(b"%PDF-1.4 kept until forced")

    exported = Path(target.config["EXPORT_FOLDER"]) / "round-comments" / "1-0123abcd.csv"
    exported.parent.mkdir(parents=True)
    exported.write_text("built from the data about to be replaced")
    with target.app_context():
        from engage.core.cache import cache

        cache.set("page-of-the-old-data", "stale")

    refused = _restore(target, source.backup)
    assert refused.exit_code != 0
    assert "nothing restored" in refused.output and "--force" in refused.output and "users 1" in refused.output
    assert upload.exists() and exported.exists()
    with target.app_context():
        assert cache.get("page-of-the-old-data") == "stale"
        assert db.session.execute(db.text("SELECT email FROM users")).scalars().all() == ["someone.else@example.org"]
        db.session.remove()

    forced = _restore(target, source.backup, "--force")
    assert forced.exit_code == 0, forced.output
    assert "replacing 1 rows in 1 tables" in forced.output and "1 files" in forced.output
    assert all_rows(target) == all_rows(source.app)
    assert not upload.exists()
    # Nothing built from the replaced data is served any longer.
    assert not exported.exists()
    with target.app_context():
        assert cache.get("page-of-the-old-data") is None


@pytest.fixture
def create_user_in():
    def make(app, email):
        from engage.auth import services as accounts

        with app.app_context():
            accounts.create_user(email=email, display_name="Someone", password="correct horse battery staple", locale="en")
            db.session.commit()
            db.session.remove()

    return make


def test_a_backup_from_an_older_schema_is_upgraded_after_the_restore(databases, create_user_in, tmp_path):
    old = databases.app()
    with old.app_context():
        upgrade()
    create_user_in(old, "early@example.org")
    with old.app_context():
        downgrade(revision="-1")
        db.session.remove()
    older_revision = head_revision(old)
    backup = tmp_path / "older.tar.gz"
    assert old.test_cli_runner().invoke(args=["backup", "create", str(backup)]).exit_code == 0

    empty = databases.app()
    verified = empty.test_cli_runner().invoke(args=["backup", "verify", str(backup)])
    assert f"a restore would upgrade it from {older_revision}" in verified.output
    result = _restore(empty, backup)
    assert result.exit_code == 0, result.output
    assert f"upgraded the schema from {older_revision}" in result.output

    # Also over a database already at the head (the newer schema's tables are in the way): with --force.
    at_head = databases.app()
    with at_head.app_context():
        upgrade()
    create_user_in(at_head, "later@example.org")
    forced = _restore(at_head, backup, "--force")
    assert forced.exit_code == 0, forced.output

    for restored in (empty, at_head):
        assert head_revision(restored) != older_revision
        with restored.app_context():
            from alembic.autogenerate import compare_metadata
            from alembic.migration import MigrationContext

            from engage.core.database import include_object

            assert db.session.execute(db.text("SELECT email FROM users")).scalars().all() == ["early@example.org"]
            with db.engine.connect() as conn:  # the schema is the head's and matches the models
                context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include_object})
                assert compare_metadata(context, db.metadata) == []
            db.session.remove()


def test_a_failed_backup_leaves_nothing_at_path(databases, source, tmp_path, monkeypatch):
    from engage.backup import archive

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(archive, "_upload_files", broken)
    path = tmp_path / "engage.tar.gz"
    result = source.app.test_cli_runner().invoke(args=["backup", "create", str(path)])
    assert result.exit_code != 0
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("url", [
    "postgres://engage:s3cr%40t@db.example.org:5433/engage?sslmode=require",
    "postgresql://engage:s3cr%40t@db.example.org:5433/engage?sslmode=require",
    "postgresql+psycopg://engage:s3cr%40t@db.example.org:5433/engage?sslmode=require",
])
def test_the_postgresql_tools_get_the_password_in_their_environment_only(url):
    from engage.backup.databases import libpq_arguments

    uri, env = libpq_arguments(url)
    assert uri == "postgresql://engage@db.example.org:5433/engage?sslmode=require"
    assert env["PGPASSWORD"] == "s3cr@t"
    assert "PGPASSWORD" not in libpq_arguments("postgresql://engage@/engage?host=/run/postgresql")[1]


def test_a_sqlite_backup_holds_what_is_still_in_the_write_ahead_log(tmp_path):
    import sqlite3

    from sqlalchemy import create_engine

    from engage.backup.databases import SQLiteDatabase

    path = tmp_path / "wal.sqlite"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # nothing reaches the main file until a checkpoint
    writer.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
    writer.execute("INSERT INTO alembic_version VALUES ('abc')")
    writer.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    writer.execute("BEGIN")
    writer.executemany("INSERT INTO notes (body) VALUES (?)", [(f"note {n}",) for n in range(500)])
    writer.execute("COMMIT")
    assert (tmp_path / "wal.sqlite-wal").stat().st_size > 0

    copy = tmp_path / "copy.sqlite"
    snapshot = SQLiteDatabase(create_engine(f"sqlite:///{path}")).dump(copy)
    writer.close()
    assert snapshot.revision == "abc" and snapshot.tables == {"alembic_version": 1, "notes": 500}
    check = sqlite3.connect(copy)
    assert check.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert check.execute("SELECT count(*) FROM notes").fetchone()[0] == 500
    check.close()
    assert not (tmp_path / "copy.sqlite-wal").exists()


@pytest.mark.parametrize("change, reason", [
    ({"format": "something-else"}, "is not an Engage backup"),
    ({"format_version": 99}, "newer than this Engage reads"),
    ({"uploads": None}, "no valid 'uploads'"),
    ({"tables": {"users": "many"}}, "not numbers"),
    ({"members": {}}, "does not list its database"),
])
def test_a_manifest_that_does_not_describe_the_archive_is_refused(tmp_path, change, reason):
    from engage.backup import archive

    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "a.pdf").write_bytes(PDF)
    dump = tmp_path / "database.sqlite"
    dump.write_bytes(b"SQLite format 3\x00" + bytes(2000))
    manifest = {"format": archive.FORMAT, "format_version": archive.FORMAT_VERSION, "created_at": "2026-12-02T02:30:00Z",
                "revision": "7c41d2e9a0b3", "dialect": "sqlite", "database": "database.sqlite", "tables": {"users": 1}}
    good = tmp_path / "good.tar"
    written = archive.write(good, manifest, archive.Contents(dump, "database.sqlite", tmp_path / "uploads"), compress=False)
    assert written["uploads"] == {"files": 1, "bytes": len(PDF)} and archive.read(good) == written

    bad = tmp_path / "bad.tar"
    rewrite(good, bad, manifest=change)
    with pytest.raises(archive.BackupError, match=reason):
        archive.read(bad)
