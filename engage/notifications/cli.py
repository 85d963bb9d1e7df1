"""``flask outbox send`` delivers due emails once; ``flask outbox work`` keeps doing it (and announces phases)."""
from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup

outbox_cli = AppGroup("outbox", help="Deliver the emails waiting in the outbox.")


@outbox_cli.command("send")
@click.option("--limit", default=200, show_default=True, help="At most this many emails in one run.")
def send(limit: int) -> None:
    """Send the emails that are due, once."""
    from engage.core.outbox import deliver_due

    result = deliver_due(limit=limit)
    click.echo(f"sent {result['sent']}, to retry {result['retry']}, given up {result['failed']}")


@outbox_cli.command("work")
@click.option("--interval", type=int, default=None, help="Seconds between runs (default OUTBOX_INTERVAL).")
@click.option("--runs", type=int, default=0, help="Stop after this many runs (0: never).")
def work(interval: int | None, runs: int) -> None:
    """Announce phases that began and send due emails, again and again."""
    from engage.core.outbox import deliver_due
    from engage.notifications.services import announce_phases

    pause = interval if interval is not None else current_app.config["OUTBOX_INTERVAL"]
    done = 0
    while True:
        announced = announce_phases()
        result = deliver_due()
        if announced or any(result.values()):
            click.echo(f"phases announced {announced}; sent {result['sent']}, to retry {result['retry']}, "
                       f"given up {result['failed']}")
        done += 1
        if runs and done >= runs:
            return
        time.sleep(pause)


@outbox_cli.command("rq-worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def rq_worker(burst: bool) -> None:
    """Deliver emails and build large downloads queued through RQ (needs REDIS_URL); runs inside the app."""
    from rq import Queue, SimpleWorker

    from engage.core.outbox import mail_queue

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set; use flask outbox work instead.")
    queue = mail_queue()
    exports = Queue(current_app.config["RQ_EXPORT_QUEUE"], connection=queue.connection)
    SimpleWorker([queue, exports], connection=queue.connection).work(burst=burst)
