"""``flask audit prune``: delete entries older than AUDIT_LOG_DAYS (run it daily, e.g. from cron)."""
import click
from flask.cli import AppGroup

from engage.extensions import db

audit_cli = AppGroup("audit", help="The audit log of privileged actions.")


@audit_cli.command("prune")
@click.option("--days", type=int, default=None, help="Keep this many days instead of AUDIT_LOG_DAYS.")
def prune(days: int | None) -> None:
    from engage.audit import services

    removed = services.prune(days)
    db.session.commit()
    click.echo(f"removed {removed} audit log entries")
