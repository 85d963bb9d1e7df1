"""Reliability run: many people writing to one proposal and one meeting at the same moment, on gunicorn.

    .venv/bin/python -m bench.reliability --db sqlite
    .venv/bin/python -m bench.reliability --db postgresql --worker-class gthread
    .venv/bin/python -m bench.reliability --db sqlite --people 40 --seats 10 --registrants 20 --workers 2

Options:

    --db sqlite|postgresql      a fresh database for the run: a SQLite file in a temporary folder, or a
                                PostgreSQL database created on --postgres-server and dropped afterwards
    --postgres-server URL       default postgresql://postgres@127.0.0.1:5432/postgres
    --worker-class sync|gthread gunicorn's workers (default sync)
    --workers N                 default 4
    --threads N                 threads per gthread worker (default 8)
    --people 200                residents taking part
    --seats 50                  the meeting's capacity
    --registrants 100           of the people, how many register for the meeting
    --cancellations N           of those given a seat, how many cancel in the second wave (default seats // 10)
    --workshop-seats N          the second meeting's capacity (default seats // 5)
    --json PATH                 also write the figures as JSON

What it does. The data is made through the app's own services on a fresh, migrated database: a
published round, one published proposal (by an author who is not among the people), a published
meeting of the round with ``--seats`` places that people register for, ``--people`` confirmed
residents, and a sign-in (server-side row and signed session cookie, as the sign-in form makes them)
for each. gunicorn then serves the app with the production settings (``ENGAGE_ENV=production``,
``MAIL_BACKEND=log``, rate limits raised so that 200 people behind one address are not refused).

Every person has a thread and their own connections. Each wave starts on a ``threading.Barrier``:

1. the round is in deliberation: every person comments on the proposal; the registrants register
   for the meeting, every tenth of them clicking twice at once (two requests at the same moment);
   ``--workshop-seats`` other people fill a second meeting (a workshop) exactly;
2. the round moves to prioritisation (the phase boundary is set to now): every person supports the
   proposal, every third then takes the support back, every tenth of the others clicks twice at once;
   every seventh deletes their comment on the proposal, clicking twice at once; every person comments
   on the meeting's page; ``--cancellations`` people who got a seat cancel, so that the waitlist moves
   up while everyone else writes; half the workshop's people cancel while as many others register for
   it (its waitlist is empty: each of them must get a freed seat).

No phase lets residents both comment on and support a proposal, so the comments on the proposal
come first; the meeting's discussion is open in every phase, so the second wave mixes supports and
comments on the round's totals.

Then it checks exactly, in the database and on the pages (as a visitor, through the page cache, and
signed in): the answer to every request (a redirect; no 5xx, no other status, no dropped connection),
the supports (rows, the proposal's counter, the page), the comments (rows equal the posts that
answered with a redirect, the proposal's counter), the registrations (``min(seats, registrants -
cancellations)`` given a seat, the rest on the waitlist, one row per person, the meeting's counter of
seats taken, the seats left on the page), and the round's totals and participants against a full
recount from the rows (``engage.rounds.stats.rebuild``). It prints a table and exits 1 on any 5xx, any
unexpected answer or any wrong count.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402

PASSWORD = "correct horse battery staple"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SUPPORT_COUNT_RE = re.compile(r'id="support-count">\s*(\d+)\s*<')
SEATS_LEFT_RE = re.compile(r"(\d+) left")
REQUEST_TIMEOUT = 120


@dataclass
class Options:
    db: str = "sqlite"
    worker_class: str = "sync"
    workers: int = 4
    threads: int = 8
    people: int = 200
    seats: int = 50
    registrants: int = 100
    cancellations: int | None = None
    workshop_seats: int | None = None
    postgres_server: str = DEFAULT_POSTGRES
    quiet: bool = False

    def __post_init__(self):
        self.registrants = min(self.registrants, self.people)
        if self.cancellations is None:
            self.cancellations = max(1, self.seats // 10)
        if self.workshop_seats is None:
            self.workshop_seats = max(2, self.seats // 5)
        self.workshop_seats = max(2, min(self.workshop_seats, self.people // 2))

    @property
    def server(self) -> str:
        threads = f" --threads {self.threads}" if self.worker_class == "gthread" else ""
        return f"gunicorn -w {self.workers} -k {self.worker_class}{threads}"


@dataclass
class Check:
    name: str
    expected: int
    database: int | None = None
    page: int | None = None

    @property
    def ok(self) -> bool:
        return all(v is None or v == self.expected for v in (self.database, self.page))


@dataclass
class Result:
    options: dict
    requests: int = 0
    statuses: dict = field(default_factory=dict)  # action -> {status: count}
    server_errors: int = 0  # 5xx answers
    no_answer: int = 0  # connection refused, reset or timed out
    unexpected: int = 0  # any other answer than the redirect a browser gets
    checks: list[Check] = field(default_factory=list)
    errors_logged: list[str] = field(default_factory=list)  # distinct exception lines of the server's log
    seconds: dict = field(default_factory=dict)  # per wave, from the barrier to the last answer

    @property
    def wrong_counts(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    @property
    def problems(self) -> list[str]:
        found = []
        if self.server_errors:
            found.append(f"{self.server_errors} answers with a 5xx status")
        if self.no_answer:
            found.append(f"{self.no_answer} requests without an answer")
        if self.unexpected - self.server_errors:
            found.append(f"{self.unexpected - self.server_errors} answers other than a redirect")
        for check in self.wrong_counts:
            found.append(f"{check.name}: expected {check.expected}, database {check.database}, page {check.page}")
        return found

    def as_dict(self) -> dict:
        data = asdict(self)
        data["problems"] = self.problems
        return data


def log(message: str, options: Options) -> None:
    if not options.quiet:
        load.log(message)


# --------------------------------------------------------------------------- the database

def _postgres_url(server: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server).set(database=name).render_as_string(hide_password=False)


def _admin_connection(server: str):
    import psycopg

    from engage.config import normalise_database_url

    url = normalise_database_url(_postgres_url(server, "postgres")).replace("postgresql+psycopg://", "postgresql://")
    return psycopg.connect(url, autocommit=True)


def create_database(options: Options, workdir: Path) -> tuple[str, str | None]:
    """(DATABASE_URL, the PostgreSQL database's name to drop afterwards, or None)."""
    if options.db == "sqlite":
        return "sqlite:///" + str(workdir / "engage.sqlite"), None
    name = f"engage_rel_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with _admin_connection(options.postgres_server) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return _postgres_url(options.postgres_server, name), name


def drop_database(options: Options, name: str | None) -> None:
    if name is None:
        return
    with _admin_connection(options.postgres_server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --------------------------------------------------------------------------- the app and its data

def server_env(database_url: str, workdir: Path, port: int) -> dict[str, str]:
    env = load.app_env(database_url, None, workdir)
    env.update({
        "BASE_URL": f"http://127.0.0.1:{port}",
        "TRUSTED_HOSTS": "127.0.0.1",
        "UPLOAD_FOLDER": str(workdir / "uploads"),
        "CACHE_KEY_PREFIX": f"engage-rel-{uuid.uuid4().hex[:8]}:",
        # Everyone comes from 127.0.0.1: the per-address limits would refuse a crowd behind one address.
        "RATELIMIT_SIGN_IN": "100000 per minute",
        "RATELIMIT_REGISTER": "100000 per minute",
    })
    for name in ("REDIS_URL", "RATELIMIT_STORAGE_URI", "CACHE_REDIS_URL", "TEST_DATABASE_URL"):
        env.pop(name, None)
    return env


def build_app(env: dict[str, str]):
    """The app as gunicorn builds it (the same environment), in this process, for the data and the checks."""
    import logging
    import warnings

    saved = dict(os.environ)
    # create_app sets up logging for production; a test suite running this keeps its own.
    engage_level, root_handlers = logging.getLogger("engage").level, list(logging.getLogger().handlers)
    os.environ.clear()
    os.environ.update(env)
    try:
        from engage import create_app

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            app = create_app()
    finally:
        os.environ.clear()
        os.environ.update(saved)
        logging.getLogger("engage").setLevel(engage_level)
        logging.getLogger().handlers[:] = root_handlers
    return app


@dataclass
class Data:
    round_id: int
    proposal_id: int
    meeting_id: int
    workshop_id: int
    deliberation_id: int
    prioritisation_id: int
    people: list[tuple[int, str]]  # (user id, session cookie)


def prepare(app, options: Options) -> Data:
    """Schema through the migrations, then the round, proposal, meeting and people through the services."""
    import logging
    from unittest import mock

    from flask_migrate import upgrade

    from engage.auth import services as accounts
    from engage.core.passwords import hash_password
    from engage.core.permissions import Role
    from engage.core.time import utcnow
    from engage.extensions import db
    from engage.meetings import services as meetings
    from engage.proposals import services as proposals
    from engage.rounds import services as rounds
    from engage.rounds.phases import PhaseType

    with app.app_context():
        logging.disable(logging.INFO)  # the migrations set up their own logging: one line per revision
        try:
            upgrade()
        finally:
            logging.disable(logging.NOTSET)
        db.session.remove()
        hashed = hash_password(PASSWORD)  # one scrypt for everyone: the sign-ins below need no password
        with mock.patch.object(accounts, "hash_password", lambda _password: hashed):
            facilitator = accounts.create_user(email="facilitator@example.org", display_name="Facilitator",
                                               password=PASSWORD, locale="en", roles=(Role.FACILITATOR,),
                                               confirmed=True)
            author = accounts.create_user(email="author@example.org", display_name="Author", password=PASSWORD,
                                          locale="en", confirmed=True)
            people = [accounts.create_user(email=f"resident{n}@example.org", display_name=f"Resident {n}",
                                           password=PASSWORD, locale="en", confirmed=True)
                      for n in range(options.people)]
        now = utcnow()
        round_ = rounds.create_round(by=facilitator, default_locale="en", organiser="City", district=None,
                                     texts={"en": rounds.Texts("Parks of the city", "What should our parks have?")},
                                     topics=["Parks"])
        deliberation = rounds.add_phase(round_, type=PhaseType.DELIBERATION, starts_at=now - timedelta(days=1),
                                        ends_at=now + timedelta(days=30))
        prioritisation = rounds.add_phase(round_, type=PhaseType.PRIORITISATION, starts_at=now + timedelta(days=30),
                                          ends_at=now + timedelta(days=60))
        rounds.publish(round_)
        proposal = proposals.submit_proposal(round_, author, title="Drinking fountains in every park",
                                             body="Install drinking fountains at the entrances of every park.",
                                             topic_id=None, district=None, locale="en")
        meeting = meetings.create_meeting(meetings.Details(
            kind="public", default_locale="en", title={"en": "Parks: the public meeting"}, description={},
            agenda={"en": "The proposals on parks, one by one."}, starts_at=now + timedelta(days=40),
            ends_at=now + timedelta(days=40, hours=2), venue_name="Town hall", capacity=options.seats,
            registration_required=True), round_=round_, forum=None, by=facilitator)
        meetings.publish(meeting)
        workshop = meetings.create_meeting(meetings.Details(
            kind="training", default_locale="en", title={"en": "Parks: the design workshop"}, description={},
            agenda={"en": "Drawing the new park together."}, starts_at=now + timedelta(days=45),
            ends_at=now + timedelta(days=45, hours=3), venue_name="Library", capacity=options.workshop_seats,
            registration_required=True), round_=round_, forum=None, by=facilitator)
        meetings.publish(workshop)
        db.session.commit()
        data = Data(round_.id, proposal.id, meeting.id, workshop.id, deliberation.id, prioritisation.id, [])
        ids = [p.id for p in people]
        db.session.remove()
    for user_id in ids:
        cookie = load.session_cookie(app, user_id)  # "name=value"
        data.people.append((user_id, cookie))
    return data


def move_to_prioritisation(app, data: Data) -> None:
    """End deliberation now and start prioritisation now, as a facilitator editing the phases would."""
    from engage.core.time import utcnow
    from engage.extensions import db
    from engage.rounds import services as rounds
    from engage.rounds.models import Phase
    from engage.rounds.phases import PhaseType

    with app.app_context():
        moment = utcnow() - timedelta(seconds=1)
        deliberation = db.session.get(Phase, data.deliberation_id)
        prioritisation = db.session.get(Phase, data.prioritisation_id)
        rounds.update_phase(deliberation, type=PhaseType.DELIBERATION, starts_at=deliberation.starts_at, ends_at=moment)
        rounds.update_phase(prioritisation, type=PhaseType.PRIORITISATION, starts_at=moment,
                            ends_at=prioritisation.ends_at)
        db.session.commit()
        db.session.remove()


# --------------------------------------------------------------------------- HTTP

class Person:
    """One browser: its own cookies and a new connection for each request."""

    def __init__(self, index: int, user_id: int, cookie: str, port: int):
        name, _, value = cookie.partition("=")
        self.index, self.user_id, self.port = index, user_id, port
        self.cookies = {name: value}
        self.token: str | None = None

    def copy(self) -> "Person":
        other = Person(self.index, self.user_id, "x=y", self.port)
        other.cookies, other.token = dict(self.cookies), self.token
        return other

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": load.USER_AGENT, "Accept-Language": "en",
                       "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
            body = None
            if form is not None:
                body = urlencode({**form, "csrf_token": self.token or ""})
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, text
        finally:
            connection.close()

    def fetch_token(self, path: str) -> None:
        status, page = self.request("GET", path)
        match = CSRF_RE.search(page)
        if status != 200 or not match:
            raise RuntimeError(f"no form on {path} for person {self.index} ({status})")
        self.token = match.group(1)


@dataclass
class Task:
    person: Person
    actions: list[tuple[str, str, dict]]  # (kind, path, form)


def fire(tasks: list[Task]) -> tuple[list[tuple[str, int | None]], float]:
    """Run every task in its own thread, all starting at the same moment; (kind, status or None) per request."""
    barrier = threading.Barrier(len(tasks) + 1)
    answers: list[tuple[str, int | None]] = []
    lock = threading.Lock()

    def run(task: Task) -> None:
        barrier.wait()
        for kind, path, form in task.actions:
            try:
                status, _ = task.person.request("POST", path, form)
            except (OSError, http.client.HTTPException):
                status = None
            with lock:
                answers.append((kind, status))

    threads = [threading.Thread(target=run, args=(t,), daemon=True) for t in tasks]
    for thread in threads:
        thread.start()
    barrier.wait()  # every thread is waiting: go
    started = time.perf_counter()
    for thread in threads:
        thread.join(REQUEST_TIMEOUT * 4)
    return answers, time.perf_counter() - started


# --------------------------------------------------------------------------- the run

def _unsupports(index: int) -> bool:
    return index % 3 == 2


def _double_support(index: int) -> bool:
    return index % 10 == 0 and not _unsupports(index)


def _deletes_comment(index: int) -> bool:
    return index % 7 == 3


def _comments_by_author(app, proposal_id: int) -> dict[int, int]:
    from sqlalchemy import select

    from engage.comments.models import Comment
    from engage.extensions import db

    with app.app_context():
        found = dict(db.session.execute(select(Comment.author_id, Comment.id).where(Comment.proposal_id == proposal_id)).all())
        db.session.remove()
        return found


def start_server(options: Options, env: dict[str, str], port: int, workdir: Path) -> load.Server:
    args = [load.gunicorn_bin(), "--workers", str(options.workers), "--worker-class", options.worker_class]
    if options.worker_class == "gthread":
        args += ["--threads", str(options.threads)]
    args += ["--log-level", "warning", "--bind", f"127.0.0.1:{port}", "--error-logfile", "-", "wsgi:app"]
    log_path = workdir / f"gunicorn-{port}.log"
    with open(log_path, "wb") as handle:
        proc = load.spawn(args, cwd=str(ROOT), env=env, stdout=handle, stderr=subprocess.STDOUT,
                          stdin=subprocess.DEVNULL)
    server = load.Server("reliability", proc, port, log_path)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            status, _, _ = load.http_get(port, "/healthz", timeout=5)
            if status == 200 and len(server.workers()) >= options.workers:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    tail = server.log_tail()
    load.stop(proc)
    raise RuntimeError(f"gunicorn did not answer /healthz with 200:\n{tail}")


def _record(result: Result, answers: list[tuple[str, int | None]]) -> None:
    for kind, status in answers:
        result.requests += 1
        per = result.statuses.setdefault(kind, {})
        key = "no answer" if status is None else str(status)
        per[key] = per.get(key, 0) + 1
        if status is None:
            result.no_answer += 1
        elif status != 302:
            result.unexpected += 1
            if status >= 500:
                result.server_errors += 1


def _logged_errors(log_path: Path) -> list[str]:
    try:
        lines = log_path.read_text(errors="replace").splitlines()
    except OSError:
        return []
    found = Counter()
    for line in lines:
        text = line.strip()
        if re.match(r"^[\w.]+(Error|Exception)\b", text) or "[CRITICAL]" in text:
            found[text[:200]] += 1
    return [f"{n} × {text}" for text, n in found.most_common(10)]


def run(options: Options) -> Result:
    result = Result(options=asdict(options))
    workdir = Path(tempfile.mkdtemp(prefix="engage-reliability-"))
    database_name = None
    server = None
    app = None
    try:
        database_url, database_name = create_database(options, workdir)
        port = load.free_port()
        env = server_env(database_url, workdir, port)
        app = build_app(env)
        started = time.perf_counter()
        data = prepare(app, options)
        log(f"data: {options.people} people, a meeting of {options.seats} seats on {options.db} "
            f"({time.perf_counter() - started:.1f} s)", options)
        server = start_server(options, env, port, workdir)
        log(f"server: {options.server} on 127.0.0.1:{port}", options)

        people = [Person(n, uid, cookie, port) for n, (uid, cookie) in enumerate(data.people)]
        comment_path = f"/proposals/{data.proposal_id}/comments"
        for person in people:  # the form's CSRF token, as the browser has it before the click
            person.fetch_token(comment_path)

        # Wave 1: deliberation. Comments on the proposal; registrations, some clicked twice at once.
        register_path = f"/meetings/{data.meeting_id}/register"
        registrants = people[:options.registrants]
        tasks = []
        for person in people:
            actions = []
            if person in registrants:
                actions.append(("register", register_path, {}))
            actions.append(("comment on the proposal", comment_path,
                            {"body": f"Comment {person.index}: yes, and near the playgrounds.", "stance": "",
                             "parent_id": "", "submit": "1"}))
            tasks.append(Task(person, actions))
        for person in registrants:
            if person.index % 10 == 0:
                tasks.append(Task(person.copy(), [("register (second click)", register_path, {})]))
        workshop_path = f"/meetings/{data.workshop_id}"
        workshop_first = people[-options.workshop_seats:]
        workshop_second = people[-2 * options.workshop_seats:-options.workshop_seats][:options.workshop_seats // 2]
        for person in workshop_first:
            tasks.append(Task(person.copy(), [("register for the workshop", workshop_path + "/register", {})]))
        answers, seconds = fire(tasks)
        result.seconds["wave 1"] = round(seconds, 2)
        _record(result, answers)
        log(f"wave 1 (comments, registrations): {len(answers)} requests in {seconds:.1f} s", options)

        # Wave 2: prioritisation. Supports (some twice at once, some taken back), comments on the meeting,
        # and cancellations that move the waitlist up.
        move_to_prioritisation(app, data)
        seated = set(_seated(app, data.meeting_id))
        cancelling = [p for p in registrants if p.user_id in seated][:options.cancellations]
        own_comments = _comments_by_author(app, data.proposal_id)
        deleting = [p for p in people if _deletes_comment(p.index) and p.user_id in own_comments]
        support_path = f"/proposals/{data.proposal_id}/support"
        meeting_comment_path = f"/meetings/{data.meeting_id}/comments"
        tasks = []
        for person in people:
            actions = []
            if person in cancelling:
                actions.append(("cancel", f"/meetings/{data.meeting_id}/cancel", {}))
            if person in deleting:
                actions.append(("delete own comment", f"/comments/{own_comments[person.user_id]}/delete", {}))
            actions.append(("support", support_path, {"support": "1"}))
            if _unsupports(person.index):
                actions.append(("take back support", support_path, {"support": "0"}))
            actions.append(("comment on the meeting", meeting_comment_path,
                            {"body": f"Comment {person.index}: I will come.", "parent_id": "", "submit": "1"}))
            tasks.append(Task(person, actions))
        for person in people:
            if _double_support(person.index):
                tasks.append(Task(person.copy(), [("support (second click)", support_path, {"support": "1"})]))
        for person in deleting:
            tasks.append(Task(person.copy(), [("delete own comment (second click)",
                                               f"/comments/{own_comments[person.user_id]}/delete", {})]))
        for person in workshop_first[:len(workshop_second)]:
            tasks.append(Task(person.copy(), [("cancel the workshop", workshop_path + "/cancel", {})]))
        for person in workshop_second:
            tasks.append(Task(person.copy(), [("register for the workshop", workshop_path + "/register", {})]))
        answers, seconds = fire(tasks)
        result.seconds["wave 2"] = round(seconds, 2)
        _record(result, answers)
        log(f"wave 2 (supports, comments, cancellations): {len(answers)} requests in {seconds:.1f} s", options)

        result.checks = verify(app, data, options, people, len(cancelling), len(deleting), len(workshop_second),
                               comments_answered=_redirected(result, "comment on the proposal"),
                               meeting_comments_answered=_redirected(result, "comment on the meeting"))
        result.errors_logged = _logged_errors(server.log_path)
        return result
    finally:
        if server is not None:
            load.stop(server.proc)
        if app is not None:
            from engage.extensions import db

            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        try:
            drop_database(options, database_name)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


def _redirected(result: Result, kind: str) -> int:
    """How many posts of ``kind`` answered with the redirect of success."""
    return result.statuses.get(kind, {}).get("302", 0)


def _seated(app, meeting_id: int) -> list[int]:
    from sqlalchemy import select

    from engage.extensions import db
    from engage.meetings.models import Registration

    with app.app_context():
        ids = list(db.session.scalars(select(Registration.user_id).where(
            Registration.meeting_id == meeting_id, Registration.status == Registration.REGISTERED)
            .order_by(Registration.id)))
        db.session.remove()
        return ids


def verify(app, data: Data, options: Options, people: list[Person], cancelled: int, deleted: int,
           workshop_swaps: int, *, comments_answered: int,
           meeting_comments_answered: int) -> list[Check]:
    from sqlalchemy import func, select

    from engage.comments.models import Comment
    from engage.extensions import db
    from engage.meetings.models import Meeting, Registration
    from engage.proposals.models import Proposal, Support
    from engage.rounds import stats
    from engage.rounds.models import RoundParticipant, RoundStats

    supporters = sum(1 for p in people if not _unsupports(p.index))
    active = options.registrants - cancelled
    seated = min(options.seats, active)
    checks: list[Check] = []

    # The pages, as a visitor (through the page cache) and signed in (never cached).
    visitor = Person(-1, 0, "x=y", people[0].port)
    visitor.cookies = {}
    signed_in = people[0].copy()
    pages = {}
    for who, browser in (("visitor", visitor), ("signed in", signed_in)):
        status, page = browser.request("GET", f"/proposals/{data.proposal_id}")
        match = SUPPORT_COUNT_RE.search(page) if status == 200 else None
        pages[f"supports ({who})"] = int(match.group(1)) if match else -1
        status, page = browser.request("GET", f"/meetings/{data.meeting_id}")
        match = SEATS_LEFT_RE.search(page) if status == 200 else None
        pages[f"seats left ({who})"] = int(match.group(1)) if match else -1

    with app.app_context():
        proposal = db.session.get(Proposal, data.proposal_id)
        meeting = db.session.get(Meeting, data.meeting_id)
        support_rows = db.session.scalar(select(func.count()).select_from(Support)
                                         .where(Support.proposal_id == proposal.id))
        checks.append(Check("supports: rows", supporters, support_rows))
        checks.append(Check("supports: proposal's counter", supporters, proposal.support_count))
        checks.append(Check("supports: on the page (visitor)", supporters, page=pages["supports (visitor)"]))
        checks.append(Check("supports: on the page (signed in)", supporters, page=pages["supports (signed in)"]))

        proposal_comments = db.session.scalar(select(func.count()).select_from(Comment).where(
            Comment.proposal_id == proposal.id))
        shown = db.session.scalar(select(func.count()).select_from(Comment).where(
            Comment.proposal_id == proposal.id, Comment.deleted_at.is_(None)))
        checks.append(Check("comments on the proposal: rows = posts answered", comments_answered, proposal_comments))
        checks.append(Check("comments on the proposal: all posted", options.people, proposal_comments))
        checks.append(Check("comments on the proposal: not deleted", options.people - deleted, shown))
        checks.append(Check("comments on the proposal: counter = rows not deleted", shown, proposal.comment_count))
        meeting_comments = db.session.scalar(select(func.count()).select_from(Comment).where(
            Comment.meeting_id == meeting.id, Comment.deleted_at.is_(None)))
        checks.append(Check("comments on the meeting: rows = posts answered", meeting_comments_answered,
                            meeting_comments))
        checks.append(Check("comments on the meeting: all posted", options.people, meeting_comments))

        by_status = dict(db.session.execute(select(Registration.status, func.count()).where(
            Registration.meeting_id == meeting.id).group_by(Registration.status)).all())
        registered = by_status.get(Registration.REGISTERED, 0)
        checks.append(Check("registrations: given a seat", seated, registered))
        checks.append(Check("registrations: on the waitlist", active - seated, by_status.get(Registration.WAITLISTED, 0)))
        checks.append(Check("registrations: cancelled", cancelled, by_status.get(Registration.CANCELLED, 0)))
        checks.append(Check("registrations: rows (one per person)", options.registrants, sum(by_status.values())))
        double = db.session.scalar(select(func.count()).select_from(
            select(Registration.user_id).where(Registration.meeting_id == meeting.id)
            .group_by(Registration.user_id).having(func.count() > 1).subquery()))
        checks.append(Check("registrations: people with two rows", 0, double))
        checks.append(Check("seats taken: meeting's counter = seats given", registered, meeting.seats_taken))
        checks.append(Check("seats taken: within capacity", min(registered, options.seats), registered))
        workshop = db.session.get(Meeting, data.workshop_id)
        by_status = dict(db.session.execute(select(Registration.status, func.count()).where(
            Registration.meeting_id == workshop.id).group_by(Registration.status)).all())
        checks.append(Check("workshop: given a seat (every freed seat taken)", options.workshop_seats,
                            by_status.get(Registration.REGISTERED, 0)))
        checks.append(Check("workshop: on the waitlist", 0, by_status.get(Registration.WAITLISTED, 0)))
        checks.append(Check("workshop: cancelled", workshop_swaps, by_status.get(Registration.CANCELLED, 0)))
        checks.append(Check("workshop: meeting's counter = seats given", by_status.get(Registration.REGISTERED, 0),
                            workshop.seats_taken))
        checks.append(Check("seats left: on the page (visitor)", options.seats - seated,
                            page=pages["seats left (visitor)"]))
        checks.append(Check("seats left: on the page (signed in)", options.seats - seated,
                            page=pages["seats left (signed in)"]))

        # The round's totals and participants, against a recount from the rows (rolled back).
        kept = db.session.get(RoundStats, data.round_id)
        kept = {name: getattr(kept, name) for name in (*stats.COUNTERS, "participants")} if kept else {}
        kept_people = dict(db.session.execute(select(RoundParticipant.user_id, RoundParticipant.contributions)
                                              .where(RoundParticipant.round_id == data.round_id)).all())
        stats.rebuild([data.round_id])
        db.session.expire_all()
        recount = db.session.get(RoundStats, data.round_id)
        recount_people = dict(db.session.execute(select(RoundParticipant.user_id, RoundParticipant.contributions)
                                                 .where(RoundParticipant.round_id == data.round_id)).all())
        db.session.rollback()
        for name in (*stats.COUNTERS, "participants"):
            checks.append(Check(f"round totals: {name} = recount", getattr(recount, name), kept.get(name)))
        checks.append(Check("round totals: supports", supporters, kept.get("supports")))
        checks.append(Check("round totals: comments", 2 * options.people - deleted, kept.get("comments")))
        checks.append(Check("round totals: participants (people and the author)", options.people + 1,
                            kept.get("participants")))
        differing = sum(1 for uid in set(kept_people) | set(recount_people)
                        if kept_people.get(uid) != recount_people.get(uid))
        checks.append(Check("round participants: contributions differing from a recount", 0, differing))
        db.session.remove()
    return checks


# --------------------------------------------------------------------------- output

def table(result: Result) -> str:
    o = result.options
    threads = f" --threads {o['threads']}" if o["worker_class"] == "gthread" else ""
    lines = [f"reliability: {o['db']}, gunicorn -w {o['workers']} -k {o['worker_class']}{threads}; "
             f"{o['people']} people, {o['seats']} seats, {o['registrants']} registrants, "
             f"{o['cancellations']} cancellations; a workshop of {o['workshop_seats']} seats",
             "",
             f"{'requests':<58} {result.requests:>6}",
             f"{'5xx answers':<58} {result.server_errors:>6}",
             f"{'other answers than a redirect (5xx included)':<58} {result.unexpected:>6}",
             f"{'no answer':<58} {result.no_answer:>6}",
             f"{'wrong counts':<58} {len(result.wrong_counts):>6}",
             f"{'seconds (wave 1, wave 2)':<58} {result.seconds.get('wave 1', '-')!s:>6} "
             f"{result.seconds.get('wave 2', '-')!s:>6}",
             "",
             f"{'answers by request':<40} statuses"]
    for kind, statuses in result.statuses.items():
        described = ", ".join(f"{n} × {s}" for s, n in sorted(statuses.items()))
        lines.append(f"  {kind:<38} {described}")
    lines += ["", f"{'count':<58} {'expected':>8} {'database':>8} {'page':>6}  ok"]
    for check in result.checks:
        db_value = "-" if check.database is None else str(check.database)
        page = "-" if check.page is None else str(check.page)
        lines.append(f"  {check.name:<56} {check.expected:>8} {db_value:>8} {page:>6}  {'✓' if check.ok else '✗'}")
    if result.errors_logged:
        lines += ["", "errors in the server's log:"] + [f"  {line}" for line in result.errors_logged]
    lines += ["", "result: " + ("no 5xx, every count exact" if not result.problems else
                                 "FAILED: " + "; ".join(result.problems))]
    return "\n".join(lines)


def parse(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench.reliability", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--postgres-server", default=DEFAULT_POSTGRES)
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="sync")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--registrants", type=int, default=100)
    parser.add_argument("--cancellations", type=int, default=None)
    parser.add_argument("--workshop-seats", type=int, default=None)
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.people < 1 or args.seats < 1 or args.workers < 1:
        parser.error("--people, --seats and --workers are at least 1")
    options = Options(db=args.db, worker_class=args.worker_class, workers=args.workers, threads=args.threads,
                      people=args.people, seats=args.seats, registrants=args.registrants,
                      cancellations=args.cancellations, workshop_seats=args.workshop_seats, postgres_server=args.postgres_server)
    options.json = args.json  # type: ignore[attr-defined]
    return options


def main(argv: list[str] | None = None) -> int:
    import logging

    options = parse(argv)
    logging.getLogger("engage").setLevel(logging.WARNING)  # the table is the output
    try:
        result = run(options)
    except KeyboardInterrupt:
        load.stop_all()
        return 130
    print(table(result))
    path = getattr(options, "json", None)
    if path:
        Path(path).write_text(json.dumps(result.as_dict(), indent=2, default=str))
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())
