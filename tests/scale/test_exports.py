"""Whole-round and whole-survey files (engage.core.exports): built once, served whole with their checksum.

Small files are written in the request; above EXPORT_SYNC_ROWS rows the first request answers 202 while a
background thread (or an RQ worker) writes the file. Every CSV goes through engage.core.csvfile.
"""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import time
import uuid
from pathlib import Path

import pytest

from engage.extensions import db
from tests.conftest import DAY, T0, Browser
from tests.scale.conftest import redis_or_skip

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1 and more", "-1 is my vote", "@SUM(1+1)"]


def download(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code, response.get_data(as_text=True)[:300])
    body = response.get_data()
    assert int(response.headers["Content-Length"]) == len(body), url
    digest = hashlib.sha256(body).digest()
    assert response.headers["X-Checksum-SHA256"] == digest.hex(), url
    assert response.headers["Repr-Digest"] == "sha-256=:" + base64.b64encode(digest).decode() + ":", url
    assert response.headers["Content-Disposition"].startswith("attachment"), url
    return response


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def files_in(folder: Path) -> list[Path]:
    """The complete files of an export folder: every one has its checksum beside it, and matches it."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_dir() or path.name.endswith((".sha256", ".building")):
            continue
        assert not path.name.startswith("."), f"a temporary file is visible: {path.name}"
        checksum = path.with_name(path.name + ".sha256")
        assert checksum.exists(), f"{path.name} has no checksum beside it"
        assert checksum.read_text().strip() == hashlib.sha256(path.read_bytes()).hexdigest(), path.name
        found.append(path)
    return found


def complete_files(folder: Path) -> list[Path]:
    """Like files_in, while a build may be running: its temporary file is hidden and never counted."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_dir() or path.name.startswith(".") or path.name.endswith((".sha256", ".building")):
            continue
        checksum = path.with_name(path.name + ".sha256")
        assert checksum.exists(), f"{path.name} is visible before its checksum"
        assert checksum.read_text().strip() == hashlib.sha256(path.read_bytes()).hexdigest(), path.name
        found.append(path)
    return found


@pytest.fixture
def signed_in(app):
    def make(person) -> Browser:
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        browser = Browser(client)
        browser.sign_in(person)
        return browser

    return make


@pytest.fixture
def discussed(app, create_user, create_round, create_proposal, signed_in, clock):
    """A round with two proposals and three comments (one a reply), written through the site."""
    clock.to_phase("call_for_proposals")
    facilitator = create_user(roles=("facilitator",), display_name="Iryna Facilitator")
    round_id = create_round(facilitators=[facilitator])
    author = create_user(display_name="Olha Author")
    first = create_proposal(round_id, author, title="Open budget data every week")
    second = create_proposal(round_id, author, title="Live streams of council sessions")
    commenter = signed_in(create_user(display_name="Taras Commenter"))
    commenter.submit(f"/proposals/{first}/comments", {"body": "Weekly is better than monthly."})
    commenter.submit(f"/proposals/{second}/comments", {"body": "And keep the recordings online."})
    commenter.submit(f"/rounds/{round_id}/comments", {"body": "A question about the round itself."})
    return {"round": round_id, "first": first, "second": second, "facilitator": facilitator, "author": author,
            "commenter": commenter}


ROUND_FILES = ["proposals.csv", "comments.csv", "report.csv", "report.json"]


def test_small_files_are_whole_with_their_length_and_checksum(app, visitor, discussed, export_folder):
    round_id = discussed["round"]
    bodies = {}
    for name in ROUND_FILES:
        response = download(visitor, f"/rounds/{round_id}/{name}")
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        bodies[name] = response.get_data()
    assert [r["title"] for r in rows_of(download(visitor, f"/rounds/{round_id}/proposals.csv"))] == \
        ["Open budget data every week", "Live streams of council sessions"]
    comments = rows_of(download(visitor, f"/rounds/{round_id}/comments.csv"))
    assert [c["body"] for c in comments] == ["Weekly is better than monthly.", "And keep the recordings online.",
                                             "A question about the round itself."]
    assert comments[0]["author"] == "Taras Commenter"
    assert all(c["url"].startswith(app.config["BASE_URL"]) for c in comments)
    report = json.loads(bodies["report.json"])
    assert report["counts"]["proposals"] == 2 and len(report["proposals"]) == 2
    # One file per export, each with its checksum, nothing half-written.
    written = files_in(export_folder)
    assert len(written) == 4
    stamps = {p: p.stat().st_mtime_ns for p in written}
    # A second request gets the same bytes, from the same file (not written again).
    for name in ROUND_FILES:
        again = download(visitor, f"/rounds/{round_id}/{name}")
        assert again.get_data() == bodies[name], name
        assert again.headers["ETag"] == download(visitor, f"/rounds/{round_id}/{name}").headers["ETag"]
    assert {p: p.stat().st_mtime_ns for p in files_in(export_folder)} == stamps
    # A cut-off download resumes with a range.
    rest = visitor.get(f"/rounds/{round_id}/comments.csv", headers={"Range": "bytes=10-"})
    assert rest.status_code == 206 and rest.get_data() == bodies["comments.csv"][10:]
    etag = visitor.get(f"/rounds/{round_id}/comments.csv").headers["ETag"]
    assert visitor.get(f"/rounds/{round_id}/comments.csv", headers={"If-None-Match": etag}).status_code == 304


def test_a_new_comment_gives_a_new_file(app, visitor, discussed, export_folder):
    round_id, url = discussed["round"], f"/rounds/{discussed['round']}/comments.csv"
    before = download(visitor, url)
    proposals_before = download(visitor, f"/rounds/{round_id}/proposals.csv")
    discussed["commenter"].submit(f"/proposals/{discussed['first']}/comments", {"body": "A comment written later."})
    after = download(visitor, url)
    assert after.headers["X-Checksum-SHA256"] != before.headers["X-Checksum-SHA256"]
    assert "A comment written later." in after.get_data(as_text=True)
    assert len(rows_of(after)) == len(rows_of(before)) + 1
    proposals = download(visitor, f"/rounds/{round_id}/proposals.csv")
    assert proposals.get_data() != proposals_before.get_data()  # its comment count changed
    assert [r["comments"] for r in rows_of(proposals)] == ["2", "1"]
    # The older versions are gone: one file per export and round.
    written = files_in(export_folder)
    assert len([p for p in written if p.parent.name == "round-comments"]) == 1
    assert len([p for p in written if p.parent.name == "round-proposals"]) == 1
    assert download(visitor, url).get_data() == after.get_data()  # and it is kept until the next change


def test_a_new_display_name_gives_a_new_file(visitor, discussed):
    url = f"/rounds/{discussed['round']}/comments.csv"
    assert "Taras Commenter" in download(visitor, url).get_data(as_text=True)
    discussed["commenter"].submit("/account/", {"display_name": "Taras Renamed", "locale": "en", "bio": ""})
    body = download(visitor, url).get_data(as_text=True)
    assert "Taras Renamed" in body and "Taras Commenter" not in body


def test_formulas_are_neutralised_in_every_csv(app, visitor, create_user, create_round, create_proposal, signed_in,
                                                build_survey, create_meeting, clock):
    clock.to_phase("call_for_proposals")
    facilitator = create_user(roles=("facilitator",))
    round_id = create_round(facilitators=[facilitator])
    author = create_user(display_name="=Olha")
    ids = [create_proposal(round_id, author, title=title, body=f"{title} (body)") for title in FORMULAS]
    writer = signed_in(create_user(display_name="@Taras"))
    for pid, text in zip(ids, FORMULAS):
        assert writer.submit(f"/proposals/{pid}/comments", {"body": text}).status_code == 302
    answering = signed_in(facilitator)
    for pid, text in zip(ids, FORMULAS):
        answering.submit(f"/proposals/{pid}/response", {f"p{pid}-outcome": "accepted", f"p{pid}-reason": text},
                         form_url=f"/proposals/{pid}")

    proposals = rows_of(download(visitor, f"/rounds/{round_id}/proposals.csv"))
    assert [r["title"] for r in proposals] == ["'" + t for t in FORMULAS]
    assert [r["body"] for r in proposals] == ["'" + t + " (body)" for t in FORMULAS]
    assert {r["author"] for r in proposals} == {"'=Olha"}
    comments = rows_of(download(visitor, f"/rounds/{round_id}/comments.csv"))
    assert [r["body"] for r in comments] == ["'" + t for t in FORMULAS]
    assert {r["author"] for r in comments} == {"'@Taras"}
    report = rows_of(download(visitor, f"/rounds/{round_id}/report.csv"))
    assert sorted(r["title"] for r in report) == sorted("'" + t for t in FORMULAS)
    assert sorted(r["reason"] for r in report) == sorted("'" + t for t in FORMULAS)
    assert int(report[0]["supports"]) == 0  # numbers stay numbers

    built = build_survey(visibility="live", anonymous=True, demographics=False)
    clock(T0 + 12 * DAY)
    for text in FORMULAS:  # each from a browser of its own
        respondent = visitor.application.test_client()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                          respondent.get(f"/surveys/{built.survey_id}").get_data(as_text=True)).group(1)
        assert respondent.post(f"/surveys/{built.survey_id}", data={
            "csrf_token": token, f"q{built.q['transport']}": "other", f"q{built.q['transport']}-other": text,
            f"q{built.q['idea']}": text}).status_code == 302
    answers = rows_of(download(visitor, f"/surveys/{built.survey_id}/results.csv"))
    idea = next(column for column in answers[0] if column.endswith("Your idea"))
    assert sorted(row[idea] for row in answers) == sorted("'" + t for t in FORMULAS)
    transport = next(column for column in answers[0] if column.endswith("How do you travel?"))
    assert sorted(row[transport] for row in answers) == sorted("Other: " + t for t in FORMULAS)

    meeting_id = create_meeting(facilitator, round_id=round_id, capacity=10, registration=True)
    for name in FORMULAS:
        signed_in(create_user(display_name=name)).submit(f"/meetings/{meeting_id}/register", {},
                                                         form_url=f"/meetings/{meeting_id}")
    registrations = answering.get(f"/meetings/{meeting_id}/registrations.csv")
    assert registrations.status_code == 200
    names = [row[0] for row in csv.reader(io.StringIO(registrations.get_data(as_text=True)))][1:]
    assert sorted(names) == sorted("'" + t for t in FORMULAS)


def test_hidden_proposals_and_deleted_comments_leave_no_text(app, visitor, discussed, create_user, signed_in):
    round_id = discussed["round"]
    secret_comment = "Call me on 067 123 4567"
    commenter = discussed["commenter"]
    commenter.submit(f"/proposals/{discussed['first']}/comments", {"body": secret_comment})
    with app.app_context():
        from engage.comments.models import Comment

        comment_id = db.session.scalar(db.select(Comment.id).where(Comment.body == secret_comment))
    assert commenter.submit(f"/comments/{comment_id}/delete", form_url="/").status_code == 302
    moderator = signed_in(create_user(roles=("moderator",)))
    assert moderator.submit(f"/moderation/proposal/{discussed['second']}/hide", {"reason": "Personal data"},
                            form_url=f"/moderation/proposal/{discussed['second']}").status_code == 302
    hidden_comment = "Weekly is better than monthly."
    hidden_id = None
    with app.app_context():
        hidden_id = db.session.scalar(db.select(Comment.id).where(Comment.body == hidden_comment))
    assert moderator.submit(f"/moderation/comment/{hidden_id}/hide", {"reason": "Off topic"},
                            form_url=f"/moderation/comment/{hidden_id}").status_code == 302
    everything = ""
    for name in ROUND_FILES:
        everything += download(visitor, f"/rounds/{round_id}/{name}").get_data(as_text=True)
    for text in (secret_comment, hidden_comment, "Live streams of council sessions", "Live streams"):
        assert text not in everything, text
    proposals = {int(r["id"]): r for r in rows_of(download(visitor, f"/rounds/{round_id}/proposals.csv"))}
    hidden = proposals[discussed["second"]]
    assert (hidden["title"], hidden["body"], hidden["author"]) == ("", "", "")
    assert hidden["hidden"] == "True" and hidden["hidden_reason"] == "Personal data"
    comments = {int(r["id"]): r for r in rows_of(download(visitor, f"/rounds/{round_id}/comments.csv"))}
    assert comments[comment_id]["deleted"] == "True" and comments[comment_id]["body"] == ""
    assert comments[comment_id]["author"] == ""
    assert comments[hidden_id]["hidden"] == "True" and comments[hidden_id]["hidden_reason"] == "Off topic"
    assert comments[hidden_id]["body"] == "" and comments[hidden_id]["author"] == ""
    report = json.loads(download(visitor, f"/rounds/{round_id}/report.json").get_data())
    assert next(p for p in report["proposals"] if p["proposal_id"] == discussed["second"])["title"] is None


def test_drafts_give_404(app, visitor, create_user, create_round, build_survey, signed_in):
    facilitator = create_user(roles=("facilitator",))
    draft = create_round(facilitators=[facilitator], published=False)
    survey = build_survey(published=False)
    facilitators_browser = signed_in(facilitator)
    for name in ROUND_FILES:
        assert visitor.get(f"/rounds/{draft}/{name}").status_code == 404, name
        assert facilitators_browser.get(f"/rounds/{draft}/{name}").status_code == 404, name
    assert visitor.get(f"/surveys/{survey.survey_id}/results.csv").status_code == 404
    assert visitor.get("/rounds/999999/comments.csv").status_code == 404


@pytest.fixture
def few_sync_rows(app):
    saved = app.config["EXPORT_SYNC_ROWS"]
    app.config["EXPORT_SYNC_ROWS"] = 1
    yield
    app.config["EXPORT_SYNC_ROWS"] = saved


def poll(client, url, *, seconds=10.0, folder: Path | None = None):
    """Ask again until the file is ready, checking on the way that nothing incomplete is ever served or listed."""
    deadline = time.monotonic() + seconds
    while True:
        response = client.get(url)
        if folder is not None:
            complete_files(folder)
        if response.status_code == 200:
            return response
        assert response.status_code == 202, response.status_code
        assert time.monotonic() < deadline, f"{url} was not ready after {seconds} s"
        time.sleep(0.05)


def test_large_files_are_written_in_the_background(app, visitor, discussed, few_sync_rows, export_folder):
    round_id = discussed["round"]
    url = f"/rounds/{round_id}/comments.csv"
    first = visitor.get(url)
    assert first.status_code == 202
    assert first.headers["Retry-After"] == "5" and first.headers["Cache-Control"] == "no-store"
    page = first.get_data(as_text=True)
    assert "The file is being prepared" in page and f"round-{round_id}-comments.csv" in page
    assert '<meta http-equiv="refresh" content="5">' in page
    ready = poll(visitor, url, folder=export_folder)
    body = download(visitor, url).get_data()
    assert ready.get_data() == body
    assert [r["body"] for r in rows_of(ready)][-1] == "A question about the round itself."
    # JSON for whoever asks for it, and always for report.json.
    waiting = visitor.get(f"/rounds/{round_id}/report.json")
    assert waiting.status_code == 202 and waiting.headers["Retry-After"] == "5"
    assert waiting.get_json()["status"] == "preparing" and waiting.get_json()["retry_after"] == 5
    assert "The file is being prepared" in waiting.get_json()["message"]
    report = json.loads(poll(visitor, f"/rounds/{round_id}/report.json").get_data())
    assert report["counts"]["comments"] == 3 and len(report["proposals"]) == 2
    asked = visitor.get(f"/rounds/{round_id}/proposals.csv", headers={"Accept": "application/json"})
    assert asked.status_code == 202 and asked.get_json()["status"] == "preparing"
    poll(visitor, f"/rounds/{round_id}/proposals.csv")
    assert len(files_in(export_folder)) == 3


def test_a_file_being_written_is_never_served_half_done(app, visitor, discussed, few_sync_rows, export_folder):
    """Enough comments that the background build takes a while; every answer meanwhile is 202 or the whole file."""
    from engage.comments.models import Comment
    from engage.rounds import stats

    round_id = discussed["round"]
    with app.app_context():
        author_id = discussed["author"].id
        db.session.execute(db.insert(Comment), [
            {"round_id": round_id, "proposal_id": discussed["first"], "author_id": author_id, "depth": 0,
             "body": f"Bulk comment number {n} " + "with some text to write " * 20, "locale": "en",
             "is_official": False, "created_at": T0, "updated_at": T0} for n in range(2500)])
        stats.rebuild([round_id])
        db.session.commit()
    url = f"/rounds/{round_id}/comments.csv"
    assert visitor.get(url).status_code == 202
    ready = poll(visitor, url, folder=export_folder)
    assert len(rows_of(ready)) == 2503
    assert files_in(export_folder)[0].name.startswith(f"{round_id}-")


def test_the_waiting_page_speaks_the_visitors_language(app, new_visitor, discussed, few_sync_rows):
    round_id = discussed["round"]
    for locale, page_of, json_of in (("uk", "report.csv", "report.json"), ("es", "comments.csv", "proposals.csv")):
        response = new_visitor(locale).get(f"/rounds/{round_id}/{page_of}")
        assert response.status_code == 202
        page = response.get_data(as_text=True)
        assert f'<html lang="{locale}">' in page
        assert "The file is being prepared" not in page and "holds a lot of data" not in page, locale
        waiting = new_visitor(locale).get(f"/rounds/{round_id}/{json_of}", headers={"Accept": "application/json"})
        assert waiting.status_code == 202
        assert waiting.get_json()["message"] != "The file is being prepared. Ask again in a few seconds.", locale


def test_flask_exports_build_writes_the_file(app, runner, visitor, discussed, few_sync_rows, export_folder):
    round_id = discussed["round"]
    result = runner.invoke(args=["exports", "build", "round-comments", str(round_id)])
    assert result.exit_code == 0, result.output
    [written] = files_in(export_folder)
    assert written.parent.name == "round-comments" and str(written) in result.output
    assert hashlib.sha256(written.read_bytes()).hexdigest() in result.output
    # The file is the current version: the site serves it at once, without a 202.
    served = download(visitor, f"/rounds/{round_id}/comments.csv")
    assert served.get_data() == written.read_bytes()
    assert "Weekly is better than monthly." in served.get_data(as_text=True)
    bad = runner.invoke(args=["exports", "build", "nothing-like-this", "1"])
    assert bad.exit_code != 0 and "no export called nothing-like-this" in bad.output
    gone = runner.invoke(args=["exports", "build", "round-comments", "999999"])
    assert gone.exit_code != 0 and "nothing public with id 999999" in gone.output


@pytest.fixture
def rq_exports(app, few_sync_rows):
    url = "redis://127.0.0.1:6379/7"
    connection = redis_or_skip(url)
    from rq import Queue

    names = f"engage-test-exports-{uuid.uuid4().hex[:8]}", f"engage-test-mail-{uuid.uuid4().hex[:8]}"
    saved = app.config["REDIS_URL"], app.config["RQ_EXPORT_QUEUE"], app.config["RQ_QUEUE"]
    app.config["REDIS_URL"], app.config["RQ_EXPORT_QUEUE"], app.config["RQ_QUEUE"] = url, *names
    queue = Queue(names[0], connection=connection)
    yield queue
    for name in names:
        Queue(name, connection=connection).delete(delete_jobs=True)
    app.config["REDIS_URL"], app.config["RQ_EXPORT_QUEUE"], app.config["RQ_QUEUE"] = saved


def test_with_redis_the_file_is_built_by_an_rq_worker(app, visitor, discussed, rq_exports, export_folder):
    from rq import SimpleWorker

    round_id = discussed["round"]
    url = f"/rounds/{round_id}/report.csv"
    assert visitor.get(url).status_code == 202
    assert rq_exports.count == 1
    assert visitor.get(url).status_code == 202 and rq_exports.count == 1  # asked again: queued once
    assert complete_files(export_folder) == []
    with app.app_context():
        SimpleWorker([rq_exports], connection=rq_exports.connection).work(burst=True)
    assert rq_exports.count == 0
    ready = download(visitor, url)
    assert [r["title"] for r in rows_of(ready)] == ["Open budget data every week", "Live streams of council sessions"]
    [written] = files_in(export_folder)
    assert written.read_bytes() == ready.get_data()
