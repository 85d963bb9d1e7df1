"""Load benchmark: every page of Engage under gunicorn, on a database of a city's size, with wrk.

    .venv/bin/python -m bench                                   # small, SQLite, 5 s per run
    .venv/bin/python -m bench --size small,city                 # two sizes, SQL counts side by side
    .venv/bin/python -m bench --size city --db postgresql       # postgresql://postgres@127.0.0.1:5432/engage_bench_city
    .venv/bin/python -m bench --db postgresql --database-url postgresql://user@host/db
    .venv/bin/python -m bench --only proposals --duration 2     # only pages whose name or path contains "proposals"
    .venv/bin/python -m bench --size city --redis --instances 2 # Redis for limits, cache and exports; 1 vs 2 instances

Options:

    --size small,city        sizes to measure, comma-separated: small, city, capital (default small)
    --db sqlite|postgresql   database (default sqlite: bench/data/<size>.sqlite)
    --database-url URL       a database of your own (with --db postgresql the default is engage_bench_<size>)
    --duration 5             seconds of each wrk run (two runs per page: 1 and 8 connections)
    --only SUBSTRING         measure only the pages (and exports) whose name, path or endpoint contains it
    --regenerate             rebuild the data even if the manifest is current
    --workers 2              gunicorn sync workers per instance
    --instances 1|2          2: also measure key pages on two gunicorn instances at once (req/s summed)
    --redis                  REDIS_URL, RATELIMIT_STORAGE_URI and CACHE_REDIS_URL on redis://127.0.0.1:6379/<11-13>
                             (one Redis database per size, flushed before the size is measured), and one
                             ``flask outbox rq-worker`` to build the large exports
    --manifest PATH          use this manifest (and its database_url) as it is, without generating data

Needs wrk (``apt-get install wrk``) and, for PostgreSQL, a server that the URL reaches.

For each size the data is made by ``bench/generate.py`` when its manifest
(``bench/data/<size>-<db>.manifest.json``) is missing, was written for another schema revision than
the Alembic head, or with ``--regenerate``. Then the app runs under gunicorn with the README's
production settings (``ENGAGE_ENV=production``, ``--workers 2`` sync workers, ``wsgi:app``, access log
off, a fixed bench ``SECRET_KEY``, ``MAIL_BACKEND=log``), and the runner (``bench/load.py``):

- lists every GET route of ``app.url_map`` (except ``static``), filled from the manifest's ``params``,
  plus the pages the scaling issue names (proposals page 500, sorted and searched; the proposal with
  5,000 comments and its comment page 100; survey results and a cross-tab; the API's page 500 ...);
  a route with an argument the manifest has no value for is listed as not measured, with the reason;
- measures each page as a visitor when it answers 200 anonymously, otherwise signed in with the role
  that fits (admin, moderator, facilitator, resident, representative; the role is recorded);
- per page: ``wrk -t1 -c1`` and ``wrk -t2 -c8`` (req/s, p50/p95/p99, non-2xx responses as errors), SQL
  statements per request (in-process, with and without the page cache), the workers' highest RSS;
- downloads the big round's and the big survey's exports once each (a plain 200, or 202 + Retry-After
  polled until ready): time, size, lines, Content-Length, X-Checksum-SHA256, truncation, peak RSS;
- measures ``bench/ceiling.py`` (a bare Flask page under the same gunicorn) at the start and the end,
  and gives each page's c8 req/s as a share of it.

Results: ``bench/results/<YYYY-MM-DD>-<db>.md`` (tables per size, targets ✓/✗, pages not measured and
why) and ``bench/results/<YYYY-MM-DD>-<db>.json`` (one record per page and size). Running again on the
same day merges into the same files: a record is keyed by page and size, so the pages measured again
replace theirs (with ``--only``, the others stay).

The page cache (files, or Redis with ``--redis``) and the export files go to a fresh temporary folder
per size, so nothing stored for another database is served and every export is built during the run.

With the default 5 s, the small size (about 100 pages measured of 128) takes about 20 minutes,
``--duration 2`` about 8; a city takes longer where its pages are slow, plus the exports and, the
first time, the data generation. Ctrl-C stops every process the run started; nothing is written then.
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import sys
import tempfile
import time
import traceback
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import load

REDIS_DB = {"small": 11, "city": 12, "capital": 13}


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Load benchmark of Engage under gunicorn.",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="small", help="comma-separated: small, city, capital (default small)")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default=None, help="default sqlite")
    parser.add_argument("--database-url", default=None, help="a database URL of your own")
    parser.add_argument("--duration", type=float, default=5, help="seconds per wrk run (default 5)")
    parser.add_argument("--only", default=None, help="only pages whose name, path or endpoint contains this")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the data even if it is current")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--instances", type=int, choices=(1, 2), default=1, help="2: also two instances at once")
    parser.add_argument("--redis", action="store_true", help="Redis for rate limits, RQ and the page cache")
    parser.add_argument("--manifest", default=None, help="use this manifest as it is (no data generation)")
    args = parser.parse_args(argv)
    args.sizes = [s.strip() for s in args.size.split(",") if s.strip()]
    for size in args.sizes:
        if size not in load.SIZES:
            parser.error(f"unknown size {size!r} (small, city, capital)")
    inferred = None
    if args.database_url:
        inferred = "postgresql" if args.database_url.startswith(("postgres://", "postgresql")) else "sqlite"
        if args.db and args.db != inferred:
            parser.error(f"--database-url is a {inferred} URL but --db is {args.db}")
    if args.manifest:
        try:
            inferred = json.loads(Path(args.manifest).read_text()).get("db") or inferred
        except (OSError, ValueError) as exc:
            parser.error(f"--manifest: {exc}")
        if len(args.sizes) != 1:
            parser.error("--manifest goes with one --size")
    args.db = args.db or inferred or "sqlite"
    if args.database_url and len(args.sizes) > 1:
        parser.error("--database-url goes with one --size")
    if args.duration < 1:
        parser.error("--duration must be at least 1 second")
    return args


# --------------------------------------------------------------------------- data

def alembic_head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(ROOT / "migrations")).get_current_head()


def default_url(size: str, db: str) -> str | None:
    if db == "postgresql":
        return f"postgresql://postgres@127.0.0.1:5432/engage_bench_{size}"
    return None  # bench/generate.py's default: bench/data/<size>.sqlite


def _normalise(url: str | None) -> str | None:
    from engage.config import normalise_database_url

    return normalise_database_url(url) if url else None


def database_revision(url: str) -> str | None:
    """The database's alembic_version, or None when it is missing or unreachable."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = _normalise(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and (not parsed.database or not Path(parsed.database).exists()):
        return None
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - missing database or table: generate it
        return None
    finally:
        engine.dispose()


def manifest_path(size: str, db: str) -> Path:
    return load.DATA / f"{size}-{db}.manifest.json"


def why_regenerate(size: str, db: str, url: str | None, regenerate: bool) -> str | None:
    if regenerate:
        return "--regenerate"
    path = manifest_path(size, db)
    if not path.exists():
        return f"no {path.relative_to(ROOT)}"
    try:
        manifest = json.loads(path.read_text())
    except ValueError:
        return f"{path.relative_to(ROOT)} is not JSON"
    head = alembic_head()
    if manifest.get("schema_revision") != head:
        return f"the manifest is for schema {manifest.get('schema_revision')}, the head is {head}"
    if url and _normalise(manifest.get("database_url")) != _normalise(url):
        return "the manifest describes another database"
    if database_revision(manifest.get("database_url") or "") != head:
        return "the database is missing or at another revision"
    return None


def ensure_data(size: str, db: str, url: str | None, regenerate: bool) -> dict:
    reason = why_regenerate(size, db, url, regenerate)
    if reason:
        load.log(f"data for {size} ({db}): generating, because {reason} ...")
        try:
            from bench.generate import generate
        except ImportError as exc:
            raise SystemExit(f"bench/generate.py cannot be imported ({exc}); it makes the data. "
                             "Use --manifest PATH for a database you made yourself.") from exc
        started = time.perf_counter()
        generate(url, size, seed=2026, progress=True)
        load.log(f"data for {size}: generated in {time.perf_counter() - started:.0f} s")
    else:
        load.log(f"data for {size} ({db}): {manifest_path(size, db).relative_to(ROOT)} is current")
    return json.loads(manifest_path(size, db).read_text())


# --------------------------------------------------------------------------- the plan

def plan(args) -> None:
    """Print what will be measured and about how long it takes, before anything runs."""
    saved = dict(os.environ)
    os.environ.update({"ENGAGE_ENV": "production", "SECRET_KEY": load.BENCH_SECRET_KEY, "DATABASE_URL": "sqlite://",
                       "CACHE_TYPE": "NullCache"})
    try:
        import warnings

        from engage import create_app

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            app = create_app()
    finally:  # bench/generate.py and the runner set their own environment
        os.environ.clear()
        os.environ.update(saved)
    rules = [r for r in app.url_map.iter_rules() if "GET" in (r.methods or ()) and r.endpoint != "static"]
    if args.only:
        needle = args.only.lower()
        rules = [r for r in rules if needle in r.endpoint.lower() or needle in r.rule.lower()]
        variants = [v for v in load.VARIANTS if needle in v[0].lower() or needle in v[1].lower()]
        exports = [e for e in load.EXPORTS if needle in e[0].lower() or needle in e[1].lower()]
    else:
        variants, exports = list(load.VARIANTS), list(load.EXPORTS)
    extra_variants = sum(1 for v in variants if v[2] != "")  # the others are routes already listed
    pages = len(rules) + extra_variants
    per_page = 2 * args.duration + 1.5
    per_size = pages * per_page + len(exports) * 15 + (len(load.INSTANCE_PAGES) * (2 * args.duration + 2) + 10
                                                       if args.instances == 2 else 0) + 15
    ceiling = 2 * (2 * args.duration + 5)
    total = per_size * len(args.sizes) + ceiling
    load.log("plan")
    load.log(f"  sizes: {', '.join(args.sizes)} on {args.db}" + (f" ({args.database_url})" if args.database_url else ""))
    load.log(f"  pages: up to {pages} per size ({len(rules)} GET routes, {extra_variants} more variants of them); "
             "each: SQL count, 1 warm-up, wrk c1 and c8 "
             f"for {args.duration:g} s; routes without a manifest value or a 200 are listed, not measured")
    load.log(f"  exports: {len(exports)} downloads per size" + (", 2 app instances for "
                                                              f"{len(load.INSTANCE_PAGES)} pages" if args.instances == 2 else ""))
    load.log(f"  server: {load.gunicorn_settings(args.workers, args.redis)}")
    load.log("  ceiling: bench/ceiling.py at the start and at the end")
    load.log(f"  estimated: at most about {total / 60:.0f} min (data generation, if needed, and slow exports come on top)")
    load.log("")


# --------------------------------------------------------------------------- main

def _interrupt(signum, frame):  # SIGTERM / SIGHUP: unwind through the finally blocks
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if not load.wrk_available():
        raise SystemExit("wrk is not installed: apt-get install wrk")
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)
    started = time.perf_counter()
    day = date.today().isoformat()
    plan(args)

    manifests = {}
    for size in args.sizes:
        if args.manifest:
            manifests[size] = json.loads(Path(args.manifest).read_text())
            head = alembic_head()
            if manifests[size].get("schema_revision") != head:
                load.log(f"warning: {args.manifest} is for schema {manifests[size].get('schema_revision')}, the head is {head}")
            if args.database_url:
                manifests[size]["database_url"] = args.database_url
        else:
            url = args.database_url or default_url(size, args.db)
            manifests[size] = ensure_data(size, args.db, url, args.regenerate)
            if args.database_url:
                manifests[size]["database_url"] = args.database_url

    options = load.Options(duration=args.duration, workers=args.workers, instances=args.instances, redis=args.redis,
                           only=args.only)
    run = {"date": day, "command": "python -m bench " + shlex.join(sys.argv[1:] if argv is None else argv),
           "machine": load.machine(), "commit": load.commit(), "gunicorn": load.gunicorn_settings(args.workers, args.redis),
           "duration": args.duration, "workers": args.workers, "instances": args.instances, "redis": args.redis}
    tmpdir = Path(tempfile.mkdtemp(prefix="engage-bench-"))
    outcomes, failed = [], []
    ceiling = {}
    try:
        load.log("ceiling (start) ...")
        ceiling["start"] = load.measure_ceiling(args.duration, args.workers, tmpdir)
        _say_ceiling(ceiling["start"])
        for size in args.sizes:
            load.log(f"\n{size} on {args.db}: {manifests[size].get('database_url')}")
            try:
                outcomes.append(load.run_size(size, args.db, manifests[size], options, tmpdir,
                                              REDIS_DB[size] if args.redis else None))
            except (Exception, SystemExit) as exc:  # noqa: BLE001 - the other sizes still run and are written
                traceback.print_exc()
                failed.append(f"{size}: {exc}")
        load.log("\nceiling (end) ...")
        ceiling["end"] = load.measure_ceiling(args.duration, args.workers, tmpdir)
        _say_ceiling(ceiling["end"])
    except KeyboardInterrupt:
        load.log("\ninterrupted: every process started is being stopped; no results written")
        return 130
    finally:
        load.stop_all()
        shutil.rmtree(tmpdir, ignore_errors=True)

    run["seconds_total"] = round(time.perf_counter() - started, 1)
    records = []
    for outcome in outcomes:
        records += load.size_records(outcome, args.db, ceiling, run)
    if records:
        md_path, json_path = load.write_results(records, args.db, day)
        load.log(f"\nresults: {md_path.relative_to(ROOT)}, {json_path.relative_to(ROOT)}")
    for line in failed:
        load.log(f"failed: {line}")
    load.log(f"total time: {_duration(time.perf_counter() - started)}")
    return 1 if failed else 0


def _say_ceiling(result: dict) -> None:
    c1, c8 = result["c1"], result["c8"]
    load.log(f"  c1 {c1.get('rps', 0):.0f} req/s (p95 {(c1.get('p95_us') or 0) / 1000:.2f} ms), "
             f"c8 {c8.get('rps', 0):.0f} req/s, errors {(c1.get('errors') or 0) + (c8.get('errors') or 0)}")


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


if __name__ == "__main__":
    sys.exit(main())
