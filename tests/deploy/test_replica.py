"""A read replica (DATABASE_REPLICA_URL) serves visitors' public pages; nothing is ever written to it.

The replica here is a copy of the primary SQLite file, changed afterwards so that a page shows which
database it was read from. Routing does not depend on the database engine.
"""
from __future__ import annotations

import shutil
import sqlite3

import pytest
from flask_migrate import upgrade
from sqlalchemy import event, text

from engage import create_app
from engage.extensions import db
from engage.core.replica import EXTENSION_KEY

WRITES = ("INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "REPLACE")


@pytest.fixture
def replicated(tmp_path):
    primary, replica = tmp_path / "primary.sqlite", tmp_path / "replica.sqlite"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{primary}", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "MAIL_BACKEND": "log", "CACHE_TYPE": "NullCache",
                      "DATABASE_REPLICA_URL": f"sqlite:///{replica}", "EXPORT_FOLDER": str(tmp_path / "exports")})
    with app.app_context():
        upgrade()
        from engage.auth import services as accounts
        from engage.core.permissions import Role
        from engage.rounds import services as rounds
        from engage.rounds.phases import PhaseType
        from engage.core.time import utcnow
        from datetime import timedelta

        facilitator = accounts.create_user(email="f@example.org", display_name="Facilitator", password="x" * 12,
                                           locale="en", roles=(Role.FACILITATOR,), confirmed=True)
        resident = accounts.create_user(email="r@example.org", display_name="Resident", password="x" * 12,
                                        locale="en", confirmed=True)
        round_ = rounds.create_round(by=facilitator, default_locale="en", organiser="City", district=None,
                                     texts={"en": rounds.Texts("Primary title", "Summary")}, topics=["Parks"])
        rounds.add_phase(round_, type=PhaseType.CALL_FOR_PROPOSALS, starts_at=utcnow() - timedelta(days=1),
                         ends_at=utcnow() + timedelta(days=10))
        rounds.publish(round_)
        db.session.commit()
        from engage.auth import sessions

        sessions.start(resident)
        db.session.commit()
        ids = {"round": round_.id, "resident": resident.id, "session": resident.get_id()}
        db.session.remove()
        db.engine.dispose()  # the last connection closed writes the WAL back into the file copied below
    shutil.copy(primary, replica)
    with sqlite3.connect(replica) as conn:  # the replica "lags": it still has an older title
        conn.execute("UPDATE round_texts SET title = 'Replica title'")
    writes: list[str] = []
    with app.app_context():
        engine = app.extensions[EXTENSION_KEY]

    def record(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(WRITES):
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield app, ids, writes
    event.remove(engine, "before_cursor_execute", record)
    with app.app_context():
        db.engine.dispose()
        engine.dispose()


def signed_in(app, session_id):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    return client


def test_visitors_read_public_pages_from_the_replica(replicated):
    app, ids, writes = replicated
    visitor = app.test_client()
    assert "Replica title" in visitor.get(f"/rounds/{ids['round']}").get_data(as_text=True)
    assert "Replica title" in visitor.get("/rounds/").get_data(as_text=True)
    assert visitor.get(f"/api/v1/rounds/{ids['round']}").get_json()["texts"]["en"]["title"] == "Replica title"
    assert writes == []


def test_signed_in_people_and_forms_read_the_primary(replicated):
    app, ids, writes = replicated
    resident = signed_in(app, ids["session"])
    assert "Primary title" in resident.get(f"/rounds/{ids['round']}").get_data(as_text=True)
    assert resident.get(f"/api/v1/rounds/{ids['round']}").get_json()["texts"]["en"]["title"] == "Primary title"
    # A form is not a public page: it reads the primary.
    assert "Primary title" in resident.get(f"/rounds/{ids['round']}/proposals/new").get_data(as_text=True)
    assert writes == []


def test_writes_never_reach_the_replica(replicated):
    app, ids, writes = replicated
    resident = signed_in(app, ids["session"])
    response = resident.post(f"/rounds/{ids['round']}/proposals/new", data={
        "title": "Benches along the river", "body": "Put benches every hundred metres along the embankment.",
        "topic": "1", "district": "", "submit": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(text("SELECT count(*) FROM proposals")) == 1
        replica = app.extensions[EXTENSION_KEY]
        with replica.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM proposals")) == 0
    # Visitors' GETs that write (a confirmation link, the language cookie) use the primary too.
    app.test_client().get("/account/confirm/not-a-token")
    app.test_client().post("/language", data={"locale": "uk", "next": "/"})
    assert writes == []
