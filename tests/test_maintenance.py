"""``flask maintenance purge`` deletes exactly what is past its keeping period, in batches, and is safe to repeat."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from engage.extensions import db


def _fill(app, person_id: int, organisation_id: int) -> None:
    """For each kind, one row just past its period and one just inside it."""
    from engage.audit.models import AuditEvent
    from engage.auth.models import SignInThrottle, UserSession
    from engage.core.outbox import OutboxMessage
    from engage.core.time import utcnow
    from engage.organisations.models import Invitation

    now, day = utcnow(), timedelta(days=1)
    keep = app.config["SESSION_KEEP_DAYS"]
    with app.app_context():
        for n, (created, ended) in enumerate([
            (now - (keep + 2) * day, now - (keep + 1) * day),  # ended long ago: goes
            (now - 3 * day, now - 2 * day),  # ended lately: stays
            (now - (app.config["SESSION_MAX_DAYS"] + keep + 1) * day, None),  # never ended, long expired: goes
            (now - day, None),  # in use: stays
        ]):
            db.session.add(UserSession(key_hash=f"{n:064d}", user_id=person_id, created_at=created,
                                       last_seen_at=ended or now, ended_at=ended, remember=False,
                                       ip_address="", user_agent=""))
        db.session.add(SignInThrottle(email_hash="a" * 64, failures=4, last_failed_at=now - 2 * day))  # goes
        db.session.add(SignInThrottle(email_hash="b" * 64, failures=4, last_failed_at=now - timedelta(hours=2)))
        old = now - (app.config["OUTBOX_KEEP_DAYS"] + 1) * day
        for status, created in (("sent", old), ("failed", old), ("pending", old), ("sent", now - day)):
            db.session.add(OutboxMessage(to="p@example.org", subject="s", text="t", status=status, attempts=1,
                                         next_attempt_at=created, created_at=created,
                                         sent_at=created if status == "sent" else None))
        db.session.add(Invitation(organisation_id=organisation_id, email="gone@example.org",
                                  created_at=now - (14 + keep + 1) * day))  # expired long ago, never accepted
        db.session.add(Invitation(organisation_id=organisation_id, email="kept@example.org",
                                  created_at=now - (14 + keep + 1) * day, accepted_at=now - (keep + 10) * day))
        db.session.add(Invitation(organisation_id=organisation_id, email="open@example.org", created_at=now - day))
        for age in (app.config["AUDIT_LOG_DAYS"] + 1, 1):
            db.session.add(AuditEvent(created_at=now - age * day, action="role.granted", actor_name="x"))
        db.session.commit()


def _counts(app) -> dict[str, int]:
    from engage.audit.models import AuditEvent
    from engage.auth.models import SignInThrottle, UserSession
    from engage.core.outbox import OutboxMessage
    from engage.organisations.models import Invitation

    with app.app_context():
        return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
                for model in (UserSession, SignInThrottle, OutboxMessage, Invitation, AuditEvent)}


def test_purge_deletes_only_what_is_past_its_time(app, runner, create_user, create_organisation):
    person = create_user()
    organisation_id = create_organisation(person)
    before = _counts(app)
    _fill(app, person.id, organisation_id)

    dry = runner.invoke(args=["maintenance", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "sign-ins: 2 would be deleted" in dry.output
    assert _counts(app)["user_sessions"] == before["user_sessions"] + 4  # nothing went

    result = runner.invoke(args=["maintenance", "purge"])
    assert result.exit_code == 0, result.output
    for line in ("sign-ins: 2 deleted", "failed sign-in counts: 1 deleted", "emails sent or given up: 2 deleted",
                 "expired invitations: 1 deleted", "audit log entries: 1 deleted"):
        assert line in result.output
    after = _counts(app)
    assert after == {"user_sessions": before["user_sessions"] + 2, "sign_in_throttles": before["sign_in_throttles"] + 1,
                     "outbox_messages": before["outbox_messages"] + 2,
                     "organisation_invitations": before["organisation_invitations"] + 2,
                     "audit_events": before["audit_events"] + 1}
    with app.app_context():
        from engage.core.outbox import OutboxMessage
        from engage.organisations.models import Invitation

        assert sorted(db.session.scalars(select(OutboxMessage.status))) == ["pending", "sent"]  # a pending one stays
        assert "gone@example.org" not in set(db.session.scalars(select(Invitation.email)))

    again = runner.invoke(args=["maintenance", "purge"])
    assert "sign-ins: 0 deleted" in again.output and _counts(app) == after


def test_purge_works_through_more_than_one_batch(app, runner, create_user, monkeypatch):
    from engage import maintenance
    from engage.core.outbox import OutboxMessage
    from engage.core.time import utcnow

    monkeypatch.setattr(maintenance, "BATCH", 3)
    old = utcnow() - timedelta(days=app.config["OUTBOX_KEEP_DAYS"] + 1)
    with app.app_context():
        db.session.add_all(OutboxMessage(to=f"p{n}@example.org", subject="s", text="t", status="sent", attempts=1,
                                         next_attempt_at=old, created_at=old, sent_at=old) for n in range(7))
        db.session.commit()
    result = runner.invoke(args=["maintenance", "purge"])
    assert "emails sent or given up: 7 deleted" in result.output
    assert _counts(app)["outbox_messages"] == 0
