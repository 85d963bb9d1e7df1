"""No executable markup, whatever people type.

An XSS corpus (tests/security/xss_corpus.py) goes through every field that is shown back: display
names and bios, round titles, summaries, descriptions, topics and phase notes, document titles, links
and file names, proposals, comments, moderation reasons, feedback answers and report sections, survey
texts, options and answers, organisation fields and decisions, endorsements, meetings (title,
description, agenda, venue, address, accessibility, online link, minutes), the forum (texts, terms
link, members, decisions), action plans (plan, commitment and milestone texts, progress updates and
their evidence links, reports, co-creation notes), query strings echoed in pages, and flash messages.

The long Markdown fields take the whole corpus at once; the other fields take a few payloads each, in
rotation, so every payload goes through every kind of field and every field gets several payloads.
Each value carries a marker unique to it. After each submission, and then in a crawl of the site as a
visitor, a resident and a member of staff, every response is checked:

* HTML pages are parsed (``html.parser``): no element the site's templates never write (script,
  iframe, object, embed, base, style, img, math…), no ``on*`` attribute, no ``srcdoc``, no URL
  attribute with a ``javascript:``, ``vbscript:`` or ``data:`` scheme (the site shows no data: images),
  no ``<meta http-equiv>`` but the export page's own refresh, no style attribute with a script, no
  payload written out verbatim;
* other responses carrying a value (JSON, CSV, calendars, downloads) are served with their own type
  (never ``text/html``) and ``nosniff``;
* every marker is found, escaped, in at least one response: the value was shown back, not dropped.
"""
from __future__ import annotations

import io
import itertools
import re
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from sqlalchemy import select

from engage.extensions import db
from tests.conftest import Browser
from tests.security.xss_corpus import PAYLOADS, URL_START, is_url_payload

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
MARKER_RE = re.compile(r"zx\d{2}u\d{4}z")
REDIRECTS = (301, 302, 303, 307, 308)
PDF = b"%PDF-1.7\n%xss test\n"

# Payload indexes used during this run (a test at the end checks that all were), fields and pages checked.
USED: set[int] = set()
FIELDS: set[str] = set()
PAGES: set[str] = set()
RESPONSES = Counter()
_USES = itertools.count(1)
_ROTATION = {"html": itertools.count(0), "url": itertools.count(0)}


# --- What the site itself writes -------------------------------------------------------------------

def _site_tags() -> frozenset[str]:
    """Every element name the templates, the form widgets, the Markdown renderer and the QR code write."""
    from engage.core.markdown import ALLOWED_TAGS

    names = set()
    for path in TEMPLATES.rglob("*.html"):
        names.update(t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", path.read_text("utf-8")))
    names |= set(ALLOWED_TAGS)
    names |= {"input", "textarea", "select", "option", "optgroup", "label", "ul", "li", "table", "tr", "th", "td"}
    try:
        from engage.auth.twofactor import qr_svg

        names.update(t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", qr_svg("otpauth://totp/x?secret=AAAA")))
    except Exception:  # noqa: BLE001 - the QR code is drawn only on the two-factor page
        names |= {"svg", "path", "title"}
    never = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "template",
             "noscript", "math", "img", "image", "video", "audio", "source", "marquee", "isindex", "xmp", "plaintext",
             "portal", "animate", "set", "maction", "mglyph", "use", "foreignobject", "param", "body"}
    return frozenset(names - never) | {"html", "head", "body"}


SITE_TAGS = None
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "codebase",
                  "cite", "ping", "lowsrc", "dynsrc", "to", "from", "values", "by", "srcset", "manifest", "icon"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")


def _normalised_url(value: str) -> str:
    """The value as a browser reads its scheme: control characters and whitespace anywhere ignored."""
    return "".join(ch for ch in value if ord(ch) > 0x20 and ch not in "\x7f\u00a0\u200b\ufeff").lower()


class Inspector(HTMLParser):
    """Collects what would run in a browser, and the page's links for the crawl."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.links: list[str] = []
        self._script_depth = 0

    def handle_starttag(self, tag, attrs):
        self._element(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._element(tag, attrs)

    def _element(self, tag, attrs):
        tag = tag.lower()
        values = {name.lower(): (value or "") for name, value in attrs}
        shown = "<" + tag + "".join(f' {n}="{v}"' for n, v in attrs) + ">"
        if tag == "script":
            self._script_depth += 1
            if not values.get("src", "").startswith("/static/"):
                self.problems.append(f"script element {shown[:200]}")
        elif tag == "meta" and "http-equiv" in values:
            if not (values["http-equiv"].lower() == "refresh" and re.fullmatch(r"\d+", values.get("content", ""))):
                self.problems.append(f"meta http-equiv {shown[:200]}")
        elif tag == "link":
            if not values.get("href", "").startswith("/static/"):
                self.problems.append(f"link element {shown[:200]}")
        elif tag not in SITE_TAGS:
            self.problems.append(f"element the site never writes {shown[:200]}")
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"event handler attribute {name} in {shown[:200]}")
            elif name == "srcdoc":
                self.problems.append(f"srcdoc attribute in {shown[:200]}")
            elif name in URL_ATTRIBUTES or name.endswith(":href"):
                if _normalised_url(value).startswith(BAD_SCHEMES):
                    self.problems.append(f"{name} with a scripting scheme in {shown[:200]}")
            elif name == "style":
                style = _normalised_url(value)
                if "expression(" in style or "javascript:" in style or "url(" in style or "@import" in style:
                    self.problems.append(f"style attribute with a script or URL in {shown[:200]}")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])

    def handle_endtag(self, tag):
        if tag.lower() == "script" and self._script_depth:
            self._script_depth -= 1

    def handle_data(self, data):
        if self._script_depth and data.strip():
            self.problems.append(f"script content {data.strip()[:200]!r}")

    def handle_comment(self, data):
        if "<script" in data.lower() or "[if" in data.lower():
            self.problems.append(f"HTML comment holding markup {data[:200]!r}")


# --- The corpus, field by field ------------------------------------------------------------------------

class Injector:
    """Gives each field its payloads, each with a marker unique to that use."""

    def __init__(self):
        self.uses: dict[str, tuple[int, str, str]] = {}  # marker -> (payload index, field, value)
        self.optional: set[str] = set()  # markers of values the site keeps but may not show (checked apart)

    def value(self, index: int, field: str, optional: bool = False) -> str:
        marker = f"zx{index:02d}u{next(_USES):04d}z"
        text = PAYLOADS[index].replace("{m}", marker)
        self.uses[marker] = (index, field, text)
        if optional:
            self.optional.add(marker)
        USED.add(index)
        return text

    def pick(self, field: str, count: int = 3, *, maxlen: int = 10_000, kind: str = "html", no_space=False,
             forbid: str = "", optional=False) -> list[str]:
        """``count`` payloads in rotation (HTML ones, or web addresses with ``kind="url"``) that fit the field."""
        pool = range(URL_START) if kind == "html" else range(URL_START, len(PAYLOADS))
        size = len(pool)
        chosen = []
        while len(chosen) < count:
            for _ in range(size):
                index = pool[next(_ROTATION[kind]) % size]
                sample = PAYLOADS[index].replace("{m}", "zx00u0000z")
                if len(sample) <= maxlen and not (no_space and " " in sample.strip()) \
                        and not any(ch in sample for ch in forbid):
                    chosen.append(self.value(index, field, optional))
                    break
            else:
                raise AssertionError(f"no payload fits {field}")
        return chosen

    def one(self, field: str, **kwargs) -> str:
        return self.pick(field, 1, **kwargs)[0]

    def chunks(self, field: str, limit: int, sep: str = "\n\n") -> list[str]:
        """The whole corpus (HTML and web addresses) in as few texts of at most ``limit`` characters as it takes."""
        texts, current = [], ""
        for index in range(len(PAYLOADS)):
            piece = self.value(index, field)
            if current and len(current) + len(sep) + len(piece) > limit:
                texts.append(current)
                current = piece
            else:
                current = current + sep + piece if current else piece
        texts.append(current)
        return texts

    def everything(self, field: str, limit: int) -> str:
        texts = self.chunks(field, limit)
        assert len(texts) == 1, f"{field} holds {limit} characters, too few for the corpus"
        return texts[0]


def raw_query(value: str) -> str:
    """A query-string value as a hand-made request can send it: markup characters left as they are."""
    return quote(value, safe="<>\"'()/:;![]{}`*,@$~|^\\")


# --- Requests and checks -----------------------------------------------------------------------------

class Site:
    def __init__(self, app):
        global SITE_TAGS
        if SITE_TAGS is None:
            with app.app_context():
                SITE_TAGS = _site_tags()
        self.app = app
        self.inj = Injector()
        self.findings: list[str] = []  # executable markup: the XSS found
        self.errors: list[str] = []  # server errors met on the way
        self.seen: dict[str, set[str]] = {}
        self.pages = 0
        self.kinds: set[str] = set()  # the pages checked, numbers left out

    # Personas
    def browser(self, person=None) -> Browser:
        client = self.app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        browser = Browser(client)
        browser.token = None
        if person is not None:
            browser.sign_in(person)
        return browser

    # Checking one response
    def check(self, response, where: str) -> str:
        self.pages += 1
        self.kinds.add(re.sub(r"\d+", "N", urlsplit(where.split(" ")[-1]).path))
        body = response.get_data(as_text=True)
        headers = " ".join(f"{k}: {v}" for k, v in response.headers.items()
                           if k.lower() in ("location", "content-disposition"))
        for marker in set(MARKER_RE.findall(body)) | set(MARKER_RE.findall(headers)):
            self.seen.setdefault(marker, set()).add(where)
        if response.status_code >= 500:
            self.errors.append(f"{where}: {response.status_code}")
        location = response.headers.get("Location", "")
        if location and _normalised_url(location).startswith(BAD_SCHEMES):
            self.findings.append(f"{where}: redirect to {location!r}")
        if any(ch in headers for ch in "\r\n"):
            self.findings.append(f"{where}: header injection {headers!r}")
        mimetype = response.mimetype or ""
        if mimetype == "text/html":
            inspector = Inspector()
            inspector.feed(body)
            inspector.close()
            for problem in inspector.problems:
                self.findings.append(f"{where}: {problem}")
            for marker in set(MARKER_RE.findall(body)):
                _index, field, value = self.inj.uses.get(marker, (None, "", ""))
                if "<" in value and value.strip() in body:
                    self.findings.append(f"{where}: {field} written out unescaped: {value!r}")
            response.links = inspector.links
        else:
            response.links = []
            if MARKER_RE.search(body) or MARKER_RE.search(headers):
                if not (mimetype in ("application/json", "text/csv", "text/calendar", "text/plain",
                                     "application/pdf") or mimetype.startswith("application/vnd.")):
                    self.findings.append(f"{where}: a value is served as {mimetype!r}")
                if response.headers.get("X-Content-Type-Options") != "nosniff":
                    self.findings.append(f"{where}: {mimetype} served without nosniff")
                if mimetype in ("text/csv", "application/pdf") and "attachment" not in response.headers.get(
                        "Content-Disposition", ""):
                    self.findings.append(f"{where}: {mimetype} not served as an attachment")
        return body

    def get(self, browser: Browser, url: str, *, expect=(200,), who="") -> str:
        response = browser.get(url)
        body = self.check(response, f"{who} GET {url}".strip())
        assert response.status_code in expect, f"GET {url}: {response.status_code}\n{body[:1500]}"
        return body

    def token(self, browser: Browser, refresh=False) -> str:
        if refresh or not getattr(browser, "token", None):
            browser.token = browser.csrf_token()
        return browser.token

    def post(self, browser: Browser, url: str, data=None, *, expect=(302,), after=(), who="", **kwargs):
        """POST with the session's CSRF token; check the answer, the page it leads to (with its flash
        message) and the ``after`` pages."""
        payload = dict(data or {})
        payload["csrf_token"] = self.token(browser)
        response = browser.client.post(url, data=payload, **kwargs)
        if response.status_code == 400 and "csrf" in response.get_data(as_text=True).lower():
            payload["csrf_token"] = self.token(browser, refresh=True)
            response = browser.client.post(url, data=payload, **kwargs)
        body = self.check(response, f"{who} POST {url}".strip())
        assert response.status_code in expect, f"POST {url}: {response.status_code}\n{body[:3000]}"
        if response.status_code in REDIRECTS:
            target = _local(response.headers["Location"])
            if target:
                self.get(browser, target, expect=(200, 302), who=who)
        for page in after:
            self.get(browser, page, expect=(200, 302), who=who)
        return response

    # Crawling
    def crawl(self, browser: Browser, seeds, *, who: str, limit: int = 120):
        queue = deque(seeds)
        done: set[str] = set()
        variants = Counter()
        count = 0
        while queue and count < limit:
            url = queue.popleft()
            if url in done or _skipped(url):
                continue
            path = urlsplit(url).path
            if "?" in url:
                variants[path] += 1
                if variants[path] > 2:
                    continue
            done.add(url)
            count += 1
            response = browser.get(url)
            self.check(response, f"{who} GET {url}")
            if response.status_code in REDIRECTS:
                target = _local(response.headers.get("Location", ""))
                if target:
                    queue.append(target)
            for link in response.links:
                target = _local(link)
                if target and target not in done:
                    queue.append(target)

    # The end of a test
    def finish(self):
        FIELDS.update(u[1] for u in self.inj.uses.values())
        PAGES.update(self.kinds)
        RESPONSES["responses"] += self.pages
        print(f"[xss] {len(self.inj.uses)} values through {len({u[1] for u in self.inj.uses.values()})} fields; "
              f"{self.pages} responses of {len(self.kinds)} pages checked")
        unseen = sorted(m for m in self.inj.uses if m not in self.seen and m not in self.inj.optional)
        report = []
        if self.findings:
            report.append("Executable markup found:\n" + "\n".join(sorted(set(self.findings))[:200]))
        if self.errors:
            report.append("Server errors:\n" + "\n".join(sorted(set(self.errors))[:50]))
        if unseen:
            report.append("Values never shown back:\n" + "\n".join(
                f"{m} {self.inj.uses[m][1]}: {self.inj.uses[m][2]!r}" for m in unseen[:100]))
        assert not report, "\n\n".join(report)


def _local(url: str) -> str | None:
    """The path and query of a link on this site, or None."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc not in ("localhost", "localhost:80"):
        return None
    if not parts.path.startswith("/"):
        return None
    return parts.path + ("?" + parts.query if parts.query else "")


def _skipped(url: str) -> bool:
    path = urlsplit(url).path
    return path.startswith(("/static/", "/account/sign-out", "/language", "/healthz", "/account/confirm/",
                            "/account/email/confirm/", "/notifications/unsubscribe/"))


def _id_from(location: str, pattern: str) -> int:
    match = re.search(pattern, location)
    assert match, f"{pattern} not in {location}"
    return int(match.group(1))


@pytest.fixture
def site(app, clock, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    clock.to_phase("call_for_proposals")
    return Site(app)


@pytest.fixture
def staff(create_user):
    return create_user("staff@example.org", roles=("admin", "facilitator", "moderator"), display_name="Staff Member")


@pytest.fixture
def author(create_user):
    return create_user("author@example.org", display_name="Resident Author")


def _round_form(**values) -> dict:
    data = {"default_locale": "en", "organiser": "Kyiv City State Administration", "district": "",
            "topics": "Transparency\nParticipation", "title_en": "Open budget consultation",
            "summary_en": "How should the city publish its budget?", "description_en": "We ask residents to help."}
    for locale in ("uk", "es"):
        data.update({f"title_{locale}": "", f"summary_{locale}": "", f"description_{locale}": ""})
    data.update(values)
    return data


def _local_form_time(moment) -> str:
    from engage.core.time import to_local

    return to_local(moment).strftime("%Y-%m-%dT%H:%M")


# --- Accounts: names, bios, sign-in and registration forms, administration -----------------------------


def test_names_and_bios_and_the_account_forms_show_no_markup(app, site, staff, author, create_user, create_round):
    inj = site.inj
    me = site.browser(author)
    for name, bio in zip(inj.pick("display name", 3, maxlen=80), inj.pick("bio", 3, maxlen=500)):
        site.post(me, "/account/", {"display_name": name, "locale": "en", "bio": bio}, after=["/account/", "/"])

    # Forms refused with the typed value shown again.
    visitor = site.browser()
    for name in inj.pick("registration display name", 2, maxlen=80):
        site.post(visitor, "/account/register", {"display_name": name, "email": "newcomer@example.org",
                                                 "password": "short", "locale": "en", "accept_privacy": "y"},
                  expect=(200, 422))
    for email in inj.pick("sign-in email", 2, maxlen=254):
        site.post(visitor, "/account/sign-in", {"email": email, "password": "wrong password"}, expect=(200, 401, 422))

    # Staff pages listing people, searches echoed, and a flash message naming someone.
    round_id = create_round(facilitators=[staff])
    colleague = create_user("colleague@example.org", roles=("facilitator",),
                            display_name=inj.one("facilitator display name", maxlen=80))
    office = site.browser(staff)
    site.post(office, f"/rounds/{round_id}/facilitators", {"email": colleague.email},
              after=[f"/rounds/{round_id}/manage", f"/rounds/{round_id}"])
    site.post(office, f"/rounds/{round_id}/facilitators", {"email": colleague.email}, expect=(422,))
    for query in inj.pick("user search", 3, maxlen=200):
        site.get(office, "/admin/users?q=" + raw_query(query))
    for query in inj.pick("audit person filter", 2, maxlen=200):
        site.get(office, "/admin/audit/?person=" + raw_query(query), expect=(200, 403))
    site.get(office, f"/admin/users/{author.id}")
    site.get(office, f"/admin/users/{colleague.id}")

    site.crawl(office, ["/", "/admin/users", f"/admin/users/{author.id}", "/admin/audit/", f"/rounds/{round_id}/manage"],
               who="staff", limit=60)
    site.crawl(me, ["/", "/account/", "/account/sessions", "/notifications/"], who="author", limit=30)
    site.finish()


# --- Rounds: texts, topics, phases, documents; searches and query strings ---------------------------------


def test_round_texts_documents_and_searches_show_no_markup(app, site, staff, author, create_round):
    from engage.rounds.models import Round

    inj = site.inj
    round_id = create_round(facilitators=[staff])
    office = site.browser(staff)
    pages = [f"/rounds/{round_id}", "/rounds/", f"/rounds/{round_id}/manage", f"/api/v1/rounds/{round_id}",
             "/api/v1/rounds", "/open-data"]
    titles = inj.pick("round title", 3, maxlen=200)
    summaries = inj.pick("round summary", 3, maxlen=500)
    organisers = inj.pick("round organiser", 3, maxlen=200)
    descriptions = [inj.everything("round description", 20000)] + inj.pick("round description", 2)
    for n in range(3):
        topics = "\n".join(inj.pick("round topic", 2, maxlen=100))
        site.post(office, f"/rounds/{round_id}/edit", _round_form(
            title_en=titles[n], summary_en=summaries[n], organiser=organisers[n], description_en=descriptions[n],
            topics=topics), after=pages + [f"/rounds/{round_id}/edit"])
    # A text in another language, read by a visitor who asks for it.
    site.post(office, f"/rounds/{round_id}/edit", _round_form(
        title_en=titles[2], summary_en=summaries[2], organiser=organisers[2], description_en=descriptions[2],
        title_uk=inj.one("round title (uk)", maxlen=200), summary_uk=inj.one("round summary (uk)", maxlen=500),
        description_uk=inj.one("round description (uk)")))
    ukrainian = site.browser()
    ukrainian.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "uk"
    site.get(ukrainian, f"/rounds/{round_id}", who="uk visitor")
    site.get(ukrainian, "/rounds/", who="uk visitor")

    with app.app_context():
        phases = [(p.id, getattr(p.type, "value", p.type), _local_form_time(p.starts_at), _local_form_time(p.ends_at))
                  for p in db.session.get(Round, round_id).phases][:3]
    for (phase_id, kind, starts, ends), note in zip(phases, inj.pick("phase note", 3, maxlen=300)):
        site.post(office, f"/rounds/{round_id}/phases/{phase_id}/edit",
                  {"type": kind, "starts_at": starts, "ends_at": ends, "note": note},
                  after=[f"/rounds/{round_id}", f"/rounds/{round_id}/phases/{phase_id}/edit"])

    # Documents: uploaded under hostile file names, and links.
    for title, name in zip(inj.pick("document title", 3, maxlen=200), inj.pick("document file name", 3, maxlen=170, forbid='"\\\t')):
        site.post(office, f"/rounds/{round_id}/documents",
                  {"title": title, "url": "", "file": (io.BytesIO(PDF), name + ".pdf")},
                  content_type="multipart/form-data")
    for title, link in zip(inj.pick("document title", 8, maxlen=200), inj.pick("document link", 8, kind="url", maxlen=500)):
        site.post(office, f"/rounds/{round_id}/documents", {"title": title, "url": link}, expect=(302, 422))
    with app.app_context():
        documents = [d.id for d in db.session.get(Round, round_id).documents]
    for document_id in documents:
        response = office.get(f"/rounds/{round_id}/documents/{document_id}")
        site.check(response, f"GET /rounds/{round_id}/documents/{document_id}")
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert response.headers["Content-Disposition"].startswith("attachment")
            assert response.mimetype == "application/pdf"

    # Query strings echoed: the proposal search, the directories, any page (the language switcher keeps it).
    visitor = site.browser()
    for query in inj.pick("proposal search", 3, maxlen=200):
        site.get(visitor, f"/rounds/{round_id}/proposals?q=" + raw_query(query), who="visitor")
    for query in inj.pick("organisation search", 2, maxlen=100):
        site.get(visitor, "/organisations/?q=" + raw_query(query), who="visitor")
    for path in ("/", "/rounds/", f"/rounds/{round_id}", "/meetings/", "/forum/", "/plans/", "/privacy"):
        site.get(visitor, path + "?next=" + raw_query(inj.one("query string")), expect=(200, 302, 404), who="visitor")
    site.get(visitor, "/rounds/999999?x=" + raw_query(inj.one("query string of a missing page")), expect=(404,),
             who="visitor")
    me = site.browser(author)
    site.get(me, "/account/?tab=" + raw_query(inj.one("query string, signed in")), who="author")

    site.crawl(visitor, pages + ["/"], who="visitor", limit=60)
    site.crawl(office, pages, who="staff", limit=60)
    site.finish()


# --- Proposals, comments, moderation, feedback ------------------------------------------------------------


def test_proposals_comments_moderation_and_answers_show_no_markup(app, site, staff, author, create_user,
                                                                  create_round, clock):
    inj = site.inj
    round_id = create_round(facilitators=[staff])
    with app.app_context():
        from engage.rounds.models import Round

        topic = db.session.get(Round, round_id).topics[0].id
    me = site.browser(author)
    neighbour = create_user("neighbour@example.org", display_name="Neighbour")
    other = site.browser(neighbour)
    site.post(other, "/account/", {"display_name": inj.one("commenter display name", maxlen=80), "locale": "en", "bio": ""})
    office = site.browser(staff)
    filler = " The problem, what should change and who benefits, in a few words."

    # Proposals: the whole corpus through the bodies, titles in rotation; a preview first.
    bodies = inj.chunks("proposal body", 4800)
    titles = inj.pick("proposal title", len(bodies) + 1, maxlen=150)
    first = {"title": titles[0], "body": bodies[0] + filler, "topic": str(topic), "district": ""}
    site.post(me, f"/rounds/{round_id}/proposals/new", {**first, "preview": "1"}, expect=(200,))
    proposals = []
    for title, body in zip(titles, bodies):
        response = site.post(me, f"/rounds/{round_id}/proposals/new",
                             {"title": title, "body": body + filler, "topic": str(topic), "district": "", "submit": "1"})
        proposals.append(_id_from(response.headers["Location"], r"/proposals/(\d+)"))
    edited = proposals[0]
    site.post(me, f"/proposals/{edited}/edit", {"title": titles[-1], "body": inj.one("proposal body (edit)") + filler,
                                                "topic": str(topic), "district": "", "submit": "1"},
              after=[f"/proposals/{edited}/edit"])
    listing = [f"/rounds/{round_id}/proposals", f"/rounds/{round_id}", f"/api/v1/rounds/{round_id}/proposals",
               f"/rounds/{round_id}/proposals.csv"] + [f"/proposals/{p}" for p in proposals] + \
              [f"/api/v1/proposals/{p}" for p in proposals]
    for page in listing:
        site.get(me, page)

    # Comments on proposals and on the round, replies and an edit; the whole corpus through them.
    target = proposals[-1]
    comment_ids = []
    for body in inj.chunks("comment", 2900):
        response = site.post(other, f"/proposals/{target}/comments", {"body": body, "stance": "for", "parent_id": ""})
        comment_ids.append(_id_from(response.headers["Location"], r"#comment-(\d+)"))
    for body in inj.pick("comment on the round", 3, maxlen=3000):
        site.post(other, f"/rounds/{round_id}/comments", {"body": body, "stance": "", "parent_id": ""})
    site.get(me, f"/proposals/{target}/comments?parent={comment_ids[0]}")
    for body in inj.pick("reply", 2, maxlen=3000):
        site.post(me, f"/proposals/{target}/comments?parent={comment_ids[0]}",
                  {"body": body, "stance": "", "parent_id": str(comment_ids[0])})
    site.post(other, f"/comments/{comment_ids[-1]}/edit", {"body": inj.one("comment (edit)", maxlen=3000), "stance": "against"},
              after=[f"/comments/{comment_ids[-1]}/edit"])
    for page in (f"/proposals/{target}", f"/api/v1/proposals/{target}/comments", f"/rounds/{round_id}/comments.csv",
                 f"/rounds/{round_id}", "/notifications/"):
        site.get(me, page)

    # Moderation: a flag's details, the reasons of hiding (shown publicly), restoring and dismissing.
    flagged = comment_ids[1] if len(comment_ids) > 1 else comment_ids[0]
    site.post(me, f"/flag/comment/{flagged}", {"reason": "other", "details": inj.one("flag details", maxlen=1000)})
    site.post(other, f"/flag/proposal/{proposals[1]}", {"reason": "other", "details": inj.one("flag details", maxlen=1000)})
    site.get(office, "/moderation/")
    site.get(office, f"/moderation/comment/{flagged}")
    site.get(office, f"/moderation/proposal/{proposals[1]}")
    site.post(office, f"/moderation/comment/{flagged}/hide", {"reason": inj.one("hiding reason", maxlen=300)},
              after=[f"/proposals/{target}", "/moderation/log"])
    site.post(office, f"/moderation/comment/{flagged}/restore", {"reason": inj.one("restoring note", maxlen=300)},
              after=["/moderation/log"])
    site.post(office, f"/moderation/proposal/{proposals[1]}/dismiss", {"reason": inj.one("dismissing note", maxlen=300)},
              after=["/moderation/log"])
    hidden = create_proposal_via_form(site, me, round_id, topic, inj, filler)
    site.post(office, f"/moderation/proposal/{hidden}/hide", {"reason": inj.one("hiding reason (proposal)", maxlen=300)},
              after=[f"/proposals/{hidden}", "/moderation/log", f"/rounds/{round_id}/proposals"])

    # Answers to proposals (the flash message names the proposal) and the report of the round.
    answered = proposals + [create_proposal_via_form(site, me, round_id, topic, inj, filler)]
    reasons = [inj.everything("answer reason", 10000)] + inj.pick("answer reason", len(answered) - 1)
    outcomes = itertools.cycle(("accepted", "not_accepted", "under_evaluation", "out_of_scope"))
    for proposal_id, reason, outcome in zip(answered, reasons, outcomes):
        site.post(office, f"/proposals/{proposal_id}/response", _answer(proposal_id, outcome, reason),
                  after=[f"/proposals/{proposal_id}/response"])
    site.post(office, f"/proposals/{proposals[0]}/response", _answer(proposals[0], "accepted", ""), expect=(422,))
    site.post(office, f"/rounds/{round_id}/report/edit",
              {"heard_en": inj.everything("report: what we heard", 20000),
               "changed_en": inj.one("report: what we changed")},
              after=[f"/rounds/{round_id}/report/edit", f"/rounds/{round_id}/report.csv",
                     f"/rounds/{round_id}/report.json", f"/api/v1/rounds/{round_id}/report"])
    site.post(office, f"/rounds/{round_id}/report/edit",
              {"heard_en": inj.one("report: what we heard"), "changed_en": inj.everything("report: what we changed", 20000)})
    site.get(office, f"/rounds/{round_id}/feedback")

    seeds = listing + [f"/rounds/{round_id}/report", "/"]
    site.crawl(site.browser(), seeds, who="visitor", limit=70)
    site.crawl(office, seeds + ["/moderation/", "/moderation/log"], who="staff", limit=70)
    site.crawl(me, ["/notifications/", f"/proposals/{target}"], who="author", limit=25)
    site.finish()


def _answer(proposal_id, outcome, reason) -> dict:
    """The answer form of one proposal: its fields carry the proposal's prefix."""
    return {f"p{proposal_id}-outcome": outcome, f"p{proposal_id}-merged_into": "", f"p{proposal_id}-reason": reason,
            f"p{proposal_id}-commitment_id": ""}


def create_proposal_via_form(site, browser, round_id, topic, inj, filler) -> int:
    response = site.post(browser, f"/rounds/{round_id}/proposals/new",
                         {"title": inj.one("proposal title", maxlen=150), "body": inj.one("proposal body") + filler,
                          "topic": str(topic), "district": "", "submit": "1"})
    return _id_from(response.headers["Location"], r"/proposals/(\d+)")


# --- Surveys ----------------------------------------------------------------------------------------------


def test_survey_texts_options_and_answers_show_no_markup(app, site, staff, author, create_round):
    from engage.surveys.models import AnswerItem, Survey

    inj = site.inj
    round_id = create_round(facilitators=[staff])
    office = site.browser(staff)
    dates = {"opens_at": "2026-03-01T12:00", "closes_at": "2026-06-01T12:00", "allow_anonymous": "y",
             "results_visibility": "live"}
    response = site.post(office, f"/rounds/{round_id}/surveys/new",
                         {"title_en": inj.one("survey title", maxlen=200),
                          "introduction_en": inj.everything("survey introduction", 10000), **dates})
    survey_id = _id_from(response.headers["Location"], r"/surveys/(\d+)/")
    site.get(office, f"/surveys/{survey_id}/edit")
    site.get(office, f"/surveys/{survey_id}")
    for title, introduction in zip(inj.pick("survey title", 2, maxlen=200), inj.pick("survey introduction", 2)):
        site.post(office, f"/surveys/{survey_id}/edit", {"title_en": title, "introduction_en": introduction, **dates},
                  after=[f"/surveys/{survey_id}/edit", f"/surveys/{survey_id}"])

    def question(kind, **fields):
        data = {"type": kind, "prompt_en": inj.one(f"{kind} question prompt", maxlen=500),
                "description_en": inj.one(f"{kind} question description", maxlen=1000), "scale": "1-5"}
        data.update(fields)
        site.post(office, f"/surveys/{survey_id}/questions/new?type={kind}", data,
                  after=[f"/surveys/{survey_id}/questions"])

    def options(kind, count=3):
        return "\n".join(inj.pick(f"{kind} question option", count, maxlen=200))

    question("single", options_en=options("single"), allow_other="y")
    question("multiple", options_en=options("multiple"), allow_other="y", max_choices="2")
    question("scale", min_label_en=inj.one("scale label", maxlen=100), max_label_en=inj.one("scale label", maxlen=100))
    question("text", long_text="y")
    question("ranking", options_en=options("ranking"))
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        q = {question.type: question.id for question in survey.questions}
        o = {question.type: [option.id for option in question.options] for question in survey.questions}
    # An edit of a question's wording.
    site.get(office, f"/surveys/{survey_id}/questions/{q['single']}/edit")
    site.post(office, f"/surveys/{survey_id}/publish")

    def answer(browser, who):
        data = {f"q{q['single']}": "other", f"q{q['single']}-other": inj.one("“Other” answer", maxlen=500),
                f"q{q['multiple']}": [str(o["multiple"][0]), "other"],
                f"q{q['multiple']}-other": inj.one("“Other” answer", maxlen=500),
                f"q{q['scale']}": "4", f"q{q['text']}": inj.one("free-text answer", maxlen=2000)}
        for position, option in enumerate(o["ranking"], start=1):
            data[f"q{q['ranking']}-o{option}"] = str(position)
        site.post(browser, f"/surveys/{survey_id}", data, who=who,
                  after=[f"/surveys/{survey_id}/my-answer", f"/surveys/{survey_id}"])

    me = site.browser(author)
    answer(me, "author")
    visitor = site.browser()
    answer(visitor, "visitor")
    # A refused answer shows what was typed.
    refused = {f"q{q['single']}": "other", f"q{q['single']}-other": "", f"q{q['text']}": inj.one("free-text answer (refused)", maxlen=2000)}
    site.post(me, f"/surveys/{survey_id}", refused, expect=(422,))

    results = [f"/surveys/{survey_id}/results", f"/surveys/{survey_id}/questions/{q['text']}/answers",
               f"/surveys/{survey_id}/questions/{q['single']}/answers", f"/surveys/{survey_id}/results.csv",
               f"/api/v1/surveys/{survey_id}/results", f"/api/v1/surveys/{survey_id}/questions/{q['text']}/texts",
               f"/rounds/{round_id}", f"/surveys/{survey_id}/questions"]
    for page in results:
        site.get(office, page)
    with app.app_context():
        item = db.session.scalar(select(AnswerItem.id).where(AnswerItem.question_id == q["text"]).order_by(AnswerItem.id))
    site.post(office, f"/surveys/answers/{item}/hide", {"reason": inj.one("hidden answer reason", maxlen=300, optional=True)},
              after=["/moderation/log", f"/surveys/{survey_id}/questions/{q['text']}/answers"])

    site.crawl(site.browser(), [f"/surveys/{survey_id}", f"/rounds/{round_id}"] + results[:6], who="visitor", limit=40)
    site.crawl(office, [f"/surveys/{survey_id}/questions"] + results, who="staff", limit=50)
    site.finish()


# --- Meetings and the forum -------------------------------------------------------------------------------


def _meeting_form(round_id, **values) -> dict:
    data = {"kind": "public", "round_id": str(round_id), "forum_id": "", "default_locale": "en",
            "starts_at": "2026-04-20T10:00", "ends_at": "2026-04-20T12:00", "venue_name": "Vcentri HUB",
            "venue_address": "Obolonskyi Ave 1", "accessibility": "Step-free entrance", "online_url": "",
            "capacity": "20", "registration_required": "y", "title_en": "Open data evening",
            "description_en": "Let us talk.", "agenda_en": "1. Welcome"}
    for locale in ("uk", "es"):
        data.update({f"title_{locale}": "", f"description_{locale}": "", f"agenda_{locale}": ""})
    data.update(values)
    return data


def test_meetings_and_forum_texts_show_no_markup(app, site, staff, author, create_round, clock):
    inj = site.inj
    round_id = create_round(facilitators=[staff])
    office = site.browser(staff)

    # The forum first, so meetings can belong to it.
    texts = lambda n: {"name_en": inj.one("forum name", maxlen=200),  # noqa: E731
                       "mandate_en": inj.one("forum mandate", maxlen=5000),
                       "terms_en": inj.everything("forum terms", 20000) if n == 0 else inj.one("forum terms"),
                       "how_to_join_en": inj.one("forum: how to join", maxlen=5000)}
    response = site.post(office, "/forum/new", {"default_locale": "en", "terms_url": "", **texts(0)})
    forum_id = _id_from(response.headers["Location"], r"/forum/(\d+)")
    site.get(office, f"/forum/{forum_id}")
    for n, link in enumerate(inj.pick("forum terms link", 4, kind="url", maxlen=500), start=1):
        site.post(office, f"/forum/{forum_id}/edit", {"default_locale": "en", "terms_url": link, **texts(n)},
                  expect=(302, 422), after=[f"/forum/{forum_id}", f"/forum/{forum_id}/edit"])
    for name, organisation in zip(inj.pick("forum member name", 3, maxlen=200), inj.pick("forum member organisation", 3, maxlen=300)):
        site.post(office, f"/forum/{forum_id}/members/new",
                  {"name": name, "organisation_id": "", "organisation_name": organisation, "sector": "civil_society",
                   "role": "member", "term_start": "2026-01-01", "term_end": "", "account_email": ""},
                  after=[f"/forum/{forum_id}", f"/forum/{forum_id}/members"])
    for text in inj.pick("forum decision", 3, maxlen=2000):
        site.post(office, f"/forum/{forum_id}/decisions", {"decided_on": "2026-03-02", "text": text, "meeting_id": ""},
                  after=[f"/forum/{forum_id}"])

    # A meeting of the round, prepared, published, edited, with documents, comments and a record.
    values = lambda n: dict(  # noqa: E731
        title_en=inj.one("meeting title", maxlen=200), description_en=inj.one("meeting description", maxlen=5000),
        agenda_en=inj.everything("meeting agenda", 10000) if n == 0 else inj.one("meeting agenda"),
        venue_name=inj.one("meeting venue", maxlen=200), venue_address=inj.one("meeting address", maxlen=300),
        accessibility=inj.one("meeting accessibility", maxlen=500))
    response = site.post(office, f"/meetings/new?round={round_id}", _meeting_form(round_id, **values(0)))
    meeting_id = _id_from(response.headers["Location"], r"/meetings/(\d+)")
    site.post(office, f"/meetings/{meeting_id}/publish", {"confirm_short_notice": "y"})
    for n in (1, 2):
        site.post(office, f"/meetings/{meeting_id}/edit", _meeting_form(round_id, **values(n)),
                  after=[f"/meetings/{meeting_id}", f"/meetings/{meeting_id}/edit"])
    for link in inj.pick("meeting online link", 5, kind="url", maxlen=500):
        site.post(office, f"/meetings/{meeting_id}/edit", _meeting_form(round_id, **values(3), online_url=link),
                  expect=(302, 422), after=[f"/meetings/{meeting_id}"])
    # A meeting of the forum.
    site.post(office, f"/meetings/new?forum={forum_id}",
              _meeting_form("", forum_id=str(forum_id), kind="forum", **values(4)))
    for title, name in zip(inj.pick("meeting document title", 2, maxlen=200),
                           inj.pick("meeting document file name", 2, maxlen=170, forbid='"\\\t')):
        site.post(office, f"/meetings/{meeting_id}/documents",
                  {"title": title, "url": "", "file": (io.BytesIO(PDF), name + ".pdf")},
                  content_type="multipart/form-data", after=[f"/meetings/{meeting_id}/documents"])
    site.post(office, f"/meetings/{meeting_id}/documents",
              {"title": inj.one("meeting document title", maxlen=200), "url": inj.one("meeting document link", kind="url")},
              expect=(302, 422))
    me = site.browser(author)
    site.post(me, f"/meetings/{meeting_id}/register", {}, who="author")
    for body in inj.pick("meeting comment", 2, maxlen=3000):
        site.post(me, f"/meetings/{meeting_id}/comments", {"body": body, "stance": "", "parent_id": ""}, who="author")
    site.get(office, f"/meetings/{meeting_id}/registrations.csv")

    site.post(office, f"/meetings/{meeting_id}/record",
              {"attendance_total": "12", "minutes_en": inj.everything("meeting minutes", 50000)},
              after=[f"/meetings/{meeting_id}", f"/meetings/{meeting_id}/record"])

    pages = [f"/meetings/{meeting_id}", "/meetings/", "/meetings/?when=all", f"/meetings/{meeting_id}.ics",
             f"/rounds/{round_id}/meetings.ics", f"/forum/{forum_id}/meetings.ics", f"/forum/{forum_id}",
             f"/rounds/{round_id}", "/"]
    for page in pages:
        site.get(site.browser(), page, who="visitor")
    site.crawl(site.browser(), pages, who="visitor", limit=50)
    site.crawl(office, pages + [f"/forum/{forum_id}/members", f"/meetings/{meeting_id}/documents"], who="staff", limit=60)
    site.finish()


# --- Organisations and endorsements -----------------------------------------------------------------------


def _organisation_form(**values) -> dict:
    data = {"name_uk": "ГО «Відкрите місто»", "name_en": "Open City", "kind": "ngo", "edrpou": "14360570",
            "website": "https://opencity.example.org", "email": "hello@opencity.example.org",
            "areas": ["transparency"], "districts": [], "description": "We publish the city's data."}
    data.update(values)
    return data


def test_organisations_and_endorsements_show_no_markup(app, site, staff, author, create_round, create_proposal,
                                                      build_plan, outbox):
    from engage.organisations.models import Organisation

    inj = site.inj
    round_id = create_round(facilitators=[staff])
    proposal_id = create_proposal(round_id, author)
    plan = build_plan(round_ids=[round_id])
    me = site.browser(author)
    office = site.browser(staff)

    def details(n):
        return {"name_uk": inj.one("organisation name (uk)", maxlen=300), "name_en": inj.one("organisation name (en)", maxlen=300),
                "description": inj.one("organisation description", maxlen=1000)}

    response = site.post(me, "/organisations/new", _organisation_form(**details(0)), who="author")
    organisation_id = _id_from(response.headers["Location"], r"/organisations/(\d+)")
    site.post(office, f"/admin/organisations/{organisation_id}",
              {"decision": "verified", "reason": inj.one("verification note", maxlen=1000)},
              after=["/admin/organisations?status=verified", f"/admin/organisations/{organisation_id}"])

    # Endorsements of a proposal, a plan and a commitment: the flash names the organisation.
    for target in (f"proposal:{proposal_id}", f"plan:{plan['plan']}", f"commitment:{plan['commitment']}"):
        site.get(me, f"/endorsements/new?target={target}")
        site.post(me, f"/endorsements/new?target={target}",
                  {"target": target, "organisation_id": str(organisation_id),
                   "signed_by": inj.one("endorsement signed by", maxlen=200),
                   "statement": inj.one("endorsement statement", maxlen=500)}, who="author")
    site.post(me, f"/endorsements/new?target=proposal:{proposal_id}",
              {"target": f"proposal:{proposal_id}", "organisation_id": str(organisation_id), "signed_by": "",
               "statement": inj.one("endorsement statement (refused)", maxlen=500)}, expect=(422,), who="author")

    # Edits, web addresses, and a rejection with its reason.
    for n in (1, 2):
        site.post(me, f"/organisations/{organisation_id}/edit", _organisation_form(**details(n)), who="author",
                  after=[f"/organisations/{organisation_id}", f"/organisations/{organisation_id}/edit"])
    for link in inj.pick("organisation website", 5, kind="url", maxlen=300):
        site.post(me, f"/organisations/{organisation_id}/edit", _organisation_form(**details(3), website=link),
                  expect=(302, 422), who="author", after=[f"/organisations/{organisation_id}"])
    site.post(me, f"/organisations/{organisation_id}/edit",
              _organisation_form(**details(4), email=inj.one("organisation email", maxlen=254)), expect=(422,), who="author")
    with app.app_context():
        status = db.session.get(Organisation, organisation_id).status
    if status != Organisation.VERIFIED:
        site.post(office, f"/admin/organisations/{organisation_id}",
                  {"decision": "rejected", "reason": inj.one("rejection reason", maxlen=1000)},
                  after=[f"/admin/organisations/{organisation_id}", "/admin/organisations?status=rejected"])
        site.get(me, f"/organisations/{organisation_id}", who="author")
        site.post(office, f"/admin/organisations/{organisation_id}", {"decision": "verified", "reason": ""})
    # An invitation: its e-mail names the organisation and the inviter.
    site.post(me, f"/organisations/{organisation_id}/representatives", {"email": "friend@example.org"}, who="author",
              after=[f"/organisations/{organisation_id}/representatives"])
    site.post(me, f"/organisations/{organisation_id}/representatives",
              {"email": inj.one("invitation email", maxlen=254)}, expect=(422,), who="author")
    for message in outbox:
        assert message.html is None or not _markup_in(message.html), f"HTML e-mail with markup: {message.subject}"

    pages = ["/organisations/", f"/organisations/{organisation_id}", f"/proposals/{proposal_id}",
             f"/plans/{plan['plan']}", f"/commitments/{plan['commitment']}", "/api/v1/organisations",
             f"/api/v1/endorsements?organisation={organisation_id}", f"/api/v1/endorsements?target=proposal:{proposal_id}",
             "/admin/organisations"]
    for page in pages:
        site.get(office, page)
    site.crawl(site.browser(), pages[:7], who="visitor", limit=40)
    site.crawl(me, pages[:5] + [f"/organisations/{organisation_id}/representatives"], who="author", limit=30)
    site.finish()


def _markup_in(html: str) -> bool:
    inspector = Inspector()
    inspector.feed(html)
    return bool(inspector.problems)


# --- Action plans ------------------------------------------------------------------------------------------


def test_action_plan_texts_updates_and_reports_show_no_markup(app, site, staff, author, create_round, build_plan):
    from engage.plans import cocreation

    from engage.plans.models import ActionPlan

    inj = site.inj
    round_id = create_round(facilitators=[staff])
    built = build_plan(round_ids=[round_id])
    plan_id, commitment_id, milestone_id = built["plan"], built["commitment"], built["milestones"][0]
    office = site.browser(staff)
    pages = ["/plans/", f"/plans/{plan_id}", f"/commitments/{commitment_id}", f"/api/v1/plans",
             f"/api/v1/plans/{plan_id}"]

    for n in range(3):
        site.post(office, f"/plans/{plan_id}/edit", {
            "default_locale": "en", "period_start": "2026-01", "period_end": "2027-12", "status": "implementing",
            "adoption_reference": inj.one("plan adoption decision", maxlen=300), "adopted_on": "",
            "monitoring_contact": inj.one("plan monitoring contact", maxlen=1000), "round_ids": [str(round_id)],
            "title_en": inj.one("plan title", maxlen=300), "jurisdiction_en": inj.one("plan jurisdiction", maxlen=200),
            "lead_institutions_en": inj.one("plan lead institutions", maxlen=2000),
            "monitoring_body_en": inj.one("plan monitoring body", maxlen=2000)},
            after=pages[:2] + [f"/plans/{plan_id}/edit"])
        site.post(office, f"/commitments/{commitment_id}/edit", {
            "number": "4", "ogp_values": ["civic_participation"],
            "lead_institutions": inj.one("commitment lead institutions", maxlen=2000),
            "partners": inj.one("commitment partners", maxlen=2000), "title_en": inj.one("commitment title", maxlen=500),
            "problem_en": inj.everything("commitment problem", 10000) if n == 0 else inj.one("commitment problem"),
            "objective_en": inj.one("commitment objective", maxlen=10000),
            "expected_results_en": inj.one("commitment expected results", maxlen=10000)},
            after=[f"/commitments/{commitment_id}", f"/commitments/{commitment_id}/edit"])
        site.post(office, f"/milestones/{milestone_id}/edit", {
            "number": "", "responsible": inj.one("milestone responsible", maxlen=2000), "start_month": "2026-02",
            "end_month": "2026-03", "description_en": inj.one("milestone description", maxlen=3000),
            "indicator_en": inj.one("milestone indicator", maxlen=3000)},
            after=[f"/commitments/{commitment_id}", f"/milestones/{milestone_id}/edit"])
    response = site.post(office, f"/plans/{plan_id}/commitments/new", {
        "number": "5", "ogp_values": ["access_to_information"], "lead_institutions": "", "partners": "",
        "title_en": inj.one("commitment title", maxlen=500), "problem_en": inj.one("commitment problem"),
        "objective_en": "", "expected_results_en": ""})
    second = _id_from(response.headers["Location"], r"/commitments/(\d+)")
    site.post(office, f"/commitments/{second}/milestones/new", {
        "number": "", "responsible": inj.one("milestone responsible", maxlen=2000), "start_month": "2026-04",
        "end_month": "2026-06", "description_en": inj.one("milestone description", maxlen=3000),
        "indicator_en": inj.one("milestone indicator", maxlen=3000), "status": "not_started"},
        after=[f"/commitments/{second}"])

    # Progress updates with evidence links, then a report that keeps them.
    for n, text in enumerate(inj.pick("progress update", 3, maxlen=5000)):
        site.post(office, f"/milestones/{milestone_id}/updates/new", {
            "reported_on": f"2026-03-0{n + 1}", "text": text, "status": "in_progress",
            "evidence": "\n".join(inj.pick("evidence link", 2, kind="url", maxlen=200, no_space=True))},
            expect=(302, 422), after=[f"/commitments/{commitment_id}"])
    site.post(office, f"/milestones/{milestone_id}/updates/new", {
        "reported_on": "2026-03-05", "text": inj.one("progress update", maxlen=5000), "status": "",
        "evidence": "https://example.org/evidence"}, after=[f"/commitments/{commitment_id}"])
    response = site.post(office, f"/plans/{plan_id}/reports/new", {
        "title": inj.one("progress report title", maxlen=200), "period_start": "2026-01-01", "period_end": "2026-03-10",
        "narrative_en": inj.everything("progress report narrative", 20000)})
    report_id = _id_from(response.headers["Location"], r"/reports/(\d+)")
    pages += [f"/plans/{plan_id}/reports", f"/reports/{report_id}", f"/reports/{report_id}.json",
              f"/reports/{report_id}.csv"]

    # The co-creation report's explanations and references.
    with app.app_context():
        keys = cocreation.note_keys(db.session.get(ActionPlan, plan_id))
    notes = {}
    for key in keys[:4] + keys[-2:]:
        notes[f"explanation-{key}"] = inj.one("co-creation explanation", maxlen=5000)
        notes[f"references-{key}"] = inj.one("co-creation references", maxlen=5000)
    site.post(office, f"/plans/{plan_id}/co-creation/edit", notes,
              after=[f"/plans/{plan_id}/co-creation/edit", f"/plans/{plan_id}/co-creation.json"])
    pages += [f"/plans/{plan_id}/co-creation", f"/plans/{plan_id}/co-creation.json"]

    # Comments on a commitment.
    me = site.browser(author)
    for body in inj.pick("commitment comment", 2, maxlen=3000):
        site.post(me, f"/commitments/{commitment_id}/comments", {"body": body, "stance": "", "parent_id": ""}, who="author")

    for page in pages:
        site.get(office, page)
    site.crawl(site.browser(), pages, who="visitor", limit=60)
    site.crawl(office, pages, who="staff", limit=50)
    site.finish()


# --- The checks themselves -----------------------------------------------------------------------------------


def test_the_checks_catch_markup_that_gets_through(app, site, staff, create_round, monkeypatch):
    """With a broken renderer that lets Markdown through as raw HTML, the same checks report the corpus."""
    from markupsafe import Markup

    monkeypatch.setitem(app.jinja_env.filters, "markdown", lambda text: Markup(text or ""))
    round_id = create_round(facilitators=[staff])
    office = site.browser(staff)
    site.post(office, f"/rounds/{round_id}/edit",
              _round_form(description_en=site.inj.everything("round description, rendered unsafely", 20000)),
              after=[f"/rounds/{round_id}"])
    found = "\n".join(site.findings)
    for kind in ("script element", "script content", "event handler attribute", "with a scripting scheme",
                 "element the site never writes", "meta http-equiv", "link element", "style attribute",
                 "written out unescaped"):
        assert kind in found, f"no {kind!r} reported:\n{found[:3000]}"
    caught = {site.inj.uses[m][0] for m in MARKER_RE.findall(found)}
    assert len(caught) >= 50, f"only {len(caught)} payloads reported"


@pytest.mark.parametrize("html, bad", [
    ('<p>Hello <a href="https://example.org" rel="nofollow">there</a></p>', False),
    ('<p>&lt;script&gt;alert(1)&lt;/script&gt; <a href="/rounds/1">x</a></p>', False),
    ('<meta http-equiv="refresh" content="5">', False),
    ("<script>alert(1)</script>", True),
    ('<a href=" j&#x61;vascript:alert(1)">x</a>', True),
    ('<a href="java&#x09;script:alert(1)">x</a>', True),
    ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', True),
    ('<p title="x" onmouseover="alert(1)">x</p>', True),
    ('<form action="data:text/html,x"><button>x</button></form>', True),
    ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', True),
    ('<img src=x>', True),
    ("<iframe src=/></iframe>", True),
    ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', True),
])
def test_the_inspector(html, bad):
    global SITE_TAGS
    if SITE_TAGS is None:
        SITE_TAGS = _site_tags()  # read from the templates in the source tree
    assert _markup_in(html) is bad


# --- The corpus --------------------------------------------------------------------------------------------


def test_the_corpus_is_large_and_every_payload_was_sent(request):
    assert len(PAYLOADS) >= 50 and len(set(PAYLOADS)) == len(PAYLOADS)
    here = [item for item in request.session.items if item.module is request.module]
    written = [name for name in dir(request.module) if name.startswith("test_")]
    if len(here) < len(written):
        pytest.skip("the corpus is sent by the other tests of this module")
    missing = [PAYLOADS[i] for i in range(len(PAYLOADS)) if i not in USED]
    assert not missing, f"payloads never sent: {missing}"
    assert any(is_url_payload(i) for i in USED)
    print(f"[xss] {len(PAYLOADS)} payloads through {len(FIELDS)} fields; {RESPONSES['responses']} responses "
          f"of {len(PAGES)} pages checked")
