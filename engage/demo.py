"""``flask demo load``: realistic demo content; running it again changes nothing.

Each feature names its demo module in its manifest; the module registers its loaders with
:func:`engage.core.demo.demo_loader`, and they run in the order of the features' list.
"""
from __future__ import annotations

import importlib

import click
from flask import current_app
from flask.cli import AppGroup

from engage.core.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, LOADERS
from engage.core.features import demo_modules
from engage.extensions import db

demo_cli = AppGroup("demo", help="Demo data for trying Engage out.")


def load_all() -> list[str]:
    for module in demo_modules(current_app):  # each registers its loaders with @demo_loader when imported
        importlib.import_module(module)
    from engage.core.summaries import rebuild_all

    lines: list[str] = []
    for loader in LOADERS:
        lines.extend(loader())
    rebuild_all()  # the loaders write some rows directly; recount what the site keeps as totals
    db.session.commit()
    return lines


@demo_cli.command("load")
def load() -> None:
    """Create the demo accounts and content (safe to run again)."""
    lines = load_all()
    click.echo(f"Demo accounts (password: {DEMO_PASSWORD}):")
    for line in lines:
        click.echo(line)
    click.echo(f"Staff accounts ask for a two-factor code: `flask demo code EMAIL` prints it "
               f"(or add the key {DEMO_TOTP_SECRET} to an authenticator app).")


@demo_cli.command("code")
@click.argument("email")
def code(email: str) -> None:
    """Print the current two-factor code of a demo staff account (not in production)."""
    import pyotp

    from engage.auth import services as accounts
    from engage.auth.demo import DEMO_ACCOUNTS

    if current_app.config["ENGAGE_ENV"] == "production":
        raise click.ClickException("demo codes are not available in production")
    user = accounts.find_by_email(email)
    if user is None or email.strip().lower() not in {e for e, *_ in DEMO_ACCOUNTS} \
            or user.totp_secret != DEMO_TOTP_SECRET:
        raise click.ClickException("only the demo accounts enrolled by `flask demo load` have demo codes")
    click.echo(pyotp.TOTP(DEMO_TOTP_SECRET).now())
