"""Shared fixtures.

The schema is built once per run through the migrations (never ``create_all``),
against SQLite by default or PostgreSQL when ``TEST_DATABASE_URL`` is set.
Each test starts from empty tables: requests commit for real, as in
production, and the rows are cleared afterwards.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass

import pytest

os.environ.setdefault("ENGAGE_ENV", "testing")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import MetaData, text  # noqa: E402

from engage import create_app  # noqa: E402
from engage.cli import compile_catalogs  # noqa: E402
from engage.config import normalise_database_url  # noqa: E402
from engage.extensions import db, limiter  # noqa: E402

PASSWORD = "correct horse battery staple"


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "engage-test.sqlite")


def drop_everything() -> None:
    """Drop every table, including Alembic's, so the migrations start from zero."""
    meta = MetaData()
    meta.reflect(bind=db.engine)
    meta.drop_all(bind=db.engine)
    db.session.remove()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    compile_catalogs()
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
            "MAIL_BACKEND": "log",
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_ENABLED": True,
            "WTF_CSRF_ENABLED": True,
            "SERVER_NAME": None,
            "BASE_URL": "http://localhost",
            # Staff accounts of the other features' tests sign in with a password alone; the tests of
            # two-factor sign-in (tests/auth/test_two_factor.py) turn the requirement on.
            "TWO_FACTOR_REQUIRED_FOR_STAFF": False,
            "EXPORT_FOLDER": str(tmp_path_factory.mktemp("exports")),
        }
    )
    with app.app_context():
        drop_everything()
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def clear_tables(app) -> None:
    """Empty every table. On PostgreSQL, deleting the few rows a test made and restarting the
    sequences takes a tenth of the time a TRUNCATE of every table does, with the same result."""
    with app.app_context():
        db.session.remove()
        tables = [t for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            for table in tables:
                conn.execute(table.delete())
            if conn.dialect.name == "postgresql":
                for name in conn.execute(text(
                        "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")).scalars():
                    conn.execute(text(f'ALTER SEQUENCE "{name}" RESTART'))


@pytest.fixture(autouse=True)
def _clean_state(app):
    limiter.reset()
    yield
    clear_tables(app)
    limiter.reset()
    with app.app_context():
        from engage.core.cache import clear as clear_cache

        clear_cache()


@dataclass
class Person:
    id: int
    email: str
    password: str
    display_name: str


@pytest.fixture
def create_user(app):
    """Create a user in one call: ``create_user(roles=("admin",), confirmed=True, ...)``.

    People read the site in English unless a test gives another ``locale``.
    """
    from engage.auth import services
    from engage.core.permissions import Role

    counter = {"n": 0}

    def make(email=None, *, display_name=None, password=PASSWORD, locale="en", roles=(), confirmed=True, active=True) -> Person:
        counter["n"] += 1
        email = email or f"person{counter['n']}@example.org"
        with app.app_context():
            user = services.create_user(
                email=email, display_name=display_name or f"Person {counter['n']}", password=password,
                locale=locale, roles=tuple(Role(r) for r in roles), confirmed=confirmed,
            )
            user.active = active
            db.session.commit()
            return Person(user.id, user.email, password, user.display_name)

    return make


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    """The Flask test client with what a real browser does: it carries the CSRF token."""

    def __init__(self, client):
        self.client = client

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def csrf_token(self, url=None) -> str:
        """The token of this browser's session, read from ``url`` (default: a page with a form)."""
        candidates = [url or "/", "/account/sign-in"]  # visitors' pages carry no token; the sign-in form does
        for candidate in candidates:
            page = self.client.get(candidate)
            match = CSRF_RE.search(page.get_data(as_text=True))
            if match:
                return match.group(1)
        raise AssertionError(f"no CSRF token on {candidates} ({page.status_code})")

    def submit(self, url, data=None, *, form_url=None, follow_redirects=False, **kwargs):
        """GET the page holding the form, then POST ``data`` with its CSRF token."""
        payload = dict(data or {})
        payload["csrf_token"] = self.csrf_token(form_url or url)
        return self.client.post(url, data=payload, follow_redirects=follow_redirects, **kwargs)

    def sign_in(self, person: Person, remember=False):
        response = self.submit(
            "/account/sign-in", {"email": person.email, "password": person.password, "remember": "y" if remember else ""}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def sign_out(self):
        return self.submit("/account/sign-out", form_url="/")


def english_client(app, **environ):
    """Another browser (its own cookies) that reads the site in English, with these WSGI environ values."""
    client = app.test_client()
    client.environ_base.update({"HTTP_ACCEPT_LANGUAGE": "en", **environ})
    return client


@pytest.fixture
def client(app):
    """A test client that reads the site in English unless a test says otherwise."""
    return english_client(app)


@pytest.fixture
def browser(client):
    return Browser(client)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Outbox(list):
    def to(self, email):
        return [m for m in self if m.to == email]

    def last_link(self, email, path_part):
        for message in reversed(self.to(email)):
            match = re.search(r"https?://\S*" + re.escape(path_part) + r"\S*", message.text)
            if match:
                return match.group(0)
        raise AssertionError(f"no message to {email} with a link containing {path_part}")


class _Collector(logging.Handler):
    def __init__(self, outbox):
        super().__init__(logging.INFO)
        self.outbox = outbox

    def emit(self, record):
        message = getattr(record, "mail_message", None)
        if message is not None:
            self.outbox.append(message)


@pytest.fixture
def outbox():
    """Messages sent through the development (log) mail backend during the test."""
    box = Outbox()
    handler = _Collector(box)
    logger = logging.getLogger("engage.mail")
    logger.addHandler(handler)
    yield box
    logger.removeHandler(handler)


def path_of(url: str) -> str:
    """The path and query of an absolute URL, for the test client."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.path + (("?" + parts.query) if parts.query else "")


# --- Consultation rounds and proposals ------------------------------------------

from datetime import datetime, timedelta, timezone  # noqa: E402

T0 = datetime(2026, 3, 1, 10, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)

# A round whose phases follow one another, each ten days long, from T0.
STANDARD_PHASES = [
    ("information", T0, T0 + 10 * DAY),
    ("call_for_proposals", T0 + 10 * DAY, T0 + 20 * DAY),
    ("deliberation", T0 + 20 * DAY, T0 + 30 * DAY),
    ("prioritisation", T0 + 30 * DAY, T0 + 40 * DAY),
    ("drafting", T0 + 40 * DAY, T0 + 50 * DAY),
    ("feedback", T0 + 50 * DAY, T0 + 60 * DAY),
    ("closed", T0 + 60 * DAY, T0 + 400 * DAY),
]


def phase_start(name: str) -> datetime:
    return next(start for kind, start, _ in STANDARD_PHASES if kind == name)


@pytest.fixture
def clock():
    """Move the site's clock: ``clock(datetime)`` or ``clock.to_phase("deliberation")``."""
    from engage.core import time as site_time

    class Clock:
        def __call__(self, moment):
            site_time.travel_to(moment)

        def to_phase(self, name, offset=timedelta(hours=1)):
            site_time.travel_to(phase_start(name) + offset)

    yield Clock()
    site_time.travel_to(None)


@pytest.fixture
def create_round(app):
    """A round in one call: ``create_round(facilitators=[person], phases=..., published=True)``."""
    from engage.auth.models import User
    from engage.rounds import services
    from engage.rounds.phases import PhaseType

    def make(*, title="Co-creation of the Kyiv OGP Local Action Plan", summary="Bring your ideas for open government.",
             description="", default_locale="en", texts=None, organiser="Kyiv City State Administration",
             topics=("Transparency", "Participation"), phases=STANDARD_PHASES, published=True,
             facilitators=(), district=None) -> int:
        with app.app_context():
            creator = db.session.get(User, facilitators[0].id) if facilitators else None
            round_ = services.Round(default_locale=default_locale, organiser=organiser, district=district)
            services._set_texts(round_, texts or {default_locale: services.Texts(title, summary, description)})
            services.set_topics(round_, list(topics))
            for person in facilitators:
                round_.facilitators.append(services.RoundFacilitator(user_id=person.id))
            round_.created_by_id = creator.id if creator else None
            db.session.add(round_)
            db.session.flush()
            for kind, start, end in phases:
                services.add_phase(round_, type=PhaseType(kind), starts_at=start, ends_at=end)
            if published:
                services.publish(round_)
            db.session.commit()
            return round_.id

    return make


@pytest.fixture
def create_proposal(app):
    """A proposal in one call: ``create_proposal(round_id, author, title=..., body=...)``."""
    from engage.auth.models import User
    from engage.proposals import services
    from engage.rounds.models import Round

    def make(round_id, author, *, title="Open data on city budget spending", topic=None, district=None, locale="en",
             body="Publish every contract of the city budget as open data, updated each week.") -> int:
        with app.app_context():
            round_ = db.session.get(Round, round_id)
            topic_id = next((t.id for t in round_.topics if t.name == topic), None) if topic else None
            proposal = services.submit_proposal(
                round_, db.session.get(User, author.id), title=title, body=body, topic_id=topic_id,
                district=district, locale=locale,
            )
            db.session.commit()
            return proposal.id

    return make


# --- Organisations (the forum, endorsements, privacy and maintenance tests use them) ----------


@pytest.fixture
def create_organisation(app):
    """A registered organisation: ``create_organisation(representative, verified=True, name=...)``."""
    from engage.auth.models import User
    from engage.organisations import services
    from engage.organisations.kinds import with_check_digit

    counter = {"n": 0}

    def make(representative, *, name=None, kind="ngo", verified=True, areas=("participation",), districts=()) -> int:
        counter["n"] += 1
        with app.app_context():
            user = db.session.get(User, representative.id)
            organisation = services.register(services.Details(
                name_uk=name or f"ГО «Організація {counter['n']}»", name_en=f"NGO Organisation {counter['n']}", kind=kind,
                edrpou=with_check_digit(f"{4000000 + counter['n']:07d}") if kind == "ngo" else "",
                areas=list(areas), districts=list(districts)), user)
            if verified:
                organisation.status = organisation.VERIFIED
            db.session.commit()
            return organisation.id

    return make
