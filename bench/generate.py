"""A fast, deterministic data generator for the load harness: a city's worth of Engage data.

    .venv/bin/python -m bench.generate --size small|city|capital [--database-url URL] [--seed N]

The default database is the SQLite file ``bench/data/<size>.sqlite``; a PostgreSQL URL names a database
that is created if it does not exist. Every table of the target database is dropped, the schema is
created by the migrations, and the data of the named size is bulk-loaded through SQLAlchemy Core in
batches (see ``bench/gen_base.py``). The stored counters are recounted from the rows, every summary
is rebuilt with ``engage.core.summaries.rebuild_all()``, and a manifest describing the data (counts,
accounts, an id for every URL parameter of the application) is written to
``bench/data/<size>-<db>.manifest.json`` for the load runner (``python -m bench``).

Everything comes from ``random.Random(seed)``; only the dates depend on the day of generation.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ENGAGE_ENV", "testing")
os.environ.setdefault("SECRET_KEY", "benchmark-generator-only")

from sqlalchemy import MetaData, create_engine, event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from tqdm import tqdm  # noqa: E402

from bench import (  # noqa: E402
    finish,
    gen_civic,
    gen_contrib,
    gen_feedback,
    gen_people,
    gen_rounds,
    gen_surveys,
    indexes,
)
from bench.gen_base import SIZES, Gen  # noqa: E402
from engage.config import normalise_database_url  # noqa: E402
from engage.extensions import db  # noqa: E402

STEPS = [
    ("users", gen_people.users),
    ("organisations", gen_people.organisations),
    ("rounds", gen_rounds.rounds),
    ("proposals", gen_rounds.proposals),
    ("supports", gen_contrib.supports),
    ("comments", gen_contrib.comments),
    ("answers", gen_feedback.answers),
    ("surveys", gen_surveys.surveys),
    ("meetings", gen_civic.meetings),
    ("action plan", gen_civic.plan),
    ("endorsements", gen_civic.endorsements),
    ("moderation", gen_feedback.moderation),  # after every step that hides or flags something
    ("notifications", gen_feedback.notifications),
    ("indexes", indexes.restore),  # before anything reads through them
    ("counters", finish.counters),
    ("summaries", finish.summaries),
]


def default_url(size: str) -> str:
    return f"sqlite:///{DATA / f'{size}.sqlite'}"


def generate(database_url: str | None, size: str, seed: int = 2026, progress: bool = True) -> dict:
    """Replace the content of ``database_url`` (default: ``bench/data/<size>.sqlite``) with generated data
    of ``size``; returns the manifest, also written to ``bench/data/<size>-<db>.manifest.json``."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    DATA.mkdir(parents=True, exist_ok=True)
    given = database_url or default_url(size)
    url = normalise_database_url(given)
    dialect = make_url(url).get_backend_name()
    path = DATA / f"{size}-{dialect}.manifest.json"
    path.unlink(missing_ok=True)  # a half-made database must not look current to the load runner
    started = time.perf_counter()
    timings: list[tuple[str, float]] = []
    gen = Gen(size, seed, progress)
    with _timed(timings, "schema"):
        if dialect == "postgresql":
            ensure_postgres_database(url)
        app = build_app(url)
        with app.app_context():
            gen.deferred_indexes = indexes.defer()
    with app.app_context():
        for name, step in STEPS:
            with _timed(timings, name), _bar(gen, name):
                step(gen)
                db.session.commit()
        with _timed(timings, "finish"):
            revision = finish.tidy()
        params, missing = finish.url_params(app, gen)
        counts = finish.counts()
        db.session.remove()
        db.engine.dispose()
    seconds = time.perf_counter() - started
    manifest = {
        "size": size, "db": dialect, "database_url": given, "seed": seed, "schema_revision": revision,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"), "seconds": round(seconds, 1),
        "counts": counts, "accounts": dict(gen.accounts), "params": params, "params_missing": missing,
        "extra": gen.extra,
    }
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    if progress:
        steps = ", ".join(f"{name} {spent:.1f} s" for name, spent in timings)
        print(f"generated {size} on {dialect} in {seconds:.1f} s: {steps}; manifest {path.relative_to(ROOT)}",
              flush=True)
    return manifest


@contextmanager
def _timed(timings: list, name: str):
    started = time.perf_counter()
    yield
    timings.append((name, time.perf_counter() - started))


@contextmanager
def _bar(gen: Gen, name: str):
    gen.bar = tqdm(desc=f"{name:<18}", unit=" rows", unit_scale=True, disable=not gen.progress, leave=True)
    try:
        yield
    finally:
        gen.bar.close()
        gen.bar = None


# --- The database ----------------------------------------------------------------------------------


def ensure_postgres_database(url: str) -> None:
    """Create the database ``url`` names if it does not exist, from the server's ``postgres`` database."""
    parsed = make_url(url)
    engine = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        engine.dispose()


def build_app(url: str):
    """The application on ``url``, with every table dropped and the schema created by the migrations."""
    from flask_migrate import upgrade

    from engage import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                      "WTF_CSRF_ENABLED": False, "MAIL_BACKEND": "log"})
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _fast_sqlite)
            db.engine.dispose()
        drop_everything()
        upgrade()
    return app


def _fast_sqlite(dbapi_connection, _record) -> None:
    """The loading connection trades durability for speed: a crash means generating again anyway."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("PRAGMA cache_size=-262144")  # 256 MB of page cache for the index builds
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def drop_everything() -> None:
    sqlite = db.engine.dialect.name == "sqlite"
    with db.engine.connect() as conn:
        if sqlite:
            # With foreign keys on, SQLite deletes every row before dropping a table and checks each against
            # the table's own references (comments.parent_id has no index of its own): hours on a city.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            # The search index is a virtual table: dropping it removes its shadow tables too.
            conn.exec_driver_sql("DROP TABLE IF EXISTS proposal_search")
        meta = MetaData()
        meta.reflect(bind=conn)
        meta.drop_all(bind=conn)
        conn.commit()
        if sqlite:
            conn.exec_driver_sql("VACUUM")  # give the emptied pages back to the file system
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")


# --- The command line --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", required=True, choices=list(SIZES))
    parser.add_argument("--database-url", default=None,
                        help="default: sqlite file bench/data/<size>.sqlite; postgresql://... is created if missing")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    generate(args.database_url, args.size, seed=args.seed, progress=True)


if __name__ == "__main__":
    main()
