"""The load runner behind ``python -m bench``: Engage under gunicorn, measured page by page with wrk.

For one database (a manifest written by ``bench/generate.py``) it

1. builds the app in-process to read ``app.url_map`` and lists every GET route (except ``static``),
   filled from the manifest's ``params`` by argument name, plus the variants the scaling issue names
   (page 500 of a list, a search, a cross-tab ...); a route with an argument the manifest has no value
   for is listed as not measured, with the reason;
2. starts gunicorn with the README's production settings on a free port of 127.0.0.1;
3. asks each page anonymously first, then signed in with the role that fits it best (a session cookie
   signed by the app's own session interface), and keeps the first role that gets a 200;
4. per page: SQL statements per request in-process (median of 3 after a warm-up, with and without the
   page cache), one warm-up request, ``wrk -t1 -c1`` and ``wrk -t2 -c8`` for ``duration`` seconds each
   (a Lua script counts responses by status: anything but 2xx is an error), then the highest VmRSS of
   the workers;
5. downloads the big exports one by one (plain 200, or 202 + Retry-After polled until ready), checking
   Content-Length, X-Checksum-SHA256 and whether the body was cut off, while a thread samples the
   workers' memory every 100 ms;
6. optionally runs two gunicorn instances side by side for a handful of key pages.

Every process it starts is in its own process group and is stopped in ``finally`` (and on SIGTERM, see
``bench/__main__.py``). The results are written by ``write_results`` to ``bench/results/``.
"""
from __future__ import annotations

import hashlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DATA = ROOT / "bench" / "data"

BENCH_SECRET_KEY = "engage-bench-only-not-a-secret-5b1f0c8e4a7d4e2f9c3a"
USER_AGENT = "engage-bench/1"
ROLES = ("facilitator", "admin", "moderator", "resident", "representative")
SIZES = ("small", "city", "capital")
WRK_TIMEOUT = "30s"  # gunicorn's default worker timeout: a request slower than this is killed anyway
EXPORT_TIMEOUT = 600  # seconds, for a background export to become ready

TARGET_P95_MS = 50
TARGET_SQL = 12
TARGET_EXPORT_S = 20
TARGET_EXPORT_MB = 150

# Export downloads measured one at a time, not under wrk (the brief's list, big round and big survey).
EXPORTS = (
    ("export: round comments CSV", "/rounds/{round_id}/comments.csv"),
    ("export: round proposals CSV", "/rounds/{round_id}/proposals.csv"),
    ("export: round report CSV", "/rounds/{round_id}/report.csv"),
    ("export: API round report", "/api/v1/rounds/{round_id}/report"),
    ("export: survey answers CSV", "/surveys/{survey_id}/results.csv"),
    ("export: API survey results", "/api/v1/surveys/{survey_id}/results"),
)
# Exports that are also an ordinary page under wrk (a GROUP BY, not a dump).
EXPORTS_ALSO_PAGES = {"/api/v1/surveys/{survey_id}/results"}

# The pages the scaling issue names, in this order. A query of None means "computed" (see _variant_query).
VARIANTS = (
    ("home", "/", ""),
    ("rounds index", "/rounds/", ""),
    ("round page", "/rounds/{round_id}", ""),
    ("proposals list", "/rounds/{round_id}/proposals", ""),
    ("proposals list, page 500", "/rounds/{round_id}/proposals", "page=500"),
    ("proposals list, most supported", "/rounds/{round_id}/proposals", "sort=supported"),
    ("proposals list, search", "/rounds/{round_id}/proposals", None),
    ("proposal page", "/proposals/{proposal_id}", ""),
    ("proposal comments, page 100", "/proposals/{proposal_id}", "page=100"),
    ("round report", "/rounds/{round_id}/report", ""),
    ("survey results", "/surveys/{survey_id}/results", ""),
    ("survey cross-tab", "/surveys/{survey_id}/results", None),
    ("plan page", "/plans/{plan_id}", ""),
    ("co-creation report", "/plans/{plan_id}/co-creation", ""),
    ("API rounds", "/api/v1/rounds", ""),
    ("API round detail", "/api/v1/rounds/{round_id}", ""),
    ("API proposals", "/api/v1/rounds/{round_id}/proposals", ""),
    ("API proposals, page 500", "/api/v1/rounds/{round_id}/proposals", "page=500"),
    ("API proposal comments", "/api/v1/proposals/{proposal_id}/comments", ""),
    ("API survey results", "/api/v1/surveys/{survey_id}/results", ""),
    ("API plan", "/api/v1/plans/{plan_id}", ""),
    ("organisations", "/organisations/", ""),
    ("organisations, deep page", "/organisations/", None),
    ("meetings", "/meetings/", ""),
)
# Measured on one and on two app instances with --instances 2.
INSTANCE_PAGES = ("home", "round page", "proposals list", "proposal page", "round report", "API proposals")


def log(message: str = "") -> None:
    print(message, flush=True)


# --------------------------------------------------------------------------- processes

_STARTED: list[subprocess.Popen] = []


def spawn(cmd: list[str], **kwargs) -> subprocess.Popen:
    """Start ``cmd`` in its own process group and remember it, so that ``stop_all`` can end it."""
    proc = subprocess.Popen(cmd, start_new_session=True, **kwargs)
    _STARTED.append(proc)
    return proc


def stop(proc: subprocess.Popen | None, grace: float = 10) -> None:
    """End a process we started and its group (gunicorn's workers): SIGTERM, then SIGKILL."""
    if proc is None:
        return
    try:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                pass
        # The group may outlive its leader (a worker that did not stop): kill what is left.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
    finally:
        if proc in _STARTED:
            _STARTED.remove(proc)


def stop_all() -> None:
    for proc in list(reversed(_STARTED)):
        stop(proc, grace=5)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- gunicorn

def gunicorn_bin() -> str:
    candidate = Path(sys.executable).parent / "gunicorn"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("gunicorn")
    if not found:
        raise SystemExit("gunicorn is not installed in this environment (.venv/bin/pip install -r requirements.txt)")
    return found


def gunicorn_args(workers: int) -> list[str]:
    # The README's production command: sync workers, no access log (gunicorn's default), default timeout.
    return ["--workers", str(workers), "--worker-class", "sync", "--log-level", "warning"]


def gunicorn_settings(workers: int, redis: bool = False) -> str:
    cache = ("page cache in Redis, large exports built by one `flask outbox rq-worker`" if redis else
             "page cache in files shared by the workers (FileSystemCache, a fresh folder per size), large exports "
             "built in a thread of the worker asked")
    return (f"gunicorn {gunicorn_args(workers)[1]} sync workers on 127.0.0.1, `wsgi:app`, access log off, default "
            f"timeout (30 s); ENGAGE_ENV=production, MAIL_BACKEND=log, a fixed bench SECRET_KEY; {cache}")


def redis_url(db_number: int) -> str:
    return f"redis://127.0.0.1:6379/{db_number}"


APP_VARIABLES = ("ENGAGE_ENV", "SECRET_KEY", "DATABASE_URL", "MAIL_BACKEND", "REDIS_URL", "RATELIMIT_STORAGE_URI",
                 "CACHE_REDIS_URL", "CACHE_DIR", "CACHE_TYPE", "CACHE_KEY_PREFIX", "TRUSTED_PROXIES", "EXPORT_FOLDER",
                 "DATABASE_REPLICA_URL", "SESSION_IDLE_MINUTES", "SESSION_IDLE_MINUTES_STAFF")


def app_env(database_url: str, redis_db: int | None, workdir: Path | None = None) -> dict[str, str]:
    """The environment of the app under test, as the README's production section sets it.

    Without Redis the page cache is files shared by the workers (FileSystemCache); they go to a fresh
    folder of this run, so that no page stored for another database is ever served. The export files
    go to a fresh folder too, so that every run measures their build.
    """
    env = dict(os.environ)
    for name in APP_VARIABLES:
        env.pop(name, None)
    env.update({
        "ENGAGE_ENV": "production",
        "SECRET_KEY": BENCH_SECRET_KEY,
        "DATABASE_URL": database_url,
        "MAIL_BACKEND": "log",
        "PYTHONUNBUFFERED": "1",
        # One sign-in per role serves the whole run, with long pauses between a role's pages.
        "SESSION_IDLE_MINUTES": "1440",
        "SESSION_IDLE_MINUTES_STAFF": "1440",
    })
    if redis_db is not None:
        url = redis_url(redis_db)
        env.update({"REDIS_URL": url, "RATELIMIT_STORAGE_URI": url, "CACHE_REDIS_URL": url})
    elif workdir is not None:
        env["CACHE_DIR"] = str(workdir / "cache")
    if workdir is not None:
        env["EXPORT_FOLDER"] = str(workdir / "exports")
    return env


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    port: int
    log_path: Path

    def workers(self) -> list[int]:
        return child_pids(self.proc.pid)

    def last_error(self) -> str | None:
        """The last exception line of the server's log (why it answered 500), if any."""
        for line in reversed(self.log_tail(400).splitlines()):
            text = line.strip()
            if re.match(r"^[\w.]+(Error|Exception|Exit|Interrupt)\b", text) or text.startswith("[CRITICAL]"):
                return text[:300]
        return None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def start_gunicorn(name: str, target: str, env: dict[str, str], workers: int, logdir: Path) -> Server:
    """Start ``gunicorn target`` on a free port and wait until /healthz answers 200."""
    for attempt in range(3):
        port = free_port()
        log_path = logdir / f"{name}-{port}.log"
        with open(log_path, "wb") as handle:  # the child keeps its own copy of the descriptor
            proc = spawn([gunicorn_bin(), *gunicorn_args(workers), "--bind", f"127.0.0.1:{port}",
                          "--error-logfile", "-", target],
                         cwd=str(ROOT), env=env, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        server = Server(name, proc, port, log_path)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            try:
                status, _, _ = http_get(port, "/healthz", timeout=5)
                if status == 200 and len(server.workers()) >= workers:
                    return server
            except OSError:
                pass
            time.sleep(0.2)
        tail = server.log_tail()
        stop(proc)
        if "Address already in use" in tail and attempt < 2:
            continue
        raise RuntimeError(f"gunicorn ({name}) did not answer /healthz with 200:\n{tail}")
    raise RuntimeError("gunicorn could not bind a port")


# --------------------------------------------------------------------------- HTTP

def http_get(port: int, path: str, cookie: str | None = None, timeout: float = 120):
    """GET ``path``, read the whole body; returns (status, headers as a dict, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"User-Agent": USER_AGENT}
        if cookie:
            headers["Cookie"] = cookie
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


# --------------------------------------------------------------------------- /proc

def child_pids(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(p) for p in text.split()]
    except OSError:
        pass
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of ``pid`` in kB ({} if it is gone)."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        return {}
    return values


def rq_worker_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "rq" in cmdline and "worker" in cmdline and int(entry.name) != os.getpid():
            pids.append(int(entry.name))
    return pids


class MemoryWatch:
    """The highest VmRSS and VmHWM seen among the workers of some gunicorn masters (and rq workers)."""

    def __init__(self, servers: list[Server], rq: bool = False):
        self.servers = servers
        self.rq = rq
        self.peak_hwm_kb = 0

    def sample(self) -> tuple[int, int]:
        """(highest worker VmRSS, highest rq worker VmRSS) in kB, now."""
        worker = rq = 0
        for server in self.servers:
            for pid in server.workers():
                mem = memory_kb(pid)
                worker = max(worker, mem.get("VmRSS", 0))
                self.peak_hwm_kb = max(self.peak_hwm_kb, mem.get("VmHWM", 0))
        if self.rq:
            for pid in rq_worker_pids():
                rq = max(rq, memory_kb(pid).get("VmRSS", 0))
        return worker, rq


class Sampler(threading.Thread):
    """Samples a MemoryWatch every 100 ms until stopped; keeps the peaks."""

    def __init__(self, watch: MemoryWatch):
        super().__init__(daemon=True)
        self.watch = watch
        self.peak_worker_kb = 0
        self.peak_rq_kb = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            worker, rq = self.watch.sample()
            self.peak_worker_kb = max(self.peak_worker_kb, worker)
            self.peak_rq_kb = max(self.peak_rq_kb, rq)
            self._done.wait(0.1)

    def finish(self) -> None:
        self._done.set()
        self.join(5)
        worker, rq = self.watch.sample()
        self.peak_worker_kb = max(self.peak_worker_kb, worker)
        self.peak_rq_kb = max(self.peak_rq_kb, rq)


# --------------------------------------------------------------------------- wrk

LUA = r"""
wrk.method = "GET"
wrk.headers["User-Agent"] = "%(user_agent)s"
%(cookie)s
counts = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    if c then
      for k, v in pairs(c) do total[k] = (total[k] or 0) + v end
    end
  end
  local parts, non2xx = {}, 0
  for k, v in pairs(total) do
    parts[#parts + 1] = string.format('"%%d": %%d', k, v)
    if k < 200 or k > 299 then non2xx = non2xx + v end
  end
  local e = summary.errors
  local n = summary.requests
  local function pct(p)
    if n > 0 then return latency:percentile(p) end
    return 0
  end
  io.write(string.format(
    'ENGAGE-BENCH {"requests": %%d, "duration_s": %%.3f, "rps": %%.3f, "p50_us": %%d, "p95_us": %%d, ' ..
    '"p99_us": %%d, "max_us": %%d, "bytes": %%d, "non2xx": %%d, "connect": %%d, "read": %%d, "write": %%d, ' ..
    '"timeout": %%d, "errors": %%d, "statuses": {%%s}}\n',
    n, summary.duration / 1e6, n / (summary.duration / 1e6), pct(50), pct(95), pct(99),
    (n > 0) and latency.max or 0, summary.bytes, non2xx, e.connect, e.read, e.write, e.timeout,
    non2xx + e.connect + e.read + e.write + e.timeout, table.concat(parts, ", ")))
end
"""


def wrk_available() -> str | None:
    return shutil.which("wrk")


def _lua_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def wrk_script(cookie: str | None, tmpdir: Path) -> Path:
    cookie_line = f'wrk.headers["Cookie"] = "{_lua_string(cookie)}"' if cookie else ""
    fd, name = tempfile.mkstemp(suffix=".lua", dir=tmpdir)
    with os.fdopen(fd, "w") as handle:
        handle.write(LUA % {"user_agent": USER_AGENT, "cookie": cookie_line})
    return Path(name)


def start_wrk(port: int, path: str, threads: int, connections: int, duration: float, script: Path):
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s", "--timeout", WRK_TIMEOUT,
           "-s", str(script), f"http://127.0.0.1:{port}{path}"]
    return spawn(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)


def finish_wrk(proc: subprocess.Popen, duration: float) -> dict:
    try:
        out, _ = proc.communicate(timeout=duration + 90)
    except subprocess.TimeoutExpired:
        stop(proc)
        return {"requests": 0, "rps": 0.0, "errors": 1, "failure": "wrk did not finish"}
    except BaseException:  # Ctrl-C: end it now rather than leave it running
        stop(proc, grace=1)
        raise
    if proc in _STARTED:
        _STARTED.remove(proc)
    for line in out.splitlines():
        if line.startswith("ENGAGE-BENCH "):
            result = json.loads(line[len("ENGAGE-BENCH "):])
            return result
    return {"requests": 0, "rps": 0.0, "errors": 1, "failure": "wrk: " + out.strip()[-300:]}


def run_wrk(port: int, path: str, threads: int, connections: int, duration: float, script: Path) -> dict:
    return finish_wrk(start_wrk(port, path, threads, connections, duration, script), duration)


def _ms(us) -> float | None:
    return None if us is None else round(us / 1000, 2)


# --------------------------------------------------------------------------- the app in-process

def build_apps(env: dict[str, str]):
    """The app as gunicorn builds it (same environment), and the same with the page cache off."""
    for name in APP_VARIABLES:
        os.environ.pop(name, None)
    os.environ.update({k: v for k, v in env.items() if k in APP_VARIABLES})
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import logging
    import warnings

    from engage import create_app

    app = create_app()
    with warnings.catch_warnings():  # Flask-Caching warns that NullCache caches nothing: that is the point
        warnings.simplefilter("ignore")
        uncached = create_app({"CACHE_TYPE": "NullCache"})
    logging.getLogger("engage").setLevel(logging.WARNING)
    return app, uncached


def session_cookie(app, user_id) -> str | None:
    """A session cookie for ``user_id``, signed as the app signs its own (see engage/auth/session.py)."""
    from engage.auth.models import User
    from engage.extensions import db

    with app.test_request_context("/", headers={"User-Agent": USER_AGENT}, environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        from engage.auth import sessions

        user = db.session.get(User, int(user_id))
        if user is None:
            return None
        from engage.auth import twofactor

        if twofactor.required_for(user) and not user.has_two_factor:  # staff sign in with a code
            twofactor.enable_with_secret(user, twofactor.new_secret())
        sessions.start(user)  # a sign-in kept on the server, as the sign-in form (and its code) opens one
        db.session.commit()
        data = {"_user_id": user.get_id(), "_fresh": True}
        try:  # Flask-Login's session protection compares this hash of address and User-Agent
            from flask_login.utils import _create_identifier

            data["_id"] = _create_identifier()
        except Exception:  # noqa: BLE001 - optional; without it the session is merely marked not fresh
            pass
        value = app.session_interface.get_signing_serializer(app).dumps(data)
        db.session.remove()
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


class SqlCounter:
    """SQL statements per request through the app's test client (median of 3 after one warm-up)."""

    def __init__(self, app):
        from sqlalchemy import event

        from engage.extensions import db

        self.app = app
        self.count = 0
        with app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._counted)

    def _counted(self, *args) -> None:
        self.count += 1

    def measure(self, path: str, cookie: str | None) -> tuple[int | None, int]:
        client = self.app.test_client(use_cookies=False)
        headers = {"User-Agent": USER_AGENT}
        if cookie:
            headers["Cookie"] = cookie
        counts, status = [], 0
        for attempt in range(4):
            self.count = 0
            started = time.perf_counter()
            response = client.get(path, headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                  base_url=self.app.config["BASE_URL"])  # a host the site trusts
            response.get_data()  # a streamed body runs its queries while it is read
            status = response.status_code
            response.close()
            if attempt:
                counts.append(self.count)
            if attempt and time.perf_counter() - started > 10:
                break  # a page this slow: one counted request after the warm-up is enough (keeps a run bounded)
        return (int(statistics.median(counts)) if status == 200 else None), status


# --------------------------------------------------------------------------- the page list

@dataclass
class Page:
    name: str
    path: str | None
    endpoint: str | None = None
    rule: str | None = None
    key: bool = False  # a page the scaling issue names
    role: str | None = None  # None: not decided; "visitor" or a role from the manifest's accounts
    cookie: str | None = None
    status: str = "pending"
    notes: list[str] = field(default_factory=list)
    sql: int | None = None
    sql_uncached: int | None = None
    c1: dict | None = None
    c8: dict | None = None
    rss_kb: int | None = None
    cache: str | None = None  # X-Cache of the page's second request ("hit" when the page cache served it)

    @property
    def measured(self) -> bool:
        return self.status == "measured"


def _fill(template: str, params: dict) -> tuple[str | None, str | None]:
    """Fill ``{name}`` placeholders from params; (path, None) or (None, missing name)."""
    for name in re.findall(r"{(\w+)}", template):
        if params.get(name) in (None, ""):
            return None, name
    return template.format(**params), None


def _rule_path(rule, params: dict, extra: dict | None = None) -> tuple[str | None, str | None, list[str]]:
    from werkzeug.routing.converters import AnyConverter

    values, notes = {}, []
    # A more precise value from the manifest's extra, named after the route's first segment:
    # /meetings/<meeting_id>/documents/<document_id> takes extra["meeting_document_id"] if there is one.
    segment = rule.rule.strip("/").split("/", 1)[0].removesuffix("s")
    for arg in sorted(rule.arguments):
        precise = (extra or {}).get(f"{segment}_{arg}")
        if precise not in (None, "") and not isinstance(precise, (dict, list)):
            values[arg] = precise
            notes.append(f"{arg} from extra.{segment}_{arg}")
            continue
        if params.get(arg) not in (None, ""):
            values[arg] = params[arg]
            continue
        converter = rule._converters.get(arg)
        if isinstance(converter, AnyConverter):
            values[arg] = min(converter.items)
            notes.append(f"{arg}={values[arg]} (first of the route's choices)")
            continue
        return None, arg, notes
    try:
        built = rule.build(values, append_unknown=False)
    except Exception as exc:  # noqa: BLE001 - a value the converter refuses
        return None, f"{sorted(rule.arguments)} ({exc})", notes
    return (built[1] if built else None), None, notes


def _search_word(app, round_id) -> str | None:
    """A word that occurs in some of the round's proposals (about one in twenty), for ?q=."""
    from collections import Counter

    from sqlalchemy import text

    from engage.extensions import db

    with app.app_context():
        try:
            rows = db.session.execute(
                text("SELECT title, body FROM proposals WHERE round_id = :r ORDER BY id LIMIT 400"), {"r": round_id}).all()
        finally:
            db.session.remove()
    frequency = Counter()
    for title, body in rows:
        frequency.update({w.lower() for w in re.findall(r"[^\W\d_]{5,}", f"{title} {body}")})
    if not frequency:
        return None
    target = max(1, len(rows) // 20)
    return min(frequency, key=lambda w: (abs(frequency[w] - target), w))


def _crosstab(app, manifest) -> tuple[int | None, int | None]:
    extra, params = manifest.get("extra") or {}, manifest.get("params") or {}
    for q_key, by_key in (("crosstab_question_id", "crosstab_by_id"), ("crosstab_question", "crosstab_by"),
                          ("question", "by")):
        if extra.get(q_key) and extra.get(by_key):
            return extra[q_key], extra[by_key]
    crosstab = extra.get("crosstab")
    if isinstance(crosstab, dict) and crosstab.get("question") and crosstab.get("by"):
        return crosstab["question"], crosstab["by"]
    survey_id = params.get("survey_id")
    if not survey_id:
        return None, None
    from sqlalchemy import text

    from engage.extensions import db

    with app.app_context():  # the first choice question, by the first demographic one
        try:
            question = db.session.scalar(text(
                "SELECT id FROM survey_questions WHERE survey_id = :s AND demographic IS NULL "
                "AND type IN ('single', 'multiple') ORDER BY position LIMIT 1"), {"s": survey_id})
            by = db.session.scalar(text(
                "SELECT id FROM survey_questions WHERE survey_id = :s AND demographic IS NOT NULL "
                "AND type = 'single' ORDER BY position LIMIT 1"), {"s": survey_id})
        except Exception:  # noqa: BLE001 - the schema moved on; the variant is then listed as not measured
            question = by = None
        finally:
            db.session.remove()
    return question, by


def _variant_query(name: str, app, manifest) -> tuple[str | None, str | None]:
    extra, counts, params = manifest.get("extra") or {}, manifest.get("counts") or {}, manifest.get("params") or {}
    if name == "proposals list, search":
        word = extra.get("search_word") or extra.get("search_q") or extra.get("q")
        word = word or (_search_word(app, params["round_id"]) if params.get("round_id") else None)
        return (f"q={word}", None) if word else (None, "no word found in the big round's proposals")
    if name == "survey cross-tab":
        question, by = _crosstab(app, manifest)
        return (f"question={question}&by={by}", None) if question and by else (None, "no choice and demographic question")
    if name == "organisations, deep page":
        orgs = extra.get("organisations_verified") or counts.get("organisations_verified") or counts.get("organisations") or 0
        per_page = app.config.get("PER_PAGE", 25)
        return f"page={max(2, int(orgs) // per_page // 2)}", None
    return "", None


def build_pages(app, manifest: dict) -> tuple[list[Page], list[Page]]:
    """(pages: key variants first, then every other GET route; the exports)."""
    from urllib.parse import quote

    params = dict(manifest.get("params") or {})
    adapter = app.url_map.bind("localhost")
    by_path: dict[str, Page] = {}
    routes: list[Page] = []
    seen_endpoints: dict[str, int] = {}
    export_paths = {t.format(**params) for _, t in EXPORTS if _fill(t, params)[0] and t not in EXPORTS_ALSO_PAGES}

    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        seen_endpoints[rule.endpoint] = seen_endpoints.get(rule.endpoint, 0) + 1
        name = rule.endpoint if seen_endpoints[rule.endpoint] == 1 else f"{rule.endpoint}#{seen_endpoints[rule.endpoint]}"
        path, missing, notes = _rule_path(rule, params, manifest.get("extra") or {})
        page = Page(name=name, path=path, endpoint=rule.endpoint, rule=rule.rule, notes=notes)
        if missing:
            page.status = f"not measured: no value for {missing}"
        elif path in export_paths:
            page.status = "not measured: an export, downloaded once in the exports table"
        routes.append(page)
        if path and not missing:
            by_path.setdefault(path, page)

    keys: list[Page] = []
    for name, template, query in VARIANTS:
        path, missing = _fill(template, params)
        if query is None and path:
            query, why = _variant_query(name, app, manifest)
            if query is None:
                keys.append(Page(name=name, path=path, key=True, status=f"not measured: {why}"))
                continue
        if path is None:
            keys.append(Page(name=name, path=template, key=True, status=f"not measured: no value for {missing}"))
            continue
        if query:
            full = path + "?" + quote(query, safe="=&")
        else:
            full = path
        existing = by_path.get(full)
        if existing is not None and existing in routes:
            routes.remove(existing)
            existing.notes.append(f"route {existing.endpoint}")
            existing.name, existing.key = name, True
            keys.append(existing)
            continue
        try:
            endpoint, _ = adapter.match(path)
        except Exception:  # noqa: BLE001
            endpoint = None
        page = Page(name=name, path=full, endpoint=endpoint, key=True)
        if endpoint is None:
            page.status = "not measured: no route answers this path"
        keys.append(page)

    exports = []
    for name, template in EXPORTS:
        path, missing = _fill(template, params)
        page = Page(name=name, path=path or template, key=True)
        if missing:
            page.status = f"not measured: no value for {missing}"
        try:
            page.endpoint = adapter.match(path)[0] if path else None
        except Exception:  # noqa: BLE001
            page.status = "not measured: no route answers this path"
        exports.append(page)
    return keys + routes, exports


def role_order(page: Page, accounts: dict) -> list[str]:
    """The roles to try for a page that refuses visitors, best fit first."""
    path, endpoint = page.path or "", page.endpoint or ""
    if path.startswith("/admin"):
        first = "admin"
    elif path.startswith("/moderation"):
        first = "moderator"
    elif endpoint in ("organisations.edit", "organisations.people", "endorsements.create") \
            or path.startswith("/endorsements"):
        first = "representative"
    elif path.startswith(("/account", "/notifications")) or endpoint in (
            "surveys.my_answer", "surveys.thanks", "comments.edit", "proposals.edit", "moderation.flag",
            "organisations.register", "surveys.show"):
        first = "resident"
    else:  # round, survey, plan, meeting and forum management, the feedback queue
        first = "facilitator"
    order = [first] + [r for r in ROLES if r != first]
    return [r for r in order if accounts.get(r)]


def _to_sign_in(status: int, headers: dict, login_path: str) -> bool:
    return status in (301, 302, 303, 307, 308) and login_path in headers.get("location", "")


def decide_role(server: Server, page: Page, cookies: dict, login_path: str) -> None:
    """Visitor if the page answers 200 anonymously; else the first fitting role that gets a 200."""
    try:
        status, headers, _ = http_get(server.port, page.path)
    except OSError as exc:
        page.status = f"not measured: no answer as a visitor ({exc})"
        return
    if status == 200:
        page.role, page.status = "visitor", "measured"
        return
    if not (status in (401, 403) or _to_sign_in(status, headers, login_path)):
        where = f" to {headers.get('location')}" if status in (301, 302, 303, 307, 308) else ""
        page.status = f"not measured: {status}{where} as a visitor"
        if status >= 500 and server.last_error():
            page.status += f" ({server.last_error()})"
        return
    tried = [f"visitor {status}"]
    for role in role_order(page, {r: c for r, c in cookies.items() if c}):
        try:
            status, headers, _ = http_get(server.port, page.path, cookie=cookies[role])
        except OSError as exc:
            tried.append(f"{role} error {exc}")
            continue
        if status == 200:
            page.role, page.cookie, page.status = role, cookies[role], "measured"
            return
        where = f"→{headers.get('location', '')}" if status in (301, 302, 303, 307, 308) else ""
        if status >= 500 and server.last_error():
            where = f" ({server.last_error()})"
        tried.append(f"{role} {status}{where}")
    page.status = "not measured: not 200 signed in (" + ", ".join(tried) + ")"


# --------------------------------------------------------------------------- exports

def _csv_records(chunks: list[bytes]) -> int | None:
    """Data rows of a CSV (the header excluded), a quoted cell with line breaks being one row."""
    import csv
    import io

    try:
        reader = csv.reader(io.TextIOWrapper(io.BytesIO(b"".join(chunks)), encoding="utf-8-sig", newline=""))
        return max(sum(1 for _ in reader) - 1, 0)
    except (csv.Error, UnicodeDecodeError):
        return None


def _json_rows(data: bytes) -> int | None:
    try:
        doc = json.loads(data)
    except ValueError:
        return None
    if isinstance(doc, list):
        return len(doc)
    if isinstance(doc, dict):
        lists = [len(v) for v in doc.values() if isinstance(v, list)]
        nested = [len(w) for v in doc.values() if isinstance(v, dict) for w in v.values() if isinstance(w, list)]
        return max(lists + nested, default=None)
    return None


def download(server: Server, path: str, cookie: str | None, watch: MemoryWatch) -> dict:
    """One export: 200 (time to the last byte), or 202 + Retry-After polled until 200 (build, then download)."""
    result: dict = {"protocol": None, "build_s": None, "download_s": None, "total_s": None, "bytes": 0, "rows": None,
                    "records": None,
                    "content_length_ok": None, "checksum_ok": None, "truncated": None, "http_status": None,
                    "polls": 0, "rss_kb": None, "rq_rss_kb": None, "note": ""}
    result["rss_before_kb"] = watch.sample()[0] or None
    sampler = Sampler(watch)
    sampler.start()
    started = time.perf_counter()
    headers_out = {"User-Agent": USER_AGENT}
    if cookie:
        headers_out["Cookie"] = cookie
    conn = None
    try:
        while True:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=180)
            conn.request("GET", path, headers=headers_out)
            response = conn.getresponse()
            if response.status == 202:
                result["protocol"] = "202 + Retry-After"
                result["polls"] += 1
                retry = response.getheader("Retry-After")
                response.read()
                conn.close()
                if time.perf_counter() - started > EXPORT_TIMEOUT:
                    result["http_status"] = 202
                    result["note"] = f"not ready after {EXPORT_TIMEOUT // 60} minutes"
                    return result
                try:
                    wait = float(retry) if retry is not None else 1.0
                except ValueError:
                    wait = 1.0  # an HTTP date: poll again soon
                time.sleep(min(max(wait, 0.1), 30))
                continue
            break
        ready = time.perf_counter()
        result["http_status"] = response.status
        if result["protocol"] is None:
            result["protocol"] = "200"
        else:
            result["build_s"] = round(ready - started, 3)
        header = {k.lower(): v for k, v in response.getheaders()}
        if response.status != 200:
            response.read()
            result["note"] = f"answered {response.status}"
            if response.status >= 500 and server.last_error():
                result["note"] += f": {server.last_error()}"
            return result
        digest, size, newlines, last, keep = hashlib.sha256(), 0, 0, b"", []
        is_json = "json" in header.get("content-type", "") or path.rsplit("?", 1)[0].endswith("json") or "/api/" in path
        truncated = False

        def take(chunk: bytes) -> None:
            nonlocal size, newlines, last
            digest.update(chunk)
            size += len(chunk)
            newlines += chunk.count(b"\n")
            last = chunk[-1:] or last
            if size <= 1024 * 1024 * 1024:  # kept to count rows once the clock has stopped
                keep.append(chunk)

        try:
            while True:
                chunk = response.read(1 << 18)
                if not chunk:
                    break
                take(chunk)
        except (TimeoutError, http.client.HTTPException, ConnectionError, OSError) as exc:
            if isinstance(exc, http.client.IncompleteRead) and exc.partial:
                take(exc.partial)
            truncated = True
            result["note"] = f"body cut off: {type(exc).__name__} after {size:,} bytes"
        finished = time.perf_counter()
        # A plain 200 is timed from the request to the last byte; after a 202, from the 200's headers.
        result["download_s"] = round(finished - (ready if result["build_s"] is not None else started), 3)
        result["first_byte_s"] = round(ready - started, 3)
        result["total_s"] = round(finished - started, 3)
        result["bytes"] = size
        length = header.get("content-length")
        result["content_length"] = length
        result["checksum_header"] = header.get("x-checksum-sha256")
        if length is not None:
            result["content_length_ok"] = length.isdigit() and int(length) == size
            if length.isdigit() and size < int(length):
                truncated = True
                result["note"] = result["note"] or f"body cut off: {size} of {length} bytes"
        else:
            result["content_length_ok"] = False
            result["note"] = (result["note"] + "; " if result["note"] else "") + "no Content-Length"
        expected = header.get("x-checksum-sha256")
        if expected is not None:
            import base64

            expected = expected.strip()
            result["checksum_ok"] = expected.lower() == digest.hexdigest() or expected == base64.b64encode(digest.digest()).decode()
        else:
            result["checksum_ok"] = False
        if is_json:
            result["rows"] = _json_rows(b"".join(keep)) if keep and not truncated else None
        else:
            result["rows"] = newlines
            result["records"] = _csv_records(keep) if keep and size <= 1024 * 1024 * 1024 else None
            if size and last != b"\n" and not truncated:
                result["note"] = (result["note"] + "; " if result["note"] else "") + "no final newline"
        result["truncated"] = truncated
        return result
    except (OSError, http.client.HTTPException) as exc:
        result["truncated"] = True
        result["note"] = f"request failed: {type(exc).__name__}: {exc}"
        result["total_s"] = round(time.perf_counter() - started, 3)
        return result
    finally:
        if conn is not None:
            conn.close()
        sampler.finish()
        result["rss_kb"] = sampler.peak_worker_kb or None
        result["rq_rss_kb"] = sampler.peak_rq_kb or None


def measure_exports(server: Server, exports: list[Page], cookies: dict, login_path: str, watch: MemoryWatch) -> list[dict]:
    results = []
    for page in exports:
        if page.status.startswith("not measured"):
            results.append({"page": page, "result": None})
            continue
        # A visitor first; a facilitator (then the others) if it is refused.
        attempts = [("visitor", None)] + [(r, cookies[r]) for r in ROLES if cookies.get(r)]
        result = None
        for role, cookie in attempts:
            log(f"  {page.name:<32} {page.path} as {role} ...")
            result = download(server, page.path, cookie, watch)
            status = result["http_status"]
            if status in (401, 403) or (status in (301, 302, 303, 307, 308)):
                continue
            page.role = role
            break
        if result and result["http_status"] == 200:
            page.status = "measured"
        elif result and result["http_status"] is None:
            page.status = f"not measured: {result['note']}"
        else:
            page.status = f"not measured: answered {result['http_status']}" + (
                f" ({result['note']})" if result["note"] and not result["note"].startswith("answered") else "")
            log(f"    {page.status}")
        if result and result["http_status"] == 200:
            mb = result["bytes"] / 1e6
            log(f"    {result['protocol']}: {result['total_s']:.2f} s, {mb:.1f} MB, rows {result['rows']}, "
                f"RSS {fmt_mb(result['rss_kb'])} MB, truncated {result['truncated']}"
                + (f" ({result['note']})" if result["note"] else ""))
        results.append({"page": page, "result": result})
    return results


def fmt_mb(kb) -> str:
    return "—" if not kb else f"{kb / 1024:.0f}"


# --------------------------------------------------------------------------- one page under wrk

def warm_up(server: Server, path: str, cookie: str | None, workers: int) -> None:
    """One request (it fills the page cache), then one at a time per worker at once, so that every worker
    has compiled the page's templates before wrk starts."""
    http_get(server.port, path, cookie=cookie)
    errors = []

    def one():
        try:
            http_get(server.port, path, cookie=cookie)
        except OSError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def load_page(server: Server, page: Page, duration: float, tmpdir: Path, watch: MemoryWatch,
              workers: int = 2) -> None:
    script = wrk_script(page.cookie, tmpdir)
    try:
        try:
            warm_up(server, page.path, page.cookie, workers)
            _, headers, _ = http_get(server.port, page.path, cookie=page.cookie)
            page.cache = headers.get("x-cache")
        except OSError as exc:
            page.notes.append(f"warm-up failed: {exc}")
        page.c1 = run_wrk(server.port, page.path, 1, 1, duration, script)
        page.c8 = run_wrk(server.port, page.path, 2, 8, duration, script)
        page.rss_kb = watch.sample()[0] or None
    finally:
        script.unlink(missing_ok=True)


def measure_ceiling(duration: float, workers: int, tmpdir: Path) -> dict:
    env = app_env("sqlite://", None)
    server = start_gunicorn("ceiling", "bench.ceiling:app", env, workers, tmpdir)
    try:
        page = Page(name="ceiling", path="/", role="visitor", status="measured")
        load_page(server, page, duration, tmpdir, MemoryWatch([server]), workers)
        return {"c1": page.c1, "c8": page.c8, "rss_kb": page.rss_kb, "at": time.strftime("%H:%M:%S")}
    finally:
        stop(server.proc)


# --------------------------------------------------------------------------- one size

@dataclass
class Options:
    duration: float = 5
    workers: int = 2
    instances: int = 1
    redis: bool = False
    only: str | None = None


def flush_redis(db_number: int) -> None:
    try:
        import redis
    except ImportError as exc:  # it is in requirements.txt
        raise SystemExit("--redis needs the redis package (pip install -r requirements.txt)") from exc
    try:
        redis.Redis.from_url(redis_url(db_number), socket_timeout=5).flushdb()
    except Exception as exc:
        raise SystemExit(f"--redis: Redis at 127.0.0.1:6379 does not answer ({exc})") from exc


def select(pages: list[Page], only: str | None) -> list[Page]:
    if not only:
        return pages
    needle = only.lower()
    return [p for p in pages if needle in p.name.lower() or needle in (p.path or "").lower()
            or needle in (p.endpoint or "").lower()]


def run_size(size: str, db: str, manifest: dict, options: Options, tmpdir: Path, redis_db: int | None) -> dict:
    """Measure one database; returns {"records": [...], "meta": {...}}."""
    database_url = manifest["database_url"]
    recent = _recently_written(database_url)
    if recent:
        log(f"  WARNING: {recent} was written {time.time() - recent.stat().st_mtime:.0f} s ago: if the data is being "
            "generated again now, the figures will mix two databases")
    workdir = tmpdir / f"app-{size}"
    (workdir / "cache").mkdir(parents=True, exist_ok=True)
    (workdir / "exports").mkdir(parents=True, exist_ok=True)
    env = app_env(database_url, redis_db, workdir)
    if redis_db is not None:
        flush_redis(redis_db)
    app, uncached = build_apps(env)
    pages, exports = build_pages(app, manifest)
    pages, exports = select(pages, options.only), select(exports, options.only)
    accounts = manifest.get("accounts") or {}
    cookies = {}
    for role in ROLES:
        user_id = accounts.get(role)
        cookies[role] = session_cookie(app, user_id) if user_id else None
        if user_id and cookies[role] is None:
            log(f"  warning: the manifest's {role} (user {user_id}) is not in the database")
    with app.test_request_context(base_url=app.config["BASE_URL"]):  # a host the site trusts
        from flask import url_for

        login_path = url_for("auth.login")
    counter, counter_uncached = SqlCounter(app), SqlCounter(uncached)
    meta = {"size": size, "db": db, "counts": manifest.get("counts") or {}, "manifest_seed": manifest.get("seed"),
            "generated_at": manifest.get("generated_at"), "schema_revision": manifest.get("schema_revision"),
            "loadavg_before": os.getloadavg(), "started": time.strftime("%Y-%m-%d %H:%M:%S"), "cookies_ok": {}}
    t0 = time.perf_counter()
    servers: list[Server] = []
    rq_worker = None
    try:
        if redis_db is not None:  # with REDIS_URL, large exports are built by RQ: the README's rq-worker
            with open(tmpdir / f"rq-{size}.log", "wb") as rq_log:
                rq_worker = spawn([str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "outbox", "rq-worker"],
                                  cwd=str(ROOT), env=env, stdout=rq_log, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL)
        server = start_gunicorn(f"engage-{size}", "wsgi:app", env, options.workers, tmpdir)
        servers.append(server)
        watch = MemoryWatch([server], rq=options.redis)
        log(f"  gunicorn up on 127.0.0.1:{server.port} (workers {server.workers()})")
        # The session cookies work when a page that needs an account answers 200 with them.
        for role, cookie in cookies.items():
            if cookie:
                status, _, _ = http_get(server.port, "/account/", cookie=cookie)
                meta["cookies_ok"][role] = status == 200
                if status != 200:
                    log(f"  warning: the {role}'s session cookie is refused (/account/ answered {status}); "
                        "pages needing it will be listed as not measured")
                    cookies[role] = None
        todo = [p for p in pages if p.status == "pending"]
        log(f"  deciding visitor or role for {len(todo)} pages ...")
        for page in todo:
            decide_role(server, page, cookies, login_path)
        measured = [p for p in pages if p.measured]
        log(f"  {len(measured)} pages to measure, {len(pages) - len(measured)} not measured; "
            f"about {len(measured) * (2 * options.duration + 1.5) / 60:.0f} min")
        for n, page in enumerate(measured, 1):
            try:
                page.sql, status = counter.measure(page.path, page.cookie)
                page.sql_uncached, _ = counter_uncached.measure(page.path, page.cookie)
                if status != 200:
                    page.notes.append(f"in-process test client answered {status}")
            except Exception as exc:  # noqa: BLE001 - the load figures are still worth having
                page.notes.append(f"SQL count failed: {type(exc).__name__}: {exc}"[:200])
            load_page(server, page, options.duration, tmpdir, watch, options.workers)
            c1, c8 = page.c1 or {}, page.c8 or {}
            errors = (c1.get("errors") or 0) + (c8.get("errors") or 0)
            log(f"  [{n:>3}/{len(measured)}] {page.name[:34]:<34} {page.role:<14} "
                f"c1 {c1.get('rps', 0):7.1f}/s p95 {(_ms(c1.get('p95_us')) or 0):7.1f} ms  "
                f"c8 {c8.get('rps', 0):7.1f}/s  SQL {page.sql if page.sql is not None else '—':>3}  "
                f"RSS {fmt_mb(page.rss_kb):>4} MB" + (f"  ERRORS {errors} {c8.get('statuses')}" if errors else ""))
        export_results = []
        if rq_worker is not None and rq_worker.poll() is not None:
            log(f"  WARNING: the rq worker exited ({rq_worker.returncode}); exports queued through RQ will not be built: "
                + (tmpdir / f"rq-{size}.log").read_text(errors="replace")[-500:])
        if exports:
            log("  exports (one download each, memory sampled every 100 ms):")
            export_results = measure_exports(server, exports, cookies, login_path, watch)
        meta["peak_hwm_kb"] = watch.peak_hwm_kb
        instance_results = []
        if options.instances >= 2:
            stop(server.proc)
            servers.remove(server)
            instance_results = measure_instances(pages, env, options, tmpdir, size)
    finally:
        for s in servers:
            stop(s.proc)
        stop(rq_worker)
        for a in (app, uncached):
            try:
                from engage.extensions import db as _db

                with a.app_context():
                    _db.engine.dispose()
            except Exception:  # noqa: BLE001
                pass
    meta["loadavg_after"] = os.getloadavg()
    meta["seconds"] = round(time.perf_counter() - t0, 1)
    # Someone may have regenerated the data while we measured it: then the figures mix two databases.
    path = DATA / f"{size}-{db}.manifest.json"
    try:
        now = json.loads(path.read_text()).get("generated_at") if path.exists() else None
    except ValueError:
        now = None
    if now is not None and manifest.get("generated_at") and now != manifest.get("generated_at") \
            and _same_database(json.loads(path.read_text()).get("database_url"), database_url):
        meta["data_changed"] = f"the data was generated again during the run ({manifest.get('generated_at')} → {now})"
        log(f"  WARNING: {meta['data_changed']}; measure again")
    return {"pages": pages, "exports": export_results, "instances": instance_results, "meta": meta}


def _recently_written(database_url: str, seconds: float = 30) -> Path | None:
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(database_url)
    except Exception:  # noqa: BLE001
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    for candidate in (Path(parsed.database), Path(parsed.database + "-wal")):
        if candidate.exists() and time.time() - candidate.stat().st_mtime < seconds:
            return candidate
    return None


def _same_database(a: str | None, b: str | None) -> bool:
    from engage.config import normalise_database_url

    return bool(a and b) and normalise_database_url(a) == normalise_database_url(b)


def measure_instances(pages: list[Page], env: dict, options: Options, tmpdir: Path, size: str) -> list[dict]:
    chosen = [p for p in pages if p.name in INSTANCE_PAGES and p.measured]
    if not chosen:
        return []
    log(f"  two app instances: {len(chosen)} pages, two wrk at c8 at the same time")
    servers = []
    results = []
    try:
        for k in range(2):
            servers.append(start_gunicorn(f"engage-{size}-instance{k + 1}", "wsgi:app", env, options.workers, tmpdir))
        watch = MemoryWatch(servers)
        for page in chosen:
            script = wrk_script(page.cookie, tmpdir)
            try:
                for s in servers:
                    warm_up(s, page.path, page.cookie, options.workers)
                # One instance alone, then both at once: adjacent in time, so that other work on the
                # machine weighs on both figures alike.
                alone = run_wrk(servers[0].port, page.path, 2, 8, options.duration, script)
                procs = [start_wrk(s.port, page.path, 2, 8, options.duration, script) for s in servers]
                runs = [finish_wrk(p, options.duration) for p in procs]
            except OSError as exc:
                dead = [f"{s.name} exited {s.proc.returncode}: {s.log_tail(10)}" for s in servers if s.proc.poll() is not None]
                log(f"    {page.name}: {exc}" + ("; " + "; ".join(dead) if dead else ""))
                continue
            finally:
                script.unlink(missing_ok=True)
            total = sum(r.get("rps") or 0 for r in runs)
            results.append({"page": page, "runs": runs, "alone": alone, "rps": total, "rss_kb": watch.sample()[0] or None})
            each = " + ".join(f"{r.get('rps') or 0:.1f}" for r in runs)
            log(f"    {page.name:<24} 1 instance {alone.get('rps') or 0:7.1f}/s   2 instances {total:7.1f}/s ({each})")
    finally:
        for s in servers:
            stop(s.proc)
    return results


# --------------------------------------------------------------------------- records

def _round(value, digits=2):
    return None if value is None else round(value, digits)


def page_record(page: Page, size: str, db: str) -> dict:
    c1, c8 = page.c1 or {}, page.c8 or {}
    measured = page.measured and bool(c1)
    errors = (c1.get("errors") or 0) + (c8.get("errors") or 0) if measured else None
    status = page.status
    if measured and ((c1.get("requests") or 0) == 0 or (c8.get("requests") or 0) == 0):
        status = "measured: no response completed within the duration"
    return {
        "page": page.name, "path": page.path, "db": db, "size": size, "endpoint": page.endpoint, "rule": page.rule,
        "key": page.key, "export": False, "role": page.role, "status": status, "x_cache": page.cache,
        "c1_rps": _round(c1.get("rps")) if measured else None,
        "c1_p50_ms": _ms(c1.get("p50_us")) if measured else None,
        "c1_p95_ms": _ms(c1.get("p95_us")) if measured else None,
        "c1_p99_ms": _ms(c1.get("p99_us")) if measured else None,
        "c8_rps": _round(c8.get("rps")) if measured else None,
        "c8_p50_ms": _ms(c8.get("p50_us")) if measured else None,
        "c8_p95_ms": _ms(c8.get("p95_us")) if measured else None,
        "c8_p99_ms": _ms(c8.get("p99_us")) if measured else None,
        "ceiling_c8_rps": None, "share_of_ceiling": None,
        "sql_per_request": page.sql, "sql_per_request_uncached": page.sql_uncached,
        "rss_mb": _round(page.rss_kb / 1024, 1) if page.rss_kb else None,
        "errors": errors,
        "c1_statuses": c1.get("statuses") if measured else None,
        "c8_statuses": c8.get("statuses") if measured else None,
        "c8_socket_errors": {k: c8.get(k) for k in ("connect", "read", "write", "timeout")} if measured else None,
        "notes": "; ".join(page.notes) or None,
    }


def export_record(item: dict, size: str, db: str) -> dict:
    page, result = item["page"], item["result"] or {}
    ok = page.measured
    return {
        "page": page.name, "path": page.path, "db": db, "size": size, "endpoint": page.endpoint, "key": True,
        "export": True, "role": page.role, "status": page.status,
        "c1_rps": None, "c1_p50_ms": None, "c1_p95_ms": None, "c1_p99_ms": None, "c8_rps": None, "c8_p95_ms": None,
        "ceiling_c8_rps": None, "sql_per_request": None,
        "rss_mb": _round(result["rss_kb"] / 1024, 1) if result.get("rss_kb") else None,
        "rss_before_mb": _round(result["rss_before_kb"] / 1024, 1) if result.get("rss_before_kb") else None,
        "rq_rss_mb": _round(result["rq_rss_kb"] / 1024, 1) if result.get("rq_rss_kb") else None,
        "errors": (0 if ok and not result.get("truncated") else 1) if result else None,
        "protocol": result.get("protocol"), "http_status": result.get("http_status"), "polls": result.get("polls"),
        "build_s": result.get("build_s"), "download_s": result.get("download_s"), "total_s": result.get("total_s"),
        "first_byte_s": result.get("first_byte_s"),
        "mb": _round(result.get("bytes", 0) / 1e6, 2) if ok else None, "bytes": result.get("bytes") if ok else None,
        "rows": result.get("rows"), "records": result.get("records"), "content_length_ok": result.get("content_length_ok"),
        "checksum_ok": result.get("checksum_ok"), "truncated": result.get("truncated"),
        "content_length_header": result.get("content_length"), "checksum_header": result.get("checksum_header"),
        "notes": result.get("note") or None,
    }


def instance_record(item: dict, size: str, db: str) -> dict:
    page, runs = item["page"], item["runs"]
    return {
        "page": f"2 instances: {page.name}", "path": page.path, "db": db, "size": size, "endpoint": page.endpoint,
        "key": True, "export": False, "instances": 2, "role": page.role, "status": "measured",
        "c1_rps": None, "c1_p50_ms": None, "c1_p95_ms": None, "c1_p99_ms": None,
        "c8_rps": round(item["rps"], 2), "c8_rps_per_instance": [round(r.get("rps") or 0, 2) for r in runs],
        "c8_rps_one_instance": _round((item.get("alone") or {}).get("rps")),
        "c8_p95_ms_one_instance": _ms((item.get("alone") or {}).get("p95_us")),
        "c8_rps_main_run": _round((page.c8 or {}).get("rps")),
        "c8_p95_ms": max((_ms(r.get("p95_us")) or 0) for r in runs), "ceiling_c8_rps": None,
        "sql_per_request": page.sql, "rss_mb": _round(item["rss_kb"] / 1024, 1) if item.get("rss_kb") else None,
        "errors": sum(r.get("errors") or 0 for r in runs) + ((item.get("alone") or {}).get("errors") or 0),
    }


def ceiling_record(size: str, db: str, ceiling: dict, run: dict) -> dict:
    start, end = ceiling["start"], ceiling.get("end") or ceiling["start"]

    def mean(key, which):
        values = [x[which].get(key) for x in (start, end) if x and x.get(which) and x[which].get(key) is not None]
        return statistics.mean(values) if values else None

    return {
        "page": "ceiling", "path": "/ (bench/ceiling.py)", "db": db, "size": size, "endpoint": None, "key": False,
        "export": False, "role": "visitor", "status": "measured",
        "c1_rps": _round(mean("rps", "c1")), "c1_p50_ms": _ms(mean("p50_us", "c1")),
        "c1_p95_ms": _ms(mean("p95_us", "c1")), "c1_p99_ms": _ms(mean("p99_us", "c1")),
        "c8_rps": _round(mean("rps", "c8")), "c8_p95_ms": _ms(mean("p95_us", "c8")),
        "ceiling_c8_rps": _round(mean("rps", "c8")), "sql_per_request": 0,
        "rss_mb": _round(start["rss_kb"] / 1024, 1) if start.get("rss_kb") else None,
        "errors": sum((x[w].get("errors") or 0) for x in (start, end) if x for w in ("c1", "c8")),
        "ceiling": {which: {"at": x["at"], "c1_rps": _round(x["c1"].get("rps")), "c1_p95_ms": _ms(x["c1"].get("p95_us")),
                            "c1_p50_ms": _ms(x["c1"].get("p50_us")), "c1_p99_ms": _ms(x["c1"].get("p99_us")),
                            "c8_rps": _round(x["c8"].get("rps")), "c8_p95_ms": _ms(x["c8"].get("p95_us"))}
                    for which, x in (("start", start), ("end", end)) if x},
        "run": run,
    }


def size_records(outcome: dict, db: str, ceiling: dict, run: dict) -> list[dict]:
    meta, size = outcome["meta"], outcome["meta"]["size"]
    run = {**run, **{k: v for k, v in meta.items()}}
    records = [ceiling_record(size, db, ceiling, run)]
    run["ceiling"] = records[0]["ceiling"]
    ceiling_rps = records[0]["ceiling_c8_rps"]
    for page in outcome["pages"]:
        records.append(page_record(page, size, db))
    for item in outcome["exports"]:
        records.append(export_record(item, size, db))
    for item in outcome["instances"]:
        records.append(instance_record(item, size, db))
    for record in records:
        record["ceiling_c8_rps"] = ceiling_rps
        if record.get("c8_rps") is not None and ceiling_rps and record["page"] != "ceiling":
            record["share_of_ceiling"] = round(record["c8_rps"] / ceiling_rps, 4)
        record["date"] = run["date"]
        record["run_started"] = meta.get("started")
    return records


# --------------------------------------------------------------------------- machine and commit

def machine() -> dict:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {"cpu": model, "cores": os.cpu_count(), "ram_gb": ram_gb, "python": platform.python_version(),
            "kernel": platform.release()}


def commit() -> str:
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    changes = [line for line in git("status", "--porcelain").splitlines()
               if not line[3:].startswith(("bench/results/", "bench/data/"))]
    return head + (" + uncommitted changes" if changes else "")


# --------------------------------------------------------------------------- results files

def results_paths(db: str, day: str | None = None) -> tuple[Path, Path]:
    day = day or date.today().isoformat()
    return RESULTS / f"{day}-{db}.md", RESULTS / f"{day}-{db}.json"


def write_results(records: list[dict], db: str, day: str) -> tuple[Path, Path]:
    """Merge ``records`` into the day's JSON (a record is keyed by page and size) and rewrite the Markdown."""
    md_path, json_path = results_paths(db, day)
    RESULTS.mkdir(parents=True, exist_ok=True)
    old = []
    if json_path.exists():
        try:
            old = json.loads(json_path.read_text())
        except ValueError:
            old = []
    new_keys = {(r["page"], r["size"]) for r in records}
    # A record is keyed by page and size: measured again, it is replaced; the others stay (a run with --only).
    # The ceiling record of a size keeps the history of the runs that wrote into these files.
    previous = {r["size"]: r for r in old if r.get("page") == "ceiling"}
    for record in records:
        if record["page"] == "ceiling":
            before = previous.get(record["size"], {})
            history = before.get("runs") or ([before["run"]] if before.get("run") else [])
            record["runs"] = [r for r in history if r.get("started") != record["run"].get("started")] + [record["run"]]
    merged = [r for r in old if (r.get("page"), r.get("size")) not in new_keys]
    merged += records
    order = {s: n for n, s in enumerate(SIZES)}
    kind = lambda r: 0 if r["page"] == "ceiling" else 3 if r.get("export") else 4 if r.get("instances") else 1 if r.get("key") else 2
    merged.sort(key=lambda r: (order.get(r["size"], 9), kind(r)))
    json_path.write_text(json.dumps(merged, ensure_ascii=False, indent=1) + "\n")
    md_path.write_text(render_markdown(merged, db, day))
    return md_path, json_path


def _p(path: str | None) -> str:
    """A path as a person reads it (the JSON keeps it as requested)."""
    from urllib.parse import unquote

    return unquote(path or "")


def _s(value) -> str:
    """Seconds: three decimals below a tenth, else two."""
    if value is None:
        return "—"
    return f"{value:.3f}" if value < 0.1 else f"{value:,.2f}"


def _f(value, digits=1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _share(record) -> str:
    share = record.get("share_of_ceiling")
    if not share:
        return "—"
    if share >= 1:
        return f"{share * 100:.0f}%"
    n = 1 / share
    return f"1/{n:.1f} ({share * 100:.0f}%)" if n < 10 else f"1/{n:.0f} ({share * 100:.0f}%)"


def _mark(ok) -> str:
    return "—" if ok is None else "✓" if ok else "✗"


def _present_mark(record, header: str, ok: str) -> str:
    if record.get(header) is None and not record.get(ok):
        return "absent"
    return _mark(record.get(ok))


def _worst_sql(record) -> int | None:
    """What a request costs when the page cache does not serve it (the target is about that)."""
    values = [v for v in (record.get("sql_per_request"), record.get("sql_per_request_uncached")) if v is not None]
    return max(values) if values else None


def _sql_equal(record, by_size: dict) -> bool | None:
    small = by_size.get("small", {}).get(record["page"])
    city = by_size.get("city", {}).get(record["page"])
    if small is None or city is None or _worst_sql(small) is None or _worst_sql(city) is None:
        return None
    return _worst_sql(small) == _worst_sql(city)


def render_markdown(records: list[dict], db: str, day: str) -> str:
    db_name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(db, db)
    sizes = [s for s in SIZES if any(r["size"] == s for r in records)] + sorted(
        {r["size"] for r in records} - set(SIZES))
    by_size = {s: {r["page"]: r for r in records if r["size"] == s} for s in sizes}
    runs = {s: by_size[s].get("ceiling", {}).get("run", {}) for s in sizes}
    latest = max(runs.values(), key=lambda r: r.get("started") or "", default={})
    out = [f"# Load benchmark, {day}, {db_name}", ""]
    out.append("Written by `.venv/bin/python -m bench` (see `bench/__main__.py`); the same figures, one record per "
               f"page and size, are in `{day}-{db}.json` beside this file.")
    out.append("")
    m = latest.get("machine", {})
    out.append("## Machine, code and settings")
    out.append("")
    out.append(f"- Machine: {m.get('cpu', '?')}, {m.get('cores', '?')} cores, {m.get('ram_gb', '?')} GB RAM, "
               f"Python {m.get('python', '?')}, Linux {m.get('kernel', '?')}; the load generator (wrk) runs on the "
               "same machine as the app.")
    out.append(f"- Database: {db_name}; sizes: " + ", ".join(sizes) + ".")
    out.append(f"- Server: {latest.get('gunicorn', '?')}" + ("; Redis for rate limits, RQ and the page cache" if latest.get("redis") else "; no Redis (rate limits in memory)") + ".")
    out.append(f"- Load: `wrk -t1 -c1` and `wrk -t2 -c8`, {latest.get('duration', '?')} s each per page, `--timeout "
               f"{WRK_TIMEOUT}`, after a warm-up (one request, then one per worker at once); any response other than 2xx, and any socket error, counts as an error.")
    out.append("- SQL: statements per request through the app's test client, the same URL and role, median of 3 after "
               "one warm-up; \"uncached\" is the same with `CACHE_TYPE=NullCache`. RSS: the highest VmRSS among the "
               "gunicorn workers right after the page's load.")
    out.append("")
    out.append("Runs that wrote into these files (a later run replaces the records of the pages it measured):")
    out.append("")
    out.append("| size | started | commit | command | load average before → after | run time | peak worker VmHWM |")
    out.append("|---|---|---|---|---|---|---|")
    history = {}
    for s in sizes:  # the runs that still own records (a later run may have replaced all of an earlier one's)
        owned = {r.get("run_started") for r in by_size[s].values()}
        every = by_size[s].get("ceiling", {}).get("runs") or [runs[s]]
        history[s] = [r for r in every if r.get("started") in owned] or every[-1:]
    for s in sizes:
        for r in history[s]:
            la = lambda v: " ".join(f"{x:.2f}" for x in v) if v else "?"
            out.append(f"| {s} | {r.get('started', '?')} | {r.get('commit', '?')} | `{r.get('command', '?')}` | "
                       f"{la(r.get('loadavg_before'))} → {la(r.get('loadavg_after'))} | {_minutes(r.get('seconds'))} | "
                       f"{fmt_mb(r.get('peak_hwm_kb'))} MB |")
    out.append("")
    for s in sizes:
        if runs[s].get("data_changed"):
            out.append(f"**Warning ({s}):** {runs[s]['data_changed']}; some figures of {s} may be of the other data.")
            out.append("")
    busy = sorted({r.get("started", "?") for s in sizes for r in history[s] if (r.get("loadavg_before") or [0])[0] > 0.5})
    if busy:
        out.append(f"**The machine was not idle** when the run(s) of {', '.join(busy)} started (1-minute load average above 0.5): "
                   "other work shared the two cores, so these figures are lower and noisier than on a quiet machine.")
        out.append("")
    out.append("Data (from each size's manifest, `bench/generate.py`):")
    out.append("")
    for s in sizes:
        r = runs[s]
        counts = r.get("counts") or {}
        listed = ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in counts.items())
        out.append(f"- **{s}** (seed {r.get('manifest_seed')}, schema {r.get('schema_revision')}, generated "
                   f"{r.get('generated_at')}): {listed or 'no counts in the manifest'}")
    out.append("")

    out.append("## Ceiling")
    out.append("")
    out.append("`bench/ceiling.py`: a bare Flask app rendering one small Jinja template (a heading, a paragraph, ten "
               "list items), under the same gunicorn settings and the same wrk runs, at the start and at the end of the run.")
    out.append("")
    out.append("| size | run | when | c1 req/s | c1 p50 / p95 / p99 ms | c8 req/s | c8 p95 ms |")
    out.append("|---|---|---|---|---|---|---|")
    for s in sizes:
        for r in history[s]:
            ceiling = r.get("ceiling") or {}
            values = [x for x in (ceiling.get("start"), ceiling.get("end")) if x]
            for which in ("start", "end"):
                x = ceiling.get(which)
                if x:
                    out.append(f"| {s} | {r.get('started', '?')} | {which} ({x.get('at')}) | {_f(x.get('c1_rps'))} | "
                               f"{_f(x.get('c1_p50_ms'), 2)} / {_f(x.get('c1_p95_ms'), 2)} / {_f(x.get('c1_p99_ms'), 2)} | "
                               f"{_f(x.get('c8_rps'))} | {_f(x.get('c8_p95_ms'), 2)} |")
            if values:
                c1 = statistics.mean(v["c1_rps"] for v in values if v.get("c1_rps") is not None)
                c8 = statistics.mean(v["c8_rps"] for v in values if v.get("c8_rps") is not None)
                out.append(f"| {s} | {r.get('started', '?')} | **mean** | **{_f(c1)}** | | **{_f(c8)}** | |")
    out.append("")
    out.append("Each page's share of the ceiling is its c8 req/s over the mean ceiling c8 of its own run.")
    out.append("")
    out.append(f"Targets: c1 p95 ≤ {TARGET_P95_MS} ms; c8 ≥ half the ceiling's c8; SQL ≤ {TARGET_SQL} per request and "
               f"the same on small and city, judged on the uncached count (what a request costs when the page cache "
               f"does not serve it); exports: 500k comments in < {TARGET_EXPORT_S} s with < {TARGET_EXPORT_MB} MB RSS "
               "(the same bounds are checked for every export).")
    out.append("")

    with_pages = [s for s in sizes if s in SIZES and any(r.get("sql_per_request") is not None for r in by_size[s].values()
                                                          if r["page"] != "ceiling")]
    several = len(with_pages) > 1
    for s in sizes:
        rows = list(by_size[s].values())
        out.append(f"## {s}")
        out.append("")
        for title, chosen in (("Key pages (the ones the scaling issue names)",
                               [r for r in rows if r.get("key") and not r.get("export") and not r.get("instances")
                                and r["page"] != "ceiling" and r["status"].startswith("measured")]),
                              ("Every other GET route",
                               [r for r in rows if not r.get("key") and r["page"] != "ceiling" and not r.get("export")
                                and r["status"].startswith("measured")])):
            out.append(f"### {title}")
            out.append("")
            if not chosen:
                out.append("None measured.")
                out.append("")
                continue
            sql_head = "SQL " + " / ".join(with_pages) if several else "SQL"
            out.append(f"| page | path | role | cache | c1 req/s | c1 p50 / p95 / p99 ms | c8 req/s | share of ceiling | "
                       f"{sql_head} | RSS MB | errors | p95 ≤ {TARGET_P95_MS} ms | c8 ≥ ½ ceiling | "
                       f"SQL ≤ {TARGET_SQL}, same on small & city |")
            out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
            for r in chosen:
                peers = [by_size[x].get(r["page"], {}) for x in with_pages] if several else [r]
                sql = " / ".join(_f(p.get("sql_per_request")) for p in peers)
                if any(p.get("sql_per_request_uncached") not in (None, p.get("sql_per_request")) for p in peers):
                    sql += " (uncached " + " / ".join(_f(p.get("sql_per_request_uncached")) for p in peers) + ")"
                p95_ok = None if r.get("c1_p95_ms") is None else r["c1_p95_ms"] <= TARGET_P95_MS
                share = r.get("share_of_ceiling")
                half_ok = None if share is None else share >= 0.5
                worst = _worst_sql(r)
                if worst is not None:
                    equal = _sql_equal(r, by_size)
                    sql_mark = _mark(worst <= TARGET_SQL and equal is not False)
                    if equal is None and s in ("small", "city"):
                        sql_mark += " (one size)"
                else:
                    sql_mark = "—"
                errors = r.get("errors")
                errors_cell = f"**{errors}**" if errors else _f(errors)
                status_note = "" if r["status"] == "measured" else f" ({r['status'][10:]})"
                out.append(f"| {r['page']}{status_note} | `{_p(r['path'])}` | {r.get('role') or '—'} | {r.get('x_cache') or '—'} | "
                           f"{_f(r.get('c1_rps'))} | "
                           f"{_f(r.get('c1_p50_ms'))} / {_f(r.get('c1_p95_ms'))} / {_f(r.get('c1_p99_ms'))} | "
                           f"{_f(r.get('c8_rps'))} | {_share(r)} | {sql} | {_f(r.get('rss_mb'), 0)} | {errors_cell} | "
                           f"{_mark(p95_ok)} | {_mark(half_ok)} | {sql_mark} |")
            out.append("")

        instances = [r for r in rows if r.get("instances")]
        if instances:
            out.append("### One and two app instances")
            out.append("")
            out.append("Two gunicorn instances with the same settings, the same database"
                       + (" and the same Redis" if runs[s].get("redis") else "")
                       + ": for each page, `wrk -t2 -c8` on the first instance alone, then one `wrk -t2 -c8` on "
                       "each instance at the same time (req/s summed), one right after the other. The two share "
                       "the machine's two cores with the two wrk processes.")
            out.append("")
            out.append("| page | path | 1 instance c8 req/s | 2 instances c8 req/s | per instance | 1 instance c8 p95 ms | "
                       "worst c8 p95 ms, 2 instances | errors |")
            out.append("|---|---|---|---|---|---|---|---|")
            for r in instances:
                out.append(f"| {r['page'][len('2 instances: '):]} | `{r['path']}` | {_f(r.get('c8_rps_one_instance'))} | "
                           f"{_f(r.get('c8_rps'))} | {' + '.join(_f(x) for x in r.get('c8_rps_per_instance') or [])} | "
                           f"{_f(r.get('c8_p95_ms_one_instance'))} | {_f(r.get('c8_p95_ms'))} | {_f(r.get('errors'))} |")
            out.append("")

        exports = [r for r in rows if r.get("export")]
        if exports:
            out.append("### Exports of the big round and the big survey")
            out.append("")
            out.append("Downloaded one at a time (not under wrk). A plain 200 is timed from the request to the last byte (download s); a "
                       "`202 Accepted` is polled, respecting Retry-After (so a build time is counted in steps of it), until 200 "
                       "(build s, then download s). Lines: "
                       "newlines in a CSV (the header included); records: its data rows as a CSV reader counts them (a cell "
                       "with line breaks is one row); for JSON, lines is the length of its longest list. RSS: the highest "
                       "worker VmRSS sampled every 100 ms during the download"
                       + (" (rq workers separately)" if runs[s].get("redis") else "") + ".")
            out.append("")
            out.append(f"| export | path | role | protocol | build s | download s | MB | lines | records | Content-Length ok | "
                       f"checksum ok | truncated | RSS MB | < {TARGET_EXPORT_S} s & < {TARGET_EXPORT_MB} MB | notes |")
            out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
            for r in exports:
                if not r["status"].startswith("measured"):
                    out.append(f"| {r['page'][len('export: '):]} | `{r['path']}` | {r.get('role') or '—'} | "
                               f"{r['status']} | | | | | | | | | | ✗ | {r.get('notes') or ''} |")
                    continue
                total = r.get("total_s")
                ok = None if total is None else (total < TARGET_EXPORT_S and (r.get("rss_mb") or 0) < TARGET_EXPORT_MB
                                                 and not r.get("truncated"))
                rss = _f(r.get("rss_mb"), 0) + (f" (from {_f(r.get('rss_before_mb'), 0)})" if r.get("rss_before_mb") else "") + (f" (rq {_f(r.get('rq_rss_mb'), 0)})" if r.get("rq_rss_mb") else "")
                out.append(f"| {r['page'][len('export: '):]} | `{r['path']}` | {r.get('role') or '—'} | {r.get('protocol')} | "
                           f"{_s(r.get('build_s'))} | {_s(r.get('download_s'))} | {_f(r.get('mb'), 2 if (r.get('mb') or 0) < 10 else 1)} | "
                           f"{_f(r.get('rows'))} | {_f(r.get('records'))} | {_present_mark(r, 'content_length_header', 'content_length_ok')} | "
                           f"{_present_mark(r, 'checksum_header', 'checksum_ok')} | "
                           f"{'**yes**' if r.get('truncated') else 'no'} | {rss} | {_mark(ok)} | {r.get('notes') or ''} |")
            out.append("")

        missing = [r for r in rows if not r["status"].startswith("measured")]
        if missing:
            out.append("### Not measured")
            out.append("")
            out.append("| page | path | why |")
            out.append("|---|---|---|")
            for r in missing:
                why = r["status"].removeprefix("not measured: ")
                why = why.replace("|", "\\|")
                out.append(f"| {r['page']} | `{r.get('rule') or r['path']}` | {why} |")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _minutes(seconds) -> str:
    if seconds is None:
        return "?"
    return f"{seconds / 60:.1f} min" if seconds >= 90 else f"{seconds:.0f} s"
