"""Outbox messages claimed in batches (engage.core.outbox._claim_due): never the same message twice."""
from __future__ import annotations

import os
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select, text

from engage.extensions import db

on_postgresql = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith(("postgres://", "postgresql")),
    reason="concurrent senders need PostgreSQL (FOR UPDATE SKIP LOCKED); SQLite has one writer")


def queue_messages(app, count: int, *, due_in=timedelta(0)) -> list[int]:
    from engage.core.time import utcnow
    from engage.core.outbox import OutboxMessage

    with app.app_context():
        now = utcnow()
        ids = list(db.session.scalars(insert(OutboxMessage).returning(OutboxMessage.id, sort_by_parameter_order=True), [
            {"to": f"person{n}@example.org", "subject": f"Message {n}", "text": f"Body of message {n}",
             "status": OutboxMessage.PENDING, "attempts": 0, "next_attempt_at": now + due_in, "created_at": now}
            for n in range(count)]))
        db.session.commit()
        return ids


def statuses(app) -> dict[str, int]:
    from engage.core.outbox import OutboxMessage

    with app.app_context():
        return dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())


def sent_subjects(outbox) -> list[str]:
    return sorted(m.subject for m in outbox)


def test_two_senders_never_claim_the_same_message(app):
    from engage.core.time import utcnow
    from engage.core.outbox import _claim_due

    ids = queue_messages(app, 10)
    later = queue_messages(app, 2, due_in=timedelta(hours=1))  # not due yet
    with app.app_context():
        first, _ = _claim_due(utcnow(), 4)
    with app.app_context():
        second, _ = _claim_due(utcnow(), 4)
    with app.app_context():
        third, _ = _claim_due(utcnow(), 4)
        fourth, _ = _claim_due(utcnow(), 4)
    assert first == ids[:4] and second == ids[4:8] and third == ids[8:] and fourth == []
    assert not set(first) & set(second) and not set(later) & set(first + second + third)
    assert statuses(app) == {"sending": 10, "pending": 2}


def test_every_message_is_sent_once_however_often_the_sender_runs(app, outbox):
    from engage.core.outbox import OutboxMessage
    from engage.core.outbox import deliver_due

    queue_messages(app, 9)
    results = []
    with app.app_context():
        for _ in range(5):
            results.append(deliver_due(limit=4))
    assert [r["sent"] for r in results] == [4, 4, 1, 0, 0]
    assert sent_subjects(outbox) == sorted(f"Message {n}" for n in range(9))
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage)).all()
        assert {(m.status, m.attempts) for m in rows} == {("sent", 1)} and all(m.sent_at for m in rows)


def test_a_message_claimed_by_one_sender_is_not_sent_by_another(app, outbox, runner):
    from engage.core.time import utcnow
    from engage.core.outbox import _claim_due, _send_claimed, deliver_due

    ids = queue_messages(app, 3)
    with app.app_context():
        mine, _ = _claim_due(utcnow(), 1)  # one sender has claimed the first message and not sent it yet
    assert mine == ids[:1]
    with app.app_context():
        assert deliver_due()["sent"] == 2  # another sender sends the two others only
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0 and "sent 0" in result.output
    assert sent_subjects(outbox) == ["Message 1", "Message 2"]
    with app.app_context():
        assert _send_claimed(mine[0]) == "sent"
    assert sent_subjects(outbox) == ["Message 0", "Message 1", "Message 2"]
    with app.app_context():
        assert deliver_due()["sent"] == 0


def test_a_claim_left_by_a_sender_that_died_is_taken_again(app, outbox):
    from engage.core.time import utcnow
    from engage.core.outbox import OutboxMessage
    from engage.core.outbox import STALE_CLAIM, _claim_due, deliver_due

    queue_messages(app, 2)
    with app.app_context():
        _claim_due(utcnow(), 2)
        db.session.execute(OutboxMessage.__table__.update().where(OutboxMessage.id == db.session.scalar(
            select(func.min(OutboxMessage.id)))).values(claimed_at=utcnow() - STALE_CLAIM - timedelta(minutes=1)))
        db.session.commit()
        assert deliver_due()["sent"] == 1  # the stale claim only; the fresh one belongs to a sender still at work
    assert sent_subjects(outbox) == ["Message 0"]


def test_a_batch_that_outlives_the_stale_claim_is_not_sent_twice(app, outbox, clock):
    from engage.core.time import utcnow
    from engage.core.outbox import STALE_CLAIM, _claim_due, _renew_claim, _send_claimed, deliver_due
    from tests.conftest import T0

    clock(T0)
    queue_messages(app, 3)
    with app.app_context():
        batch, stamp = _claim_due(utcnow(), 200)  # sender A takes the three messages...
        assert _renew_claim(batch[0], stamp) and _send_claimed(batch[0]) == "sent"  # ...and the mail server is slow
    clock(T0 + STALE_CLAIM + timedelta(minutes=1))
    with app.app_context():
        deliver_due()  # sender B takes the two others as abandoned
    with app.app_context():
        for message_id in batch[1:]:  # sender A carries on with its batch, as deliver_due does
            if _renew_claim(message_id, stamp):
                _send_claimed(message_id)
    assert sorted(m.subject for m in outbox) == ["Message 0", "Message 1", "Message 2"]


def _run_senders(app, count: int, limit: int, barrier: threading.Barrier, results: list, errors: list) -> None:
    from engage.core.outbox import deliver_due

    try:
        with app.app_context():
            barrier.wait(timeout=10)
            while True:
                outcome = deliver_due(limit=limit)
                results.append(outcome["sent"])
                if not outcome["sent"]:
                    break
    except Exception as exc:  # noqa: BLE001 - reported by the test
        errors.append(exc)


@on_postgresql
def test_concurrent_senders_send_each_message_exactly_once(app, outbox):
    from engage.core.outbox import OutboxMessage

    count = 240
    queue_messages(app, count)
    senders = 3
    barrier = threading.Barrier(senders)
    results: list[list[int]] = [[] for _ in range(senders)]
    errors: list = []
    threads = [threading.Thread(target=_run_senders, args=(app, count, 15, barrier, results[n], errors))
               for n in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and not any(t.is_alive() for t in threads)
    subjects = [m.subject for m in outbox]
    assert len(subjects) == count and len(set(subjects)) == count
    assert sum(sum(r) for r in results) == count
    assert sum(1 for r in results if sum(r)) >= 2, "the senders shared the work"
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage)).all()
        assert {(m.status, m.attempts) for m in rows} == {(OutboxMessage.SENT, 1)}


@on_postgresql
def test_a_sender_skips_messages_another_sender_has_locked(app, outbox):
    """FOR UPDATE SKIP LOCKED: rows locked by another transaction are left to it, without waiting."""
    from engage.core.outbox import deliver_due

    ids = queue_messages(app, 6)
    with app.app_context():
        locker = db.engine.connect()
        transaction = locker.begin()
        locker.execute(text("SELECT id FROM outbox_messages WHERE id IN (:a, :b) FOR UPDATE"), {"a": ids[0], "b": ids[1]})
        done: list = []
        worker = threading.Thread(target=lambda: done.append(_deliver_in(app, deliver_due)))
        worker.start()
        worker.join(timeout=10)
        try:
            assert not worker.is_alive(), "the sender waited for the other sender's locks"
            assert done == [4]
        finally:
            transaction.rollback()
            locker.close()
    assert sent_subjects(outbox) == [f"Message {n}" for n in range(2, 6)]
    with app.app_context():
        assert deliver_due()["sent"] == 2
    assert len(outbox) == 6


def _deliver_in(app, deliver_due) -> int:
    with app.app_context():
        return deliver_due()["sent"]
