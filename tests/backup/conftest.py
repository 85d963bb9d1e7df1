"""Databases of their own for the backup tests: the source a backup is made from, and fresh empty
targets to restore into (SQLite files, or PostgreSQL databases created beside TEST_DATABASE_URL's
and dropped at the end). The session database of tests/conftest.py is not used: its rows are
cleared after every test."""
from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from engage import create_app
from engage.config import normalise_database_url
from engage.extensions import db

PG_URL = os.environ.get("TEST_DATABASE_URL")


class Databases:
    """``new()`` gives the URL of a fresh, empty database of the run's kind.

    On PostgreSQL the databases a test used are emptied (their schema dropped) and handed out again:
    a DROP DATABASE forces a checkpoint, which under load takes seconds each."""

    def __init__(self, folder: Path, backend: str):
        self.folder, self.backend = folder, backend
        self.created: list[str] = []
        self.free: list[str] = []
        self.in_use: list[str] = []
        self.apps: list = []

    def new(self, *, keep: bool = False) -> str:
        """A fresh database; ``keep``: for the whole module, else until the test ends."""
        if self.backend == "sqlite":
            url = f"sqlite:///{self.folder / f'backup-{len(self.created) + 1}.sqlite'}"
            self.created.append(url)
        elif self.free:
            url = self.free.pop()
            engine = create_engine(url)
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            engine.dispose()
        else:
            base = make_url(normalise_database_url(PG_URL))
            name = f"{base.database}_bk{os.getpid()}_{len(self.created) + 1}"
            with self._admin() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            url = base.set(database=name).render_as_string(hide_password=False)
            self.created.append(url)
        if not keep:
            self.in_use.append(url)
        return url

    def _admin(self):
        engine = create_engine(normalise_database_url(PG_URL), isolation_level="AUTOCOMMIT")
        return engine.connect()

    def app(self, url: str | None = None, uploads: Path | None = None):
        """An Engage app on ``url`` (default: a new empty database) with an uploads folder of its own."""
        url = url or self.new()
        n = len(self.apps) + 1
        app = create_app({
            "TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "MAIL_BACKEND": "log",
            "RATELIMIT_STORAGE_URI": "memory://", "SERVER_NAME": None, "BASE_URL": "http://localhost",
            "UPLOAD_FOLDER": str(uploads or self.folder / f"uploads-{n}"),
            "EXPORT_FOLDER": str(self.folder / f"exports-{n}"),
        })
        self.apps.append(app)
        return app

    def _close_connections(self) -> None:
        for app in self.apps:
            with app.app_context():
                db.engine.dispose()

    def recycle(self) -> None:
        """After a test: its databases can be emptied and used again."""
        self._close_connections()
        self.free.extend(self.in_use)
        self.in_use.clear()

    def drop_all(self) -> None:
        self._close_connections()
        if self.backend == "postgresql":
            with self._admin() as conn:
                for url in self.created:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request) -> str:
    """The run's database: the suite runs once on SQLite and once with TEST_DATABASE_URL on PostgreSQL."""
    if request.param == "postgresql" and not PG_URL:
        pytest.skip("PostgreSQL backups are tested when TEST_DATABASE_URL is set")
    if request.param == "sqlite" and PG_URL:
        pytest.skip("SQLite backups are tested in the run without TEST_DATABASE_URL")
    if request.param == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("PostgreSQL backups need pg_dump and pg_restore (postgresql-client)")
    return request.param


@pytest.fixture(scope="module")
def databases(backend, tmp_path_factory):
    found = Databases(tmp_path_factory.mktemp("backup"), backend)
    yield found
    found.drop_all()


@pytest.fixture(autouse=True)
def _recycle_databases(request):
    yield
    if "databases" in request.fixturenames:
        request.getfixturevalue("databases").recycle()


def all_rows(app) -> dict[str, list[tuple]]:
    """Every row of every table (the search index's and Alembic's included), ordered by primary key."""
    with app.app_context():
        db.session.remove()
        with db.engine.connect() as conn:
            inspector = inspect(conn)
            rows = {}
            for name in sorted(inspector.get_table_names()):
                key = inspector.get_pk_constraint(name).get("constrained_columns") or []
                order = ", ".join(f'"{column}"' for column in key) or ", ".join(
                    str(i + 1) for i in range(len(inspector.get_columns(name))))
                rows[name] = [tuple(row) for row in conn.execute(text(f'SELECT * FROM "{name}" ORDER BY {order}'))]
        return rows


def head_revision(app) -> str | None:
    from alembic.migration import MigrationContext

    with app.app_context(), db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def rewrite(source: Path, target: Path, *, manifest: dict | None = None, extra: dict[str, bytes] | None = None) -> None:
    """Copy an archive changing its manifest (the members and their checksums stay as they were)."""
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()
            if member.name == "manifest.json":
                data = json.dumps({**json.loads(data), **(manifest or {})}).encode()
                member.size = len(data)
            new.addfile(member, io.BytesIO(data))
        for name, data in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


@dataclass
class Source:
    app: object
    backup: Path
    uploads: Path
