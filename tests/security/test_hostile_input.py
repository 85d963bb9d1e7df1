"""Hostile input on every form and every list: never a server error, and a refusal writes nothing.

Hypothesis posts arbitrary text, control characters, huge values, numbers and dates out of range, wrong
types (repeated keys, text for numbers and dates, a string for a file) and missing fields to every POST
route of the site, each time signed in as someone allowed to use it and with a valid CSRF token (a
missing token is a 400 by design, which is not what is tested here). It also fuzzes the list parameters
(page, sort, filters, search, survey cross-tabs, audit filters, ``next``) of the pages and of the API.

The properties, for every request:

* it is not a server error. In testing Flask lets a view's exception escape, so an exception here is
  the 500 a visitor would get;
* a refusal (any 4xx: 400, 403, 404, 409, 413, 422, 429), of a form or of a list, writes nothing: the
  request's transaction is committed only below 400, so no commit may reach the database and every
  table keeps its rows (see :class:`Witness`);
* a form shown again (200 or 422) is the form, not an error page;
* the API answers JSON, whatever it is asked.

The examples of one test run against the same database (the tables are emptied after each test, not
after each example): they do not rely on a clean state, and what they create or delete only changes
the state later examples meet. Few examples per route, derandomized, keep the run short and stable.
"""
from __future__ import annotations

import io
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from html.parser import HTMLParser
from typing import Callable
from urllib.parse import unquote, urlencode, urlsplit

import pyotp
import pytest
from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st

from engage.extensions import db, limiter
from tests.conftest import CSRF_RE, DAY, PASSWORD, T0, Browser

EXAMPLES = int(os.environ.get("HOSTILE_INPUT_EXAMPLES", "12"))
ACTION_EXAMPLES = int(os.environ.get("HOSTILE_INPUT_ACTION_EXAMPLES", "6"))
LIST_EXAMPLES = int(os.environ.get("HOSTILE_INPUT_LIST_EXAMPLES", "12"))


def _settings(examples: int):
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None, print_blob=False,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


ERROR_PAGE = 'class="narrow error-page"'  # templates/errors/error.html


# --- Hostile values -------------------------------------------------------------------------------------


class Huge(str):
    """A 100,000-character value, shown short in Hypothesis's reports."""

    def __repr__(self):
        return f"Huge({self[:1]!r} * {len(self)})"

    def _repr_pretty_(self, printer, cycle):
        printer.text(repr(self))


class Missing:
    """The field is left out of the request."""

    def __repr__(self):
        return "MISSING"

    def _repr_pretty_(self, printer, cycle):
        printer.text("MISSING")


MISSING = Missing()

# Numbers out of every range: negative, zero, 32- and 64-bit overflow, more digits than int() takes (4300),
# scientific notation, not-a-number, other scripts' digits (int("１２") is 12; "²".isdigit() yet int("²") fails).
NUMBERS = ["-1", "0", "-0", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
           "9223372036854775808", "1" + "0" * 30, "9" * 5000, "1e9", "1.5", "NaN", "inf", "-inf", "0x1F",
           " 7 ", "1_000", "１２", "١٢", "²", "٣"]
# Dates that do not exist, are out of range or are in another format.
DATES = ["2026-02-30", "2026-02-29", "2026-13-01", "2026-00-10", "0000-01-01", "0001-01-01", "9999-12-31",
         "10000-01-01", "-2026-01-01", "2026-1-1", "2026-05-04T25:61", "0001-01-01T00:00", "9999-12-31T23:59",
         "2026-05-04T10:00:00Z", "2026-05-04 10:00", "2026-05", "0000-00", "9999-12", "2026-13", "today", "1e9"]
# Addresses and references: some parse, some make urlsplit() raise.
URLISH = ["http://[", "//[::1", "https://[::1]:99999/", "//evil.example/", "/\\evil", "javascript:alert(1)",
          "https://example.org/" + "a" * 3000, "proposal:1", "proposal:99999999999", "comment:-1", "plan:",
          ":", "#12", "../../etc/passwd"]
TRICKY = ["", " ", "\t", "\r\n", "\x7f", "\x1b[31mred", "\u202eevil", "\ufeff", "\u200b", "a\u0301", "🙂🙂",
          "<script>alert(1)</script>", "'; DROP TABLE users; --", "%s%n%x", "{{ 7*7 }}", "${jndi:ldap://x}",
          "None", "null", "true", "[]", "{}", "@", "a@b", "x" * 300 + "@example.org", "NUL\x00inside"]

CHARACTERS = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
TEXT = st.text(CHARACTERS, max_size=30)
CONTROL = st.text(st.characters(categories=("Cc", "Cf", "Zl", "Zp"), exclude_characters="\x00"), min_size=1,
                  max_size=8)
HUGE = st.sampled_from(["x", "é", "🙂", "\x01", "<", "9", " ", "\n"]).map(lambda c: Huge(c * 100_000))
SCALAR = st.one_of(TEXT, CONTROL, st.sampled_from(TRICKY), st.sampled_from(NUMBERS), st.sampled_from(DATES),
                   st.sampled_from(URLISH), HUGE)
# A value put where one string is expected: a string, nothing, or several (the key repeated).
HOSTILE = st.one_of(SCALAR, st.just(MISSING), st.lists(SCALAR, min_size=2, max_size=3))

EXTRA_KEYS = st.one_of(
    st.sampled_from(["next", "back", "id", "user_id", "author_id", "round_id", "role", "roles", "status", "admin",
                     "is_admin", "support", "direction", "confirm", "page", "locale", "target", "submit", "grant",
                     "revoke"]),
    st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz_-[].0123456789"), min_size=1, max_size=12),
)


# A field the form does not have; ``next`` (followed after many actions) often, with an address.
EXTRA = st.one_of(st.tuples(EXTRA_KEYS, SCALAR), st.tuples(st.just("next"), st.sampled_from(URLISH)))


@dataclass(frozen=True)
class Upload:
    content: bytes
    filename: str

    def __repr__(self):
        return f"Upload({self.content[:12]!r}..{len(self.content)} bytes, {self.filename!r})"

    def _repr_pretty_(self, printer, cycle):
        printer.text(repr(self))


UPLOADS = st.builds(
    Upload,
    content=st.sampled_from([b"", b"%PDF-1.4\n%%EOF\n", b"PK\x03\x04not really a zip", b"\x00" * 64,
                             b"<html><script>alert(1)</script></html>", b"%PDF-" + b"x" * 200_000]),
    filename=st.sampled_from(["plan.pdf", "", "../../etc/passwd.pdf", "a" * 300 + ".pdf", "\u202efdp.exe",
                              "отчёт 2026.docx", "con.pdf", ".pdf", "x.PDF", "two.pdf.exe"]),
)


@dataclass(frozen=True)
class Plan:
    """How to fill a form whatever its fields: Hypothesis draws the plan, the test applies it to the form.

    ``valid``: every field a plausible value; ``focus``: all valid but one or two; ``mixed``: each field
    valid or hostile; ``missing``: no field at all; ``lists``: every field sent twice; ``huge``: every
    field 100,000 characters long; ``max`` and ``min``: every field the extreme of its kind (dates in
    the year 9999 or 1, numbers of 20 digits, unparsable addresses)."""

    mode: str
    picks: tuple = (0,)
    values: tuple = ("",)
    goods: tuple = (0,)
    bits: tuple = (True,)
    extras: tuple = ()
    multipart: bool = False
    upload: Upload | None = None
    url: int = 0


PLANS = st.builds(
    Plan,
    mode=st.sampled_from(["focus", "focus", "focus", "mixed", "mixed", "valid", "missing", "lists", "huge"]),
    picks=st.lists(st.integers(0, 63), min_size=1, max_size=2).map(tuple),
    values=st.lists(HOSTILE, min_size=1, max_size=4).map(tuple),
    goods=st.lists(st.integers(0, 7), min_size=1, max_size=4).map(tuple),
    bits=st.lists(st.booleans(), min_size=1, max_size=6).map(tuple),
    extras=st.lists(EXTRA, max_size=2).map(tuple),
    multipart=st.booleans(),
    upload=st.none() | UPLOADS,
    url=st.integers(0, 7),
)

EXTREME_MAX = Plan("max", extras=(("next", "http://["), ("page", "99999999999999999999")))
EXTREME_MIN = Plan("min", extras=(("next", "//[::1"), ("page", "-1")), multipart=True)
EVERY_FIELD_TWICE = Plan("lists", values=("99999999999999999999", "²"), url=1)
VALID_BUT_NEXT = Plan("valid", extras=(("next", "http://["),))  # a form that succeeds, then follows ``next``

EXTREMES = {
    "max": {"date": "9999-12-31", "datetime-local": "9999-12-31T23:59", "month": "9999-12",
            "number": "99999999999999999999", "select": "99999999999999999999", "radio": "99999999999999999999",
            "checkbox": "99999999999999999999", "submit": "99999999999999999999", "*": "http://["},
    "min": {"date": "0001-01-01", "datetime-local": "0001-01-01T00:00", "month": "0001-01",
            "number": "-99999999999999999999", "select": "-1", "radio": "-1", "checkbox": "-1", "submit": "0",
            "*": "²"},
}


# --- Reading forms from pages ---------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # an <input> type, "select", "select-multiple", "textarea" or "submit"
    options: list = field(default_factory=list)
    default: object = ""
    preferred: list = field(default_factory=list)  # the route's own good values (a known account's email...)

    @property
    def is_file(self) -> bool:
        return self.kind == "file"


@dataclass
class Form:
    action: str
    method: str
    inputs: list = field(default_factory=list)

    def token_fields(self) -> set[str]:
        return {name for _kind, name, *_rest in self.inputs if name.endswith("csrf_token")} | {"csrf_token"}

    def fields(self) -> dict[str, Field]:
        """The form's fields by name; radio buttons and checkboxes of one name make one field."""
        found: dict[str, Field] = {}
        for kind, name, value, checked, options in self.inputs:
            if name.endswith("csrf_token"):  # always valid (a form with a prefix has its own: "p12-csrf_token")
                continue
            if kind in ("radio", "checkbox", "submit", "button", "image"):
                kind = "submit" if kind in ("button", "image") else kind
                item = found.setdefault(name, Field(name, kind, [], [] if kind == "checkbox" else ""))
                item.options.append(value)
                if checked:
                    if kind == "checkbox":
                        item.default.append(value)
                    else:
                        item.default = value
            elif kind in ("select", "select-multiple"):
                selected = [v for v, is_selected in options if is_selected]
                found[name] = Field(name, kind, [v for v, _s in options],
                                    selected if kind == "select-multiple" else (selected[0] if selected else ""))
            else:
                found.setdefault(name, Field(name, kind, [], value))
        return found


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form((a.get("action") or ""), (a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "button") and a.get("name"):
            kind = (a.get("type") or ("submit" if tag == "button" else "text")).lower()
            value = a.get("value")
            if value is None:
                value = "on" if kind == "checkbox" else ""
            self._form.inputs.append((kind, a["name"], value, "checked" in a, None))
        elif tag == "select" and a.get("name"):
            self._select = ["select-multiple" if "multiple" in a else "select", a["name"], []]
        elif tag == "option" and self._select is not None:
            self._select[2].append((a.get("value") or "", "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], []]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "select" and self._select is not None:
            kind, name, options = self._select
            self._form.inputs.append((kind, name, "", False, options))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            text = "".join(text)
            text = text[2:] if text.startswith("\r\n") else text[1:] if text.startswith("\n") else text  # as browsers do
            self._form.inputs.append(("textarea", name, text, False, None))
            self._textarea = None
        elif tag == "form":
            self._form = None


def post_forms(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return [f for f in parser.forms if f.method == "post"]


def form_for(html: str, url: str, page: str) -> Form | None:
    """The form of ``page`` that posts to ``url``: one naming it as action, or (on its own page) one without action."""
    path = unquote(urlsplit(url).path)
    forms = post_forms(html)
    matching = [f for f in forms if f.action and unquote(urlsplit(f.action).path) == path]
    if unquote(urlsplit(page).path) == path:
        matching += [f for f in forms if not f.action]
    return max(matching, key=lambda f: len(f.inputs)) if matching else None


# --- Plausible values, so that a focused plan reaches the checks past the one field it spoils -------------

SENSIBLE_TEXT = "Open data on the spending of every district"
PLACEHOLDERS = ("", "0", None)  # "Choose a topic", "No round"...
SENSIBLE_LONG_TEXT = "Publish every contract of the city budget as open data, updated each week, with a map."


def good_values(f: Field) -> list:
    """Values a person could well send in this field (the form's own first, when it has one)."""
    if f.preferred:
        return f.preferred
    name = f.name.lower()
    if f.kind == "checkbox":
        return [f.default or [f.options[0]], [f.options[0]], f.options[:2], MISSING]
    if f.kind in ("select", "select-multiple", "radio", "submit"):
        values = [v for v in f.options if v not in PLACEHOLDERS] or list(f.options) or [""]
        if f.default not in PLACEHOLDERS and not isinstance(f.default, list):
            values.insert(0, f.default)
        if f.kind == "select-multiple":
            return [f.default or values[:1], values[:2]]
        return values
    if f.kind == "hidden" or (f.default not in ("", None) and f.kind != "password"):
        return [f.default]
    if f.kind == "password":
        return [PASSWORD]
    if f.kind == "file":
        return [MISSING]
    if f.kind == "date":
        return ["2026-03-15" if "end" not in name and "until" not in name else "2026-06-15"]
    if f.kind == "datetime-local":
        later = any(word in name for word in ("ends", "closes", "end", "until"))
        return ["2026-06-01T12:00" if later else "2026-06-01T10:00"]
    if f.kind == "month":
        return ["2026-12" if "end" in name else "2026-02"]
    if f.kind == "number":
        return ["5"]
    if "email" in name:
        return ["someone.new@example.org"]
    if any(word in name for word in ("url", "website", "link", "evidence")) or f.kind == "url":
        return ["https://example.org/documents/plan.pdf"]
    if name == "edrpou":
        from engage.organisations.kinds import with_check_digit

        return [with_check_digit("4123456")]
    if name in ("code",) or name.endswith("-code"):
        return ["123456"]
    if name in ("number",):
        return ["7"]
    if f.kind == "textarea" or any(word in name for word in ("body", "description", "text", "reason", "statement")):
        return [SENSIBLE_LONG_TEXT]
    return [SENSIBLE_TEXT]


def fill(plan: Plan, fields: dict[str, Field]) -> dict:
    """The request's form data for ``plan`` on these fields (files as :class:`Upload`)."""
    names = sorted(fields)
    data: dict = {}

    def good(i, f):  # shifted by the field's place, so that fields of one kind (ranks) get different values
        values = good_values(f)
        return values[(plan.goods[i % len(plan.goods)] + i) % len(values)]

    def bad(i):
        return plan.values[i % len(plan.values)]

    spoiled = {p % len(names) for p in plan.picks} if names else set()
    for i, name in enumerate(names):
        f = fields[name]
        if plan.mode == "valid":
            value = good(i, f)
        elif plan.mode == "missing":
            value = MISSING
        elif plan.mode == "focus":
            value = bad(i) if i in spoiled else good(i, f)
        elif plan.mode == "mixed":
            value = bad(i) if plan.bits[i % len(plan.bits)] else good(i, f)
        elif plan.mode == "lists":
            value = [v for v in _flat(good(i, f)) + _flat(bad(i))] or ["x", "y"]
            if len(value) < 2:
                value = value + value
        elif plan.mode == "huge":
            value = next((v for v in plan.values if isinstance(v, Huge)), Huge("x" * 100_000))
        else:  # max, min
            value = EXTREMES[plan.mode].get(f.kind, EXTREMES[plan.mode]["*"])
        if value is not MISSING:
            data[name] = value
    for key, value in plan.extras:
        if key.endswith("csrf_token"):
            continue
        data[key] = _flat(data[key]) + [value] if key in data else value
    if plan.upload is not None:
        for name in names:
            if fields[name].is_file:
                data[name] = plan.upload
    return data


def _flat(value) -> list:
    if value is MISSING:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def short(value) -> str:
    if isinstance(value, Upload):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(short(v) for v in value) + "]"
    text = str(value)
    return repr(text) if len(text) <= 60 else f"{text[:20]!r}…({len(text)} chars)"


def describe(data: dict) -> str:
    return "{" + ", ".join(f"{k!r}: {short(v)}" for k, v in data.items()) + "}"


# --- The database, before and after ---------------------------------------------------------------------


class Witness:
    """Whether anything was written. On SQLite, ``PRAGMA data_version`` read on a connection of its own changes
    with every commit of any other connection, so a refused request must leave it as it was; the row count of
    every table names what changed. On other databases, every row of every table is compared."""

    def __init__(self, app):
        self.app = app
        with app.app_context():
            self.tables = [table.name for table in db.metadata.sorted_tables]
            url = db.engine.url
            self.connection = sqlite3.connect(url.database) if url.get_backend_name() == "sqlite" else None
        self.counts = "SELECT " + ", ".join(f'(SELECT count(*) FROM "{name}")' for name in self.tables)

    def state(self):
        if self.connection is not None:
            version = self.connection.execute("PRAGMA data_version").fetchone()[0]
            return version, dict(zip(self.tables, self.connection.execute(self.counts).fetchone()))
        with self.app.app_context(), db.engine.connect() as connection:
            return None, {table.name: sorted(repr(tuple(row)) for row in connection.execute(table.select()))
                          for table in db.metadata.sorted_tables}

    @staticmethod
    def changes(before, after) -> list[str]:
        """What differs: the tables that changed, or that some commit happened."""
        tables = sorted(name for name in before[1] if before[1][name] != after[1].get(name))
        if tables or before[0] == after[0]:
            return tables
        return ["(a commit that left every row count as it was)"]

    def close(self):
        if self.connection is not None:
            self.connection.close()


@pytest.fixture
def witness(app):
    watching = Witness(app)
    yield watching
    watching.close()


# --- A world with one of everything -----------------------------------------------------------------------


class World:
    """Objects made the first time a route asks for them, so each test builds only what it uses."""

    def __init__(self, app, create_user, create_round, create_proposal, create_meeting, create_forum,
                 create_organisation, build_plan):
        self.app = app
        self._user, self._round, self._proposal = create_user, create_round, create_proposal
        self._meeting, self._forum, self._organisation, self._plan = (create_meeting, create_forum,
                                                                       create_organisation, build_plan)
        self.tfa_secret = None

    def context(self):
        return self.app.test_request_context(base_url="http://localhost")

    # People

    @cached_property
    def chief(self):
        """An administrator who also facilitates the round and represents the organisation."""
        return self._user("chief@example.org", roles=("admin", "facilitator"), display_name="Olena Chief")

    @cached_property
    def resident(self):
        return self._user("resident@example.org", display_name="Marta Resident")

    @cached_property
    def colleague(self):
        return self._user("colleague@example.org", roles=("facilitator",), display_name="Ihor Colleague")

    @cached_property
    def guarded(self):
        """A resident who signs in with a code from an authenticator app."""
        from engage.auth.models import User
        from engage.core.time import utcnow

        person = self._user("guarded@example.org", display_name="Taras Guarded")
        secret = pyotp.random_base32()
        with self.context():
            user = db.session.get(User, person.id)
            user.totp_secret, user.totp_enabled_at = secret, utcnow()
            db.session.commit()
        self.tfa_secret = secret
        return person

    # A round, its proposals, comments and documents

    @cached_property
    def round(self) -> int:
        return self._round(facilitators=[self.chief, self.colleague])

    @cached_property
    def topic(self) -> int:
        from engage.rounds.models import Round

        round_id = self.round
        with self.context():
            return db.session.get(Round, round_id).topics[0].id

    @cached_property
    def phase(self) -> int:
        from engage.rounds.models import Round

        round_id = self.round
        with self.context():
            return sorted(db.session.get(Round, round_id).phases, key=lambda p: p.starts_at)[-1].id

    @cached_property
    def own_proposal(self) -> int:
        """The chief's proposal: no comment and no support yet, so its author may still edit it."""
        return self._proposal(self.round, self.chief, title="Benches and shade in every park")

    @cached_property
    def proposal(self) -> int:
        """A resident's proposal, for comments, flags, answers, support and endorsements."""
        return self._proposal(self.round, self.resident)

    def _comment(self, author, proposal_id, body) -> int:
        from engage.comments.models import Comment

        round_id = self.round
        with self.context():
            comment = Comment(round_id=round_id, proposal_id=proposal_id, author_id=author.id, body=body, locale="en",
                              depth=0)
            db.session.add(comment)
            db.session.commit()
            return comment.id

    @cached_property
    def own_comment(self) -> int:
        return self._comment(self.chief, self.proposal, "Which districts would come first?")

    @cached_property
    def comment(self) -> int:
        return self._comment(self.resident, self.proposal, "Obolon and Podil, where the data is missing.")

    @cached_property
    def round_document(self) -> int:
        from engage.rounds import services
        from engage.rounds.models import Round

        round_id = self.round
        with self.context():
            document = services.add_document_link(db.session.get(Round, round_id), title="Terms of the round",
                                                  url="https://example.org/terms.pdf")
            db.session.commit()
            return document.id

    # Meetings

    @cached_property
    def meeting(self) -> int:
        """Published, in a month, with registration."""
        return self._meeting(self.chief, round_id=self.round, registration=True, capacity=30)

    @cached_property
    def draft_meeting(self) -> int:
        return self._meeting(self.chief, round_id=self.round, published=False, title="A meeting in preparation")

    @cached_property
    def past_meeting(self) -> int:
        return self._meeting(self.chief, round_id=self.round, starts_at=T0 + 2 * DAY, title="A meeting held")

    @cached_property
    def meeting_document(self) -> int:
        from engage.meetings import services
        from engage.meetings.models import Meeting

        meeting_id = self.meeting
        with self.context():
            document = services.add_document_link(db.session.get(Meeting, meeting_id), title="Agenda",
                                                  url="https://example.org/agenda.pdf")
            db.session.commit()
            return document.id

    # The forum

    @cached_property
    def forum(self) -> int:
        return self._forum(self.chief)

    @cached_property
    def member(self) -> int:
        from engage.forum import services
        from engage.forum.models import Forum

        forum_id = self.forum
        with self.context():
            member = services.add_member(db.session.get(Forum, forum_id), services.MemberDetails(
                name="Iryna Member", sector="civil_society", organisation_name="Open City NGO",
                term_start=date(2026, 1, 1)))
            db.session.commit()
            return member.id

    @cached_property
    def decision(self) -> int:
        from engage.forum import services
        from engage.forum.models import Forum

        forum_id = self.forum
        with self.context():
            decision = services.add_decision(db.session.get(Forum, forum_id), decided_on=date(2026, 3, 1),
                                             text="Adopt the terms of reference.", meeting_id=None)
            db.session.commit()
            return decision.id

    # Organisations

    @cached_property
    def organisation(self) -> int:
        """Verified, represented by the chief."""
        return self._organisation(self.chief, name="ГО «Відкрите місто»")

    @cached_property
    def pending_organisation(self) -> int:
        return self._organisation(self.resident, verified=False, name="ГО «Нова ініціатива»")

    def _invitation(self, organisation_id, email, by) -> int:
        from engage.organisations.models import Invitation

        with self.context():
            invitation = Invitation(organisation_id=organisation_id, email=email, invited_by_id=by.id)
            db.session.add(invitation)
            db.session.commit()
            return invitation.id

    @cached_property
    def invitation(self) -> int:
        return self._invitation(self.organisation, "new.representative@example.org", self.chief)

    @cached_property
    def invitation_token(self) -> str:
        """An invitation for the chief to represent the pending organisation."""
        from engage.core.tokens import make_token
        from engage.organisations.services import INVITATION_PURPOSE

        invitation_id = self._invitation(self.pending_organisation, self.chief.email, self.resident)
        with self.context():
            return make_token(INVITATION_PURPOSE, invitation_id)

    @cached_property
    def endorsement(self) -> int:
        from engage.auth.models import User
        from engage.endorsements import services, targets
        from engage.organisations.models import Organisation
        from engage.proposals.models import Proposal

        organisation_id, proposal_id, chief = self.organisation, self.own_proposal, self.chief
        with self.context():
            endorsement = services.endorse(db.session.get(Organisation, organisation_id), targets.get("proposal"),
                                           db.session.get(Proposal, proposal_id), db.session.get(User, chief.id),
                                           signed_by="Olena Chief", statement="We support it.")
            db.session.commit()
            return endorsement.id

    # Plans

    @cached_property
    def plan(self) -> dict:
        return self._plan(round_ids=[self.round])

    @cached_property
    def commitment(self) -> int:
        return self.plan["commitment"]

    @cached_property
    def milestone(self) -> int:
        return self.plan["milestones"][0]

    @cached_property
    def draft_plan(self) -> int:
        return self._plan(published=False, title="A plan in preparation")["plan"]

    @cached_property
    def linked_proposal(self) -> int:
        from engage.plans import services
        from engage.plans.models import Commitment
        from engage.proposals.models import Proposal

        commitment_id, proposal_id = self.commitment, self.proposal
        with self.context():
            services.link_proposal(db.session.get(Commitment, commitment_id), db.session.get(Proposal, proposal_id))
            db.session.commit()
        return proposal_id

    @cached_property
    def partner(self) -> int:
        from engage.organisations.models import Organisation
        from engage.plans import services
        from engage.plans.models import Commitment

        commitment_id, organisation_id = self.commitment, self.organisation
        with self.context():
            services.add_partner(db.session.get(Commitment, commitment_id),
                                 db.session.get(Organisation, organisation_id))
            db.session.commit()
        return organisation_id

    # Surveys

    @cached_property
    def survey(self) -> dict:
        """Published and open, results public while it runs, one question of each type and the demographic
        block, answered once by the resident (with a free text)."""
        from engage.auth.models import User
        from engage.rounds.models import Round
        from engage.surveys import answers, services
        from engage.surveys.kinds import QuestionType
        from engage.surveys.models import AnswerItem

        round_id, chief, resident = self.round, self.chief, self.resident

        def spec(kind, prompt, options=(), **kwargs):
            return services.QuestionSpec(type=QuestionType(kind), prompt={"en": prompt},
                                         options=[{"en": o} for o in options], **kwargs)

        with self.context():
            survey = services.create_survey(db.session.get(Round, round_id), db.session.get(User, chief.id),
                                            services.Settings(title={"en": "Open data in Kyiv"},
                                                              introduction={"en": "Five minutes of your time."},
                                                              opens_at=T0, closes_at=T0 + 30 * DAY,
                                                              allow_anonymous=True, results_visibility="live"))
            q = {
                "transport": services.add_question(survey, spec("single", "How do you travel?", ["Bus", "Metro"],
                                                                required=True, allow_other=True)),
                "services": services.add_question(survey, spec("multiple", "Which services do you use?",
                                                               ["Kyiv Digital", "Open data portal", "Website"],
                                                               allow_other=True, max_choices=2)),
                "rating": services.add_question(survey, spec("scale", "Rate the website", scale=(1, 5))),
                "idea": services.add_question(survey, spec("text", "Your idea", max_length=200)),
                "priorities": services.add_question(survey, spec("ranking", "Rank the themes",
                                                                 ["Education", "Heritage", "E-services"])),
            }
            demographic = services.add_demographic_block(survey)
            services.publish(survey)
            answers.save(survey, {q["transport"].id: {"other": "Tram"}, q["rating"].id: 4,
                                  q["idea"].id: "More benches in the parks"}, user_id=resident.id)
            db.session.flush()
            item = db.session.scalar(db.select(AnswerItem).where(AnswerItem.question_id == q["idea"].id))
            db.session.commit()
            return {"id": survey.id, "idea": q["idea"].id, "choice": q["transport"].id,
                    "by": demographic[0].id, "item": item.id}

    @cached_property
    def draft_survey(self) -> dict:
        from engage.auth.models import User
        from engage.rounds.models import Round
        from engage.surveys import services
        from engage.surveys.kinds import QuestionType

        round_id, chief = self.round, self.chief
        with self.context():
            survey = services.create_survey(db.session.get(Round, round_id), db.session.get(User, chief.id),
                                            services.Settings(title={"en": "A survey in preparation"},
                                                              introduction={"en": "Soon."},
                                                              opens_at=T0 + 20 * DAY, closes_at=T0 + 40 * DAY))
            first = services.add_question(survey, services.QuestionSpec(
                type=QuestionType.SINGLE, prompt={"en": "Which district?"},
                options=[{"en": "Obolon"}, {"en": "Podil"}]))
            services.add_question(survey, services.QuestionSpec(type=QuestionType.TEXT, prompt={"en": "Why?"}))
            db.session.commit()
            return {"id": survey.id, "question": first.id}

    # Accounts: sign-ins, emailed links

    @cached_property
    def other_sign_in(self) -> int:
        """A sign-in of the chief on another device."""
        import hashlib
        import secrets

        from engage.auth.models import UserSession
        from engage.auth.sessions import wall_clock

        chief = self.chief
        with self.context():
            moment = wall_clock()
            row = UserSession(key_hash=hashlib.sha256(secrets.token_bytes(16)).hexdigest(), user_id=chief.id,
                              created_at=moment, last_seen_at=moment, remember=False, ip_address="192.0.2.7",
                              user_agent="Mozilla/5.0 (Android) Firefox/130.0")
            db.session.add(row)
            db.session.commit()
            return row.id

    @cached_property
    def reset_token(self) -> str:
        from engage.auth.models import User
        from engage.auth.services import RESET
        from engage.core.tokens import make_token

        resident = self.resident
        with self.context():
            user = db.session.get(User, resident.id)
            return make_token(RESET, {"id": user.id, "st": user.session_token})

    @cached_property
    def unsubscribe_token(self) -> str:
        from engage.auth.models import User
        from engage.notifications import services
        from engage.notifications.kinds import KIND_LABELS

        chief = self.chief
        with self.context():
            return services.unsubscribe_token(db.session.get(User, chief.id), next(iter(KIND_LABELS)))


@pytest.fixture
def world(app, monkeypatch, tmp_path, clock, create_user, create_round, create_proposal, create_meeting,
          create_forum, create_organisation, build_plan):
    from engage.core import passwords

    # Passwords are hashed and checked at every sign-in and account form: a cheap scrypt keeps the run short.
    monkeypatch.setattr(passwords, "HASH_METHOD", "scrypt:1024:8:1")
    monkeypatch.setattr(passwords, "_DUMMY_HASH", None)
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    clock.to_phase("call_for_proposals")
    return World(app, create_user, create_round, create_proposal, create_meeting, create_forum,
                 create_organisation, build_plan)


def new_browser(app) -> Browser:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return Browser(client)


def browser_of(app, world: World, who: str) -> Browser:
    """A browser of ``who``: "visitor", "pending" (password given, code awaited), "guarded" (signed in with a
    code) or the name of a person of the world."""
    browser = new_browser(app)
    if who == "visitor":
        return browser
    if who in ("pending", "guarded"):
        person = world.guarded
        answer = browser.submit("/account/sign-in", {"email": person.email, "password": person.password})
        assert answer.status_code == 302 and "/account/sign-in/code" in answer.headers["Location"], answer.status_code
        if who == "guarded":
            answer = browser.submit("/account/sign-in/code", {"code": pyotp.TOTP(world.tfa_secret).now()})
            assert answer.status_code == 302, answer.get_data(as_text=True)
        return browser
    browser.sign_in(getattr(world, who))
    return browser


# --- Every POST route -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    """How to reach one POST route: its addresses, the page holding its form, who may use it, when."""

    urls: Callable[[World], str | list]
    page: Callable[[World, str], str] | None = None  # default: the address itself
    who: str = "chief"
    phase: str = "call_for_proposals"
    action: bool = False  # a button (only the token is checked): extra fields are what is fuzzed
    needs: tuple = ()  # objects the page should show, made before it is read
    goods: tuple = ()  # (field, value of the world) that a valid request needs, such as a known account


def on(page: Callable[[World], str]):
    return lambda w, url: page(w)


POSTS: dict[str, Post] = {
    # The site and accounts
    "main.set_language": Post(lambda w: "/language", on(lambda w: "/")),
    "auth.register": Post(lambda w: "/account/register", who="visitor"),
    "auth.resend_confirmation": Post(lambda w: "/account/confirm", who="visitor"),
    "auth.login": Post(lambda w: "/account/sign-in", who="visitor",
                       goods=(("email", lambda w: w.resident.email), ("password", lambda w: PASSWORD))),
    "auth.two_factor": Post(lambda w: "/account/sign-in/code", who="pending",
                            goods=(("code", lambda w: pyotp.TOTP(w.tfa_secret).now()),)),
    "auth.two_factor_setup": Post(lambda w: "/account/two-factor"),
    "auth.disable_two_factor": Post(lambda w: "/account/two-factor/disable", on(lambda w: "/account/two-factor"),
                                    who="guarded"),
    "auth.new_recovery_codes": Post(lambda w: "/account/two-factor/recovery-codes",
                                    on(lambda w: "/account/two-factor"), who="guarded"),
    "auth.confirm_identity": Post(lambda w: "/account/confirm-identity"),
    "auth.logout": Post(lambda w: "/account/sign-out", on(lambda w: "/"), action=True),
    "auth.forgot_password": Post(lambda w: "/account/forgot-password", who="visitor", needs=("resident",)),
    "auth.reset_password": Post(lambda w: f"/account/reset-password/{w.reset_token}", who="visitor"),
    "auth.profile": Post(lambda w: "/account/"),
    "auth.change_password": Post(lambda w: "/account/password"),
    "auth.change_email": Post(lambda w: "/account/email"),
    "auth.end_sign_in": Post(lambda w: f"/account/sessions/{w.other_sign_in}/end", on(lambda w: "/account/sessions"),
                             action=True),
    "auth.end_other_sign_ins": Post(lambda w: "/account/sessions/end-others", on(lambda w: "/account/sessions"),
                                    action=True),
    # Administration
    "admin.change_role": Post(lambda w: [f"/admin/users/{w.resident.id}/roles/{role}"
                                         for role in ("moderator", "facilitator", "admin")],
                              lambda w, url: f"/admin/users/{w.resident.id}"),
    "admin.deactivate": Post(lambda w: f"/admin/users/{w.resident.id}/deactivate",
                             on(lambda w: f"/admin/users/{w.resident.id}"), action=True),
    "admin.reactivate": Post(lambda w: f"/admin/users/{w.resident.id}/reactivate", action=True),
    "admin.unlock": Post(lambda w: f"/admin/users/{w.resident.id}/unlock", action=True),
    # Privacy rights
    "privacy.download": Post(lambda w: "/account/data"),
    "privacy.delete": Post(lambda w: "/account/delete", who="resident"),
    "privacy.admin_delete": Post(lambda w: f"/admin/users/{w.resident.id}/delete"),
    # Rounds
    "rounds.create": Post(lambda w: "/rounds/new"),
    "rounds.edit": Post(lambda w: f"/rounds/{w.round}/edit"),
    "rounds.publish": Post(lambda w: f"/rounds/{w.round}/publish", action=True),
    "rounds.unpublish": Post(lambda w: f"/rounds/{w.round}/unpublish", on(lambda w: f"/rounds/{w.round}/manage"),
                             action=True),
    "rounds.add_phase": Post(lambda w: f"/rounds/{w.round}/phases", on(lambda w: f"/rounds/{w.round}/manage")),
    "rounds.edit_phase": Post(lambda w: f"/rounds/{w.round}/phases/{w.phase}/edit"),
    "rounds.delete_phase": Post(lambda w: f"/rounds/{w.round}/phases/{w.phase}/delete",
                                on(lambda w: f"/rounds/{w.round}/manage"), action=True),
    "rounds.add_document": Post(lambda w: f"/rounds/{w.round}/documents", on(lambda w: f"/rounds/{w.round}/manage")),
    "rounds.delete_document": Post(lambda w: f"/rounds/{w.round}/documents/{w.round_document}/delete",
                                   on(lambda w: f"/rounds/{w.round}/manage"), action=True),
    "rounds.add_facilitator": Post(lambda w: f"/rounds/{w.round}/facilitators",
                                   on(lambda w: f"/rounds/{w.round}/manage"), needs=("resident",)),
    "rounds.remove_facilitator": Post(lambda w: f"/rounds/{w.round}/facilitators/{w.colleague.id}/remove",
                                      on(lambda w: f"/rounds/{w.round}/manage"), action=True),
    "rounds.follow": Post(lambda w: f"/rounds/{w.round}/follow", on(lambda w: f"/rounds/{w.round}"), action=True),
    # Proposals, comments, answers
    "proposals.create": Post(lambda w: f"/rounds/{w.round}/proposals/new"),
    "proposals.edit": Post(lambda w: f"/proposals/{w.own_proposal}/edit"),
    "proposals.withdraw": Post(lambda w: f"/proposals/{w.own_proposal}/withdraw",
                               on(lambda w: f"/proposals/{w.own_proposal}"), action=True),
    "proposals.support": Post(lambda w: f"/proposals/{w.proposal}/support", on(lambda w: f"/proposals/{w.proposal}"),
                              phase="prioritisation", action=True),
    "comments.on_proposal": Post(lambda w: f"/proposals/{w.proposal}/comments", needs=("comment",)),
    "comments.on_round": Post(lambda w: f"/rounds/{w.round}/comments"),
    "comments.on_meeting": Post(lambda w: f"/meetings/{w.meeting}/comments"),
    "comments.on_commitment": Post(lambda w: f"/commitments/{w.commitment}/comments"),
    "comments.edit": Post(lambda w: f"/comments/{w.own_comment}/edit"),
    "comments.delete": Post(lambda w: f"/comments/{w.own_comment}/delete", action=True),
    "feedback.respond": Post(lambda w: f"/proposals/{w.proposal}/response", needs=("plan", "own_proposal")),
    "feedback.edit_report": Post(lambda w: f"/rounds/{w.round}/report/edit"),
    "feedback.close": Post(lambda w: f"/rounds/{w.round}/close", needs=("proposal",)),
    # Surveys
    "surveys.show": Post(lambda w: f"/surveys/{w.survey['id']}"),
    "surveys.create": Post(lambda w: f"/rounds/{w.round}/surveys/new"),
    "surveys.edit": Post(lambda w: f"/surveys/{w.draft_survey['id']}/edit"),
    "surveys.add_question": Post(lambda w: f"/surveys/{w.draft_survey['id']}/questions/new"),
    "surveys.edit_question": Post(lambda w: f"/surveys/{w.draft_survey['id']}/questions/"
                                            f"{w.draft_survey['question']}/edit"),
    "surveys.delete_question": Post(lambda w: f"/surveys/{w.draft_survey['id']}/questions/"
                                              f"{w.draft_survey['question']}/delete", action=True),
    "surveys.move_question": Post(lambda w: f"/surveys/{w.draft_survey['id']}/questions/"
                                            f"{w.draft_survey['question']}/move",
                                  on(lambda w: f"/surveys/{w.draft_survey['id']}/questions"), action=True),
    "surveys.add_demographics": Post(lambda w: f"/surveys/{w.draft_survey['id']}/demographics",
                                     on(lambda w: f"/surveys/{w.draft_survey['id']}/questions"), action=True),
    "surveys.publish": Post(lambda w: f"/surveys/{w.draft_survey['id']}/publish", action=True),
    "surveys.unpublish": Post(lambda w: f"/surveys/{w.survey['id']}/unpublish", action=True),
    "surveys.hide_answer": Post(lambda w: f"/surveys/answers/{w.survey['item']}/hide",
                                on(lambda w: f"/surveys/{w.survey['id']}/questions/{w.survey['idea']}/answers")),
    "surveys.restore_answer": Post(lambda w: f"/surveys/answers/{w.survey['item']}/restore", action=True),
    # Meetings
    "meetings.create": Post(lambda w: f"/meetings/new?round={w.round}", needs=("forum",)),
    "meetings.edit": Post(lambda w: f"/meetings/{w.meeting}/edit", needs=("forum",)),
    "meetings.publish": Post(lambda w: f"/meetings/{w.draft_meeting}/publish"),
    "meetings.register": Post(lambda w: f"/meetings/{w.meeting}/register", on(lambda w: f"/meetings/{w.meeting}"),
                              action=True),
    "meetings.cancel": Post(lambda w: f"/meetings/{w.meeting}/cancel", action=True),
    "meetings.record": Post(lambda w: f"/meetings/{w.past_meeting}/record"),
    "meetings.add_document": Post(lambda w: f"/meetings/{w.meeting}/documents"),
    "meetings.delete_document": Post(lambda w: f"/meetings/{w.meeting}/documents/{w.meeting_document}/delete",
                                     on(lambda w: f"/meetings/{w.meeting}/documents"), action=True),
    # The forum
    "forum.create": Post(lambda w: "/forum/new"),
    "forum.edit": Post(lambda w: f"/forum/{w.forum}/edit"),
    "forum.add_member": Post(lambda w: f"/forum/{w.forum}/members/new", needs=("organisation", "resident")),
    "forum.edit_member": Post(lambda w: f"/forum/members/{w.member}/edit", needs=("organisation",)),
    "forum.delete_member": Post(lambda w: f"/forum/members/{w.member}/delete",
                                on(lambda w: f"/forum/{w.forum}/members"), action=True),
    "forum.add_decision": Post(lambda w: f"/forum/{w.forum}/decisions", on(lambda w: f"/forum/{w.forum}/members")),
    "forum.delete_decision": Post(lambda w: f"/forum/decisions/{w.decision}/delete",
                                  on(lambda w: f"/forum/{w.forum}/members"), action=True),
    # Organisations and endorsements
    "organisations.register": Post(lambda w: "/organisations/new"),
    "organisations.edit": Post(lambda w: f"/organisations/{w.organisation}/edit"),
    "organisations.people": Post(lambda w: f"/organisations/{w.organisation}/representatives"),
    "organisations.revoke": Post(lambda w: f"/organisations/invitations/{w.invitation}/revoke",
                                 on(lambda w: f"/organisations/{w.organisation}/representatives"), action=True),
    "organisations.leave": Post(lambda w: f"/organisations/{w.organisation}/leave", action=True),
    "organisations.accept_invitation": Post(lambda w: f"/organisations/invitations/{w.invitation_token}",
                                            action=True),
    "organisations.decide": Post(lambda w: f"/admin/organisations/{w.pending_organisation}"),
    "endorsements.create": Post(lambda w: f"/endorsements/new?target=proposal:{w.proposal}",
                                needs=("organisation",)),
    "endorsements.withdraw": Post(lambda w: f"/endorsements/{w.endorsement}/withdraw",
                                  on(lambda w: f"/organisations/{w.organisation}"), action=True),
    # Plans
    "plans.create": Post(lambda w: "/plans/new", needs=("round",)),
    "plans.edit": Post(lambda w: f"/plans/{w.plan['plan']}/edit"),
    "plans.publish": Post(lambda w: f"/plans/{w.draft_plan}/publish", action=True),
    "plans.new_commitment": Post(lambda w: f"/plans/{w.plan['plan']}/commitments/new"),
    "plans.edit_commitment": Post(lambda w: f"/commitments/{w.commitment}/edit"),
    "plans.delete_commitment": Post(lambda w: f"/commitments/{w.commitment}/delete", action=True),
    "plans.new_milestone": Post(lambda w: f"/commitments/{w.commitment}/milestones/new"),
    "plans.edit_milestone": Post(lambda w: f"/milestones/{w.milestone}/edit"),
    "plans.delete_milestone": Post(lambda w: f"/milestones/{w.milestone}/delete", action=True),
    "plans.add_update": Post(lambda w: f"/milestones/{w.milestone}/updates/new"),
    "plans.link_proposal": Post(lambda w: f"/commitments/{w.commitment}/proposals",
                                on(lambda w: f"/commitments/{w.commitment}"), needs=("proposal",)),
    "plans.unlink_proposal": Post(lambda w: f"/commitments/{w.commitment}/proposals/{w.linked_proposal}/unlink",
                                  on(lambda w: f"/commitments/{w.commitment}"), action=True),
    "plans.add_partner": Post(lambda w: f"/commitments/{w.commitment}/partners",
                              on(lambda w: f"/commitments/{w.commitment}"), needs=("organisation",)),
    "plans.remove_partner": Post(lambda w: f"/commitments/{w.commitment}/partners/{w.partner}/remove",
                                 on(lambda w: f"/commitments/{w.commitment}"), action=True),
    "plans.new_report": Post(lambda w: f"/plans/{w.plan['plan']}/reports/new"),
    "plans.edit_cocreation": Post(lambda w: f"/plans/{w.plan['plan']}/co-creation/edit"),
    # Moderation and notifications
    "moderation.flag": Post(lambda w: [f"/flag/proposal/{w.proposal}", f"/flag/comment/{w.comment}"]),
    "moderation.act": Post(lambda w: [f"/moderation/{kind}/{target}/{action}"
                                      for kind, target in (("proposal", w.proposal), ("comment", w.comment))
                                      for action in ("hide", "restore", "dismiss")],
                           lambda w, url: url.rsplit("/", 1)[0]),
    "notifications.read_all": Post(lambda w: "/notifications/read", on(lambda w: "/notifications/"), action=True),
    "notifications.settings": Post(lambda w: "/notifications/settings"),
    "notifications.unsubscribe": Post(lambda w: f"/notifications/unsubscribe/{w.unsubscribe_token}", action=True),
}


def test_every_post_route_is_fuzzed(app):
    """A new POST route must join the table above (with the people and objects it needs)."""
    routes = {rule.endpoint for rule in app.url_map.iter_rules()
              if "POST" in rule.methods and rule.endpoint != "static"}
    assert sorted(routes - set(POSTS)) == [], "POST routes without hostile-input tests"
    assert sorted(set(POSTS) - routes) == [], "the table names routes that no longer exist"


@dataclass
class Target:
    """One POST route, ready: a browser of someone allowed, its addresses, its form's fields, a CSRF token."""

    witness: Witness
    browser: Browser
    urls: list
    fields: dict
    token: str
    token_fields: set

    def post(self, plan: Plan):
        url = self.urls[plan.url % len(self.urls)]
        data = fill(plan, self.fields)
        note(f"POST {url} {describe(data)}")
        payload = {}
        for key, value in data.items():
            if isinstance(value, Upload):
                payload[key] = (io.BytesIO(value.content), value.filename)
            else:
                payload[key] = value
        for name in self.token_fields:
            payload[name] = self.token
        multipart = plan.multipart or plan.mode == "huge"
        limiter.reset()
        before = self.witness.state()
        response = self.browser.client.post(url, data=payload,
                                            **({"content_type": "multipart/form-data"} if multipart else {}))
        check(self.witness, "POST", url, response, before)


def check(witness: Witness, method: str, url: str, response, before) -> None:
    status = response.status_code
    assert status < 500, f"{method} {url}: {status}"
    if 400 <= status < 500:
        changed = witness.changes(before, witness.state())
        assert not changed, f"{method} {url} was refused ({status}) but wrote to {changed}"
    if status in (200, 422) and response.mimetype == "text/html":
        assert ERROR_PAGE not in response.get_data(as_text=True), f"{method} {url}: {status} is an error page"
    if urlsplit(url).path.startswith("/api/"):
        assert response.is_json, f"{method} {url}: {status} {response.mimetype} is not JSON"


@pytest.fixture
def target(endpoint, app, world, clock, witness) -> Target:
    spec = POSTS[endpoint]
    for name in spec.needs:
        getattr(world, name)
    urls = spec.urls(world)
    urls = urls if isinstance(urls, list) else [urls]
    if spec.phase != "call_for_proposals":
        clock.to_phase(spec.phase)
    browser = browser_of(app, world, spec.who)
    fields: dict[str, Field] = {}
    token, forms, pages, token_fields = None, 0, [], {"csrf_token"}
    for url in urls:
        page = spec.page(world, url) if spec.page else url
        shown = browser.get(page)
        html = shown.get_data(as_text=True)
        found = CSRF_RE.search(html)
        token = token or (found.group(1) if found else None)
        form = form_for(html, url, page)
        pages.append(f"{page} ({shown.status_code})")
        if form is not None:
            forms += 1
            token_fields |= form.token_fields()
            for name, item in form.fields().items():
                fields.setdefault(name, item)
    for name, value in spec.goods:
        if name in fields:
            fields[name].preferred = [value(world)]
    if not forms and not spec.action:  # the form is what is tested: the world must let this person see it
        pytest.fail(f"{endpoint}: no form posting to {urls} on {pages} for {spec.who}")
    if token is None:
        token = browser.csrf_token("/account/" if spec.who not in ("visitor", "pending") else "/account/sign-in")
    return Target(witness, browser, urls, fields, token, token_fields)


FORM_ROUTES = sorted(name for name, spec in POSTS.items() if not spec.action)
ACTION_ROUTES = sorted(name for name, spec in POSTS.items() if spec.action)


@pytest.mark.parametrize("endpoint", FORM_ROUTES)
@_settings(EXAMPLES)
@given(plan=PLANS)
@example(plan=EXTREME_MAX)
@example(plan=EXTREME_MIN)
@example(plan=EVERY_FIELD_TWICE)
@example(plan=VALID_BUT_NEXT)
def test_hostile_form_input_is_refused_without_error_or_trace(endpoint, target, plan):
    """Every form: plans drawn by Hypothesis, and four every time (each field at the top and at the bottom of
    its kind's range, each field sent twice, a valid form that then follows an unparsable ``next``)."""
    target.post(plan)


@pytest.mark.parametrize("endpoint", ACTION_ROUTES)
@_settings(ACTION_EXAMPLES)
@given(plan=PLANS)
@example(plan=EXTREME_MAX)
def test_hostile_fields_on_buttons_are_refused_without_error_or_trace(endpoint, target, plan):
    """Every button (publish, delete, follow...): its hidden fields and fields it does not have."""
    target.post(plan)


# --- Every list parameter -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    path: Callable[[World], str]
    who: str = "chief"  # the person signed in; each example may also ask as a visitor
    needs: tuple = ()  # what the list should hold


LISTINGS: dict[str, Listing] = {
    "proposals": Listing(lambda w: f"/rounds/{w.round}/proposals", needs=("proposal", "own_proposal")),
    "feedback queue": Listing(lambda w: f"/rounds/{w.round}/feedback", needs=("proposal", "own_proposal")),
    "round report": Listing(lambda w: f"/rounds/{w.round}/report", needs=("proposal", "survey")),
    "meetings": Listing(lambda w: "/meetings/", needs=("meeting", "past_meeting")),
    "new meeting": Listing(lambda w: "/meetings/new"),
    "organisations": Listing(lambda w: "/organisations/", needs=("organisation",)),
    "organisations to verify": Listing(lambda w: "/admin/organisations", needs=("pending_organisation",)),
    "users": Listing(lambda w: "/admin/users", needs=("resident", "colleague")),
    "audit log": Listing(lambda w: "/admin/audit/"),
    "survey results": Listing(lambda w: f"/surveys/{w.survey['id']}/results"),
    "survey texts": Listing(lambda w: f"/surveys/{w.survey['id']}/questions/{w.survey['idea']}/answers"),
    "new question": Listing(lambda w: f"/surveys/{w.draft_survey['id']}/questions/new"),
    "moderation queue": Listing(lambda w: "/moderation/", needs=("comment",)),
    "moderation log": Listing(lambda w: "/moderation/log"),
    "notifications": Listing(lambda w: "/notifications/"),
    "reply form": Listing(lambda w: f"/proposals/{w.proposal}/comments", needs=("comment",)),
    "endorsement form": Listing(lambda w: "/endorsements/new", needs=("organisation", "proposal")),
    "answer form": Listing(lambda w: f"/proposals/{w.proposal}/response", needs=("plan",)),
    "sign-in": Listing(lambda w: "/account/sign-in", who="resident"),
    "check email": Listing(lambda w: "/account/check-email"),
    "api rounds": Listing(lambda w: "/api/v1/rounds"),
    "api round": Listing(lambda w: f"/api/v1/rounds/{w.round}"),
    "api proposals": Listing(lambda w: f"/api/v1/rounds/{w.round}/proposals", needs=("proposal", "own_proposal")),
    "api report": Listing(lambda w: f"/api/v1/rounds/{w.round}/report", needs=("proposal",)),
    "api survey results": Listing(lambda w: f"/api/v1/surveys/{w.survey['id']}/results"),
    "api survey texts": Listing(lambda w: f"/api/v1/surveys/{w.survey['id']}/questions/{w.survey['idea']}/texts"),
    "api plans": Listing(lambda w: "/api/v1/plans", needs=("plan",)),
    "api organisations": Listing(lambda w: "/api/v1/organisations", needs=("organisation",)),
    "api endorsements": Listing(lambda w: "/api/v1/endorsements", needs=("endorsement",)),
    "api comments": Listing(lambda w: f"/api/v1/proposals/{w.proposal}/comments", needs=("comment",)),
}

# Values the world fills in: real ids and references, so that valid filters meet hostile neighbours.
REFERENCES: dict[str, Callable[[World], object]] = {
    "@topic": lambda w: w.topic, "@round": lambda w: w.round, "@forum": lambda w: w.forum,
    "@user": lambda w: w.resident.id, "@organisation": lambda w: w.organisation, "@comment": lambda w: w.comment,
    "@target": lambda w: f"proposal:{w.proposal}", "@own": lambda w: f"proposal:{w.own_proposal}",
    "@question": lambda w: w.survey["choice"], "@by": lambda w: w.survey["by"], "@idea": lambda w: w.survey["idea"],
}

LIST_KEYS = ["page", "per_page", "sort", "q", "topic", "district", "state", "outcome", "seed", "role", "status",
             "question", "by", "since", "until", "action", "person", "target_type", "target_id", "when", "kind",
             "area", "round", "forum", "type", "parent", "target", "organisation", "next", "email", "locale"]
# Names the views pass on to url_for() with the page links, and names of url_for()'s own arguments.
COLLIDING_KEYS = ["_external", "_method", "_anchor", "_scheme", "endpoint", "round_id", "survey_id", "question_id",
                  "proposal_id", "values"]
GOOD_VALUES = ["1", "2", "3", "newest", "supported", "commented", "random", "published", "withdrawn", "none",
               "accepted", "merged", "not_answered", "upcoming", "past", "all", "public", "forum", "ngo",
               "participation", "obolonskyi", "admin", "facilitator", "moderator", "active", "inactive", "unconfirmed",
               "verified", "pending", "rejected", "sign_in.failed", "role.granted", "user", "round", "2026-03-01",
               "single", "ranking", "en", "uk"]

QUERY_KEY = st.one_of(st.sampled_from(LIST_KEYS), st.sampled_from(LIST_KEYS), st.sampled_from(COLLIDING_KEYS),
                      st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz_-[]."), min_size=1, max_size=10), TEXT)
QUERY_VALUE = st.one_of(st.sampled_from(sorted(REFERENCES)), st.sampled_from(GOOD_VALUES), SCALAR)
QUERIES = st.lists(st.one_of(st.tuples(QUERY_KEY, QUERY_VALUE), st.tuples(st.just("next"), st.sampled_from(URLISH))),
                   max_size=6).map(tuple)


@dataclass
class Lister:
    witness: Witness
    world: World
    path: str
    visitor: Browser
    member: Browser

    def value(self, value):
        reference = REFERENCES.get(value) if isinstance(value, str) else None
        return str(reference(self.world)) if reference else value

    def get(self, query, as_visitor: bool):
        pairs = [(key, self.value(value)) for key, value in query]
        url = self.path + ("?" + urlencode(pairs) if pairs else "")
        note(f"GET {self.path} {[(k, short(v)) for k, v in pairs]} as {'a visitor' if as_visitor else 'signed in'}")
        limiter.reset()
        before = self.witness.state()
        response = (self.visitor if as_visitor else self.member).get(url)
        check(self.witness, "GET", url, response, before)


@pytest.fixture
def lister(listing, app, world, witness) -> Lister:
    spec = LISTINGS[listing]
    for name in spec.needs:
        getattr(world, name)
    return Lister(witness, world, spec.path(world), new_browser(app), browser_of(app, world, spec.who))


@pytest.mark.parametrize("listing", sorted(LISTINGS))
@_settings(LIST_EXAMPLES)
@given(query=QUERIES, as_visitor=st.booleans())
@example(query=(("page", "2"), ("_external", "1")), as_visitor=True)
@example(query=(("page", "2"), ("round_id", "1"), ("survey_id", "1"), ("proposal_id", "1"), ("question_id", "1")),
         as_visitor=True)
@example(query=(("page", "2"), ("_method", "POST"), ("_anchor", "x"), ("_scheme", "javascript")), as_visitor=False)
@example(query=(("topic", "²"), ("seed", "²"), ("page", "١٢"), ("per_page", "9" * 5000)), as_visitor=True)
@example(query=(("next", "http://["), ("target", "proposal:99999999999"), ("parent", "99999999999999999999")),
         as_visitor=False)
@example(query=(("since", "9999-12-31"), ("until", "9999-12-31"), ("target_id", "99999999999999999999"),
                ("question", "@question"), ("by", "@by")), as_visitor=False)
@example(query=(("since", "0001-01-01"), ("until", "0001-01-01"), ("sort", "random"), ("seed", "-1"),
                ("page", "1000001")), as_visitor=False)
def test_hostile_list_parameters_never_fail(listing, lister, query, as_visitor):
    """Every list's page, sort, filters and search, of the pages and of the API, as a visitor and signed in; and
    every time: names that url_for() takes for its own, digits int() refuses, dates at the ends of the
    calendar, an unparsable ``next``."""
    lister.get(query, as_visitor)


