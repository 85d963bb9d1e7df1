"""Optional fast delivery through RQ when ``REDIS_URL`` is set.

The outbox table stays the record: a message is enqueued only after the
transaction that wrote it commits, and the RQ job claims it exactly as
``flask outbox send`` does, so whichever comes first sends it and the other
finds nothing to do. If Redis is down, the outbox worker delivers it later.
"""
from __future__ import annotations

import logging

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("engage.outbox")
PENDING_KEY = "engage_outbox_to_enqueue"


def enabled() -> bool:
    return bool(current_app.config.get("REDIS_URL"))


def mail_queue():
    from redis import Redis
    from rq import Queue

    return Queue(current_app.config["RQ_QUEUE"], connection=Redis.from_url(current_app.config["REDIS_URL"]))


def after_commit_enqueue(message_id: int) -> None:
    """Remember to enqueue ``message_id`` once the current transaction commits."""
    if not enabled():
        return
    from engage.extensions import db

    db.session().info.setdefault(PENDING_KEY, []).append(message_id)


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session) -> None:
    ids = session.info.pop(PENDING_KEY, None)
    if not ids or not has_app_context() or not enabled():
        return
    try:
        queue = mail_queue()
        for message_id in ids:
            queue.enqueue("engage.notifications.queue.deliver", message_id)
    except Exception as exc:  # Redis unreachable: the outbox worker will deliver instead
        log.warning("could not queue %d emails through RQ (%s); the outbox worker will send them", len(ids), exc)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session) -> None:
    session.info.pop(PENDING_KEY, None)


def deliver(message_id: int) -> str | None:
    """The RQ job: send one outbox message (run by ``flask outbox rq-worker``, inside the app)."""
    from engage.notifications.services import deliver_one

    return deliver_one(message_id)
