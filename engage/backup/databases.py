"""How each database is copied consistently while the site runs, counted, and put back.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies the whole file in one step, as
one read transaction, so the copy is consistent in WAL or rollback-journal mode alike; it is
restored the same way, into the configured file (never a file copied over one that is open).

PostgreSQL: ``pg_dump -Fc`` and ``pg_restore``, without owners or privileges so that a backup
restores under any role. The row counts are read in a REPEATABLE READ transaction whose snapshot
``pg_dump --snapshot`` then dumps: the counts describe exactly the rows in the dump. The connection
is passed to the tools as a libpq URI argument (no shell), the password through ``PGPASSWORD``.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Collection

from sqlalchemy import URL, Engine, inspect, text
from sqlalchemy.engine import make_url

from engage.backup.archive import BackupError
from engage.config import normalise_database_url

VERSION_TABLE = "alembic_version"


@dataclass(frozen=True)
class Snapshot:
    """What a dump holds: the schema revision and the rows of every table."""

    revision: str | None
    tables: dict[str, int]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _revision(rows: list) -> str | None:
    versions = sorted(row[0] for row in rows)
    if len(versions) > 1:
        raise BackupError(f"the database is at several schema revisions at once ({', '.join(versions)})")
    return versions[0] if versions else None


class SQLiteDatabase:
    dialect = "sqlite"
    member = "database.sqlite"
    compressed = False  # gzip makes a city's copy 3.5 times smaller

    def __init__(self, engine: Engine):
        url = engine.url
        if not url.database or url.database == ":memory:" or url.query.get("mode") == "memory":
            raise BackupError("an in-memory SQLite database cannot be backed up or restored")
        self.engine = engine
        self.path = Path(url.database)
        self.description = str(self.path)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        return sqlite3.connect(path, timeout=60, isolation_level=None)

    @staticmethod
    def _count(conn: sqlite3.Connection) -> Snapshot:
        names = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "ORDER BY name")]
        tables = {name: conn.execute(f"SELECT count(*) FROM {_quote(name)}").fetchone()[0] for name in names}
        revision = _revision(conn.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchall()) \
            if VERSION_TABLE in tables else None
        return Snapshot(revision, tables)

    def dump(self, target: Path) -> Snapshot:
        if not self.path.is_file():
            raise BackupError(f"the database {self.path} does not exist")
        source, copy = self._connect(self.path), self._connect(target)
        try:
            source.backup(copy)  # every page in one step: one consistent read of the database
            copy.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file
            return self._count(copy)
        except sqlite3.Error as exc:
            raise BackupError(f"could not copy {self.path}: {exc}") from exc
        finally:
            copy.close()
            source.close()

    def counts(self) -> Snapshot:
        if not self.path.is_file():
            return Snapshot(None, {})
        conn = self._connect(self.path)
        try:
            return self._count(conn)
        finally:
            conn.close()

    def restore(self, dump: Path, tables: Collection[str], *, clean: bool) -> None:
        """Replace the database with ``dump`` (every table, whatever ``tables`` and ``clean`` say)."""
        self.engine.dispose()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        source, target = self._connect(dump), self._connect(self.path)
        try:
            source.backup(target)  # one transaction: other connections see the old or the new database
        except sqlite3.Error as exc:
            raise BackupError(f"could not restore into {self.path}: {exc}") from exc
        finally:
            target.close()
            source.close()


def libpq_arguments(url: str | URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and the environment carrying it (PGPASSWORD).

    Accepts every spelling Engage accepts: ``postgres://``, ``postgresql://``, ``postgresql+psycopg://``."""
    if isinstance(url, URL):
        url = url.render_as_string(hide_password=False)
    parsed = make_url(normalise_database_url(url))
    plain = URL.create("postgresql", username=parsed.username, host=parsed.host, port=parsed.port,
                       database=parsed.database, query=parsed.query)
    env = dict(os.environ)
    env.pop("PGPASSWORD", None)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools "
                          "(the server's major version or newer)")
    return found


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tool = Path(args[0]).name
        raise BackupError(f"{tool} failed (exit {done.returncode}): {done.stderr.strip() or done.stdout.strip()}")


class PostgresDatabase:
    dialect = "postgresql"
    member = "database.pgdump"
    compressed = True  # pg_dump -Fc compresses already: gzip would take twice the time for 1%

    def __init__(self, engine: Engine):
        self.engine = engine
        self.uri, self.env = libpq_arguments(engine.url)
        self.description = engine.url.render_as_string(hide_password=True)

    @staticmethod
    def _count(conn) -> Snapshot:
        names = sorted(inspect(conn).get_table_names())
        tables = {name: conn.execute(text(f"SELECT count(*) FROM {_quote(name)}")).scalar_one() for name in names}
        revision = _revision(conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).all()) \
            if VERSION_TABLE in tables else None
        return Snapshot(revision, tables)

    def dump(self, target: Path) -> Snapshot:
        pg_dump = _tool("pg_dump")
        with self.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            with conn.begin():
                conn.execute(text("SET TRANSACTION READ ONLY"))
                snapshot_id = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                snapshot = self._count(conn)
                # The transaction stays open while pg_dump runs: it dumps the snapshot just counted.
                _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot_id}",
                      f"--file={target}", f"--dbname={self.uri}"], self.env)
        return snapshot

    def counts(self) -> Snapshot:
        with self.engine.connect() as conn:
            snapshot = self._count(conn)
            conn.rollback()
        return snapshot

    def restore(self, dump: Path, tables: Collection[str], *, clean: bool) -> None:
        """Restore ``dump`` in one transaction; with ``clean``, over the tables already there.

        Tables the backup does not hold (made by a newer schema than the backup's) are dropped first,
        or the upgrade that follows would find them in its way."""
        pg_restore = _tool("pg_restore")
        self.engine.dispose()
        if clean:
            with self.engine.begin() as conn:
                for name in sorted(set(inspect(conn).get_table_names()) - set(tables)):
                    conn.execute(text(f"DROP TABLE IF EXISTS {_quote(name)} CASCADE"))
        options = ["--clean", "--if-exists"] if clean else []
        _run([pg_restore, *options, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
              f"--dbname={self.uri}", str(dump)], self.env)
        self.engine.dispose()


DATABASES = {kind.dialect: kind for kind in (SQLiteDatabase, PostgresDatabase)}


def for_engine(engine: Engine) -> SQLiteDatabase | PostgresDatabase:
    kind = DATABASES.get(engine.dialect.name)
    if kind is None:
        raise BackupError(f"backups of {engine.dialect.name} databases are not supported (SQLite and PostgreSQL are)")
    return kind(engine)
