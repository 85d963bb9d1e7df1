"""Download my data: the ZIP's files, no secrets, nobody else's data, the audit log, the background path."""
from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from engage.audit.models import AuditEvent
from engage.auth.models import User, UserSession
from engage.extensions import db
from engage.privacy.registry import entries
from tests.conftest import Browser, english_client, path_of
from tests.privacy.conftest import TOTP_SECRET


def _zip(response) -> dict[str, object]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    return {name: (archive.read(name).decode() if name.endswith(".txt") else json.loads(archive.read(name)))
            for name in archive.namelist()}


def _enrol(app, person):
    from engage.auth import twofactor

    with app.app_context():
        user = db.session.get(User, person.id)
        user.locale = "uk"  # she reads the site, and her README, in Ukrainian
        twofactor.enable_with_secret(user, TOTP_SECRET)
        codes = twofactor.regenerate_recovery_codes(user)
        db.session.commit()
        return codes


def test_visitors_are_sent_to_sign_in(browser):
    for url in ("/account/data", "/account/delete", "/account/data/some-token"):
        response = browser.get(url)
        assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


def test_the_zip_holds_every_kind_of_data_and_nothing_secret(app, world, browser):
    browser.sign_in(world.person)
    codes = _enrol(app, world.person)  # after signing in: this sign-in needed no code
    files = _zip(browser.submit("/account/data"))

    assert set(files) == {"README.txt"} | {f"{entry.name}.json" for entry in entries()}
    account = files["account.json"][0]
    assert (account["email"], account["display_name"], account["locale"]) == (
        "olha@example.org", "Olha Kovalenko", "uk")
    assert len(account["recovery_codes"]) == len(codes) and account["two_factor_enabled_at"]
    assert [p["title"] for p in files["proposals.json"]] == ["Bike lanes on Obolon embankment"]
    assert [c["body"] for c in files["comments.json"]] == ["Olha thinks this needs a map."]
    assert [s["proposal_id"] for s in files["supports.json"]] == [world.neighbour_proposal_id]
    answer = files["survey_answers.json"][0]
    assert answer["survey_id"] == world.survey.survey_id
    assert "Olha's idea" in [item["text"] for item in answer["items"]]
    assert [(r["meeting_id"], r["status"]) for r in files["meeting_registrations.json"]] == [
        (world.meeting_id, "registered")]
    organisations = files["organisations.json"][0]
    assert [r["organisation_id"] for r in organisations["representing"]] == [world.organisation_id]
    assert [e["statement"] for e in files["endorsements.json"]] == ["We back this."]
    # The reply notification (the neighbour's public name is part of it) and the one the test added.
    assert [n["kind"] for n in files["notifications.json"]] == ["reply", "reply"]
    assert {"title": "Olha's notice"} in [n["params"] for n in files["notifications.json"]]
    assert files["preferences.json"] == [{"kind": "reply", "email": False}]
    assert [f["details"] for f in files["flags.json"]] == ["Olha flags a duplicate"]
    assert [m["name"] for m in files["forum_membership.json"]] == ["Olha Kovalenko"]
    assert files["sessions.json"] and "user_agent" in files["sessions.json"][0]
    assert {"action": "two_factor.recovery_codes"}.items() <= files["audit_log.json"][0].items()
    # The README is in the person's language (Ukrainian) and names every file.
    readme = files["README.txt"]
    assert readme.startswith("Ваші дані з Engage") and "Olha Kovalenko" in readme
    for entry in entries():
        assert f"{entry.name}.json" in readme

    everything = json.dumps(files, ensure_ascii=False)
    with app.app_context():
        me = db.session.get(User, world.person.id)
        secrets = [me.password_hash, TOTP_SECRET, me.session_token]
        secrets += list(db.session.scalars(select(UserSession.key_hash).where(UserSession.user_id == me.id)))
        secrets += [code.replace("-", "") for code in codes] + codes
        from engage.auth.models import RecoveryCode

        secrets += list(db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == me.id)))
    for secret in secrets:
        assert secret not in everything
    for key in ("password_hash", "totp_secret", "key_hash", "code_hash", "session_token"):
        assert key not in everything
    # The neighbour's account, texts and answers are not in it.
    for theirs in ("taras@example.org", "Taras agrees about the map.", "Taras wants every contract published."):
        assert theirs not in everything


def test_each_download_is_recorded_in_the_audit_log(app, world, browser):
    browser.sign_in(world.person)
    browser.submit("/account/data")
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "privacy.downloaded")).all()
        assert [(e.actor_id, e.target_type, e.target_id) for e in events] == [
            (world.person.id, "user", world.person.id)]


def test_downloading_needs_a_recent_proof_of_identity(app, create_user, browser):
    person = create_user()
    browser.sign_in(person)
    with browser.client.session_transaction() as session:
        session["reauth_at"] = 0
    response = browser.submit("/account/data")
    assert response.status_code == 302 and "/account/confirm-identity" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "privacy.downloaded")) is None


def _prepare_in_background(app, monkeypatch, browser, person, outbox):
    """Ask for the download of a 'large' account; the job runs here, where the test can see it."""
    from engage.privacy import downloads

    started = []
    monkeypatch.setitem(app.config, "PRIVACY_EXPORT_SYNC_ROWS", 0)
    monkeypatch.setattr(downloads, "start", started.append)
    browser.sign_in(person)
    response = browser.submit("/account/data", follow_redirects=True)
    assert "We are preparing your file" in response.get_data(as_text=True)
    assert started == [person.id]
    with app.app_context():
        downloads.run_job(person.id)
    return outbox.last_link(person.email, "/account/data/")


def test_a_large_account_is_prepared_in_the_background_and_the_link_emailed(app, world, browser, outbox, monkeypatch):
    link = _prepare_in_background(app, monkeypatch, browser, world.person, outbox)
    message = outbox.to(world.person.email)[-1]
    assert message.subject  # the template's first line, in the person's language (Ukrainian)
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "privacy.downloaded")) is None
    files = _zip(browser.get(path_of(link)))
    assert files["account.json"][0]["email"] == world.person.email
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.details).where(AuditEvent.action == "privacy.downloaded")) \
            == "prepared file"


def test_a_prepared_link_works_only_for_its_owner(app, world, browser, outbox, monkeypatch, create_user):
    link = path_of(_prepare_in_background(app, monkeypatch, browser, world.person, outbox))
    visitor = english_client(app)
    response = visitor.get(link)
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    neighbour = Browser(english_client(app))
    neighbour.sign_in(world.neighbour)
    assert neighbour.get(link).status_code == 404
    admin = Browser(english_client(app))
    admin.sign_in(create_user("root@example.org", roles=("admin",)))
    assert admin.get(link).status_code == 404
    assert browser.get(link.rsplit("/", 1)[0] + "/not-a-token").status_code == 404
    assert browser.get(link).status_code == 200


def test_a_prepared_link_expires(app, world, browser, outbox, monkeypatch):
    from engage.privacy import downloads

    link = path_of(_prepare_in_background(app, monkeypatch, browser, world.person, outbox))
    later = downloads.wall_clock() + timedelta(hours=app.config["PRIVACY_DOWNLOAD_HOURS"], minutes=1)
    monkeypatch.setattr(downloads, "wall_clock", lambda: later)
    response = browser.get(link, follow_redirects=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "This download link has expired" in response.get_data(as_text=True)


def test_files_past_their_links_lifetime_are_swept(app, world, browser, outbox, monkeypatch):
    import os

    from engage.privacy import downloads

    link = path_of(_prepare_in_background(app, monkeypatch, browser, world.person, outbox))
    with app.app_context():
        path = downloads.read_link(link.rsplit("/", 1)[1]).path
        old = downloads.wall_clock().timestamp() - (downloads.hours() * 3600 + 60)
        os.utime(path, (old, old))
        assert downloads.sweep_expired() == 1
    assert not path.exists()


def test_background_preparation_falls_back_to_a_thread_when_redis_is_unreachable(app, monkeypatch):
    import redis  # noqa: F401  (imported before Thread is replaced below: it keeps the class it finds)
    import rq.worker  # noqa: F401

    from engage.privacy import downloads

    threads = []

    class Recorder:
        def __init__(self, target, args, daemon, name):
            threads.append((target, args[1], daemon, name))

        def start(self):
            threads.append("started")

    monkeypatch.setattr(downloads.threading, "Thread", Recorder)
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    with app.app_context():
        downloads.start(42)
    assert threads == [(downloads._run_in_thread, 42, True, "my-data-42"), "started"]


def test_with_redis_the_rq_worker_prepares_the_file_and_sends_the_link(app, world, browser, outbox, runner,
                                                                         monkeypatch):
    """REDIS_URL set: the request queues the job; `flask outbox rq-worker` builds the file, and the link's
    email (written by the job) goes through the outbox and RQ too."""
    import uuid

    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    name = uuid.uuid4().hex[:8]
    for key, value in (("REDIS_URL", url), ("RQ_QUEUE", f"engage-test-mail-{name}"),
                       ("RQ_EXPORT_QUEUE", f"engage-test-exports-{name}"), ("PRIVACY_EXPORT_SYNC_ROWS", 0)):
        monkeypatch.setitem(app.config, key, value)
    browser.sign_in(world.person)
    response = browser.submit("/account/data", follow_redirects=True)
    assert "We are preparing your file" in response.get_data(as_text=True)
    from rq import Queue

    exports = Queue(app.config["RQ_EXPORT_QUEUE"], connection=redis.Redis.from_url(url))
    assert exports.count == 1 and outbox.to(world.person.email) == []
    try:
        result = runner.invoke(args=["outbox", "rq-worker", "--burst"])
        assert result.exit_code == 0, result.output
        link = outbox.last_link(world.person.email, "/account/data/")
        assert _zip(browser.get(path_of(link)))["account.json"][0]["email"] == world.person.email
    finally:
        with app.app_context():
            from engage.core.outbox import mail_queue

            mail_queue().delete(delete_jobs=True)
        exports.delete(delete_jobs=True)
