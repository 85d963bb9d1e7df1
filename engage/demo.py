"""``flask demo load``: realistic demo content; running it again changes nothing.

Later features add their own loaders with :func:`demo_loader`.
"""
from __future__ import annotations

from typing import Callable

import click
from flask.cli import AppGroup

from engage.auth import services as accounts
from engage.core.permissions import Role
from engage.extensions import db

demo_cli = AppGroup("demo", help="Demo data for trying Engage out.")

DEMO_PASSWORD = "engage-demo-2026"
# The demo staff accounts sign in with two-factor codes from this published key (add it to any
# authenticator app, or run `flask demo code EMAIL`). Never used outside the demo accounts.
DEMO_TOTP_SECRET = "ENGAGEDEMOKYIVTWOFACTORSTAFFCODE"

DEMO_ACCOUNTS = [
    # email, display name, language, roles
    ("admin@example.org", "Олена Адміністраторка", "uk", (Role.ADMIN,)),
    ("facilitator@example.org", "Ігор Фасилітатор", "uk", (Role.FACILITATOR,)),
    ("moderator@example.org", "Марта Модераторка", "uk", (Role.MODERATOR,)),
    ("resident@example.org", "Оксана Коваленко", "uk", ()),
    ("resident.en@example.org", "Daniel Brooks", "en", ()),
    ("ngo@example.org", "Андрій Шевчук", "uk", ()),
]

_LOADERS: list[Callable[[], list[str]]] = []


def demo_loader(fn: Callable[[], list[str]]) -> Callable[[], list[str]]:
    """Register a loader; it returns lines to print and must be idempotent."""
    _LOADERS.append(fn)
    return fn


@demo_loader
def load_accounts() -> list[str]:
    lines = []
    for email, name, locale, roles in DEMO_ACCOUNTS:
        user = accounts.find_by_email(email)
        if user is None:
            user = accounts.create_user(
                email=email, display_name=name, password=DEMO_PASSWORD, locale=locale,
                roles=roles, confirmed=True,
            )
            state = "created"
        else:
            state = "exists"
        from engage.auth import twofactor

        if roles and not user.has_two_factor:
            twofactor.enable_with_secret(user, DEMO_TOTP_SECRET)
        role_text = ", ".join(r.value for r in user.all_roles)
        lines.append(f"  {email:<26} {role_text:<22} {user.locale}  ({state})")
    return lines


FEATURE_LOADERS = ("engage.rounds.demo", "engage.feedback.demo", "engage.surveys.demo", "engage.organisations.demo",
                   "engage.forum.demo", "engage.meetings.demo", "engage.plans.demo")


def load_all() -> list[str]:
    import importlib

    for module in FEATURE_LOADERS:  # each registers its loader with @demo_loader when imported
        importlib.import_module(module)
    from engage.core.summaries import rebuild_all

    lines: list[str] = []
    for loader in _LOADERS:
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
    from flask import current_app

    if current_app.config["ENGAGE_ENV"] == "production":
        raise click.ClickException("demo codes are not available in production")
    user = accounts.find_by_email(email)
    if user is None or email.strip().lower() not in {e for e, *_ in DEMO_ACCOUNTS} \
            or user.totp_secret != DEMO_TOTP_SECRET:
        raise click.ClickException("only the demo accounts enrolled by `flask demo load` have demo codes")
    click.echo(pyotp.TOTP(DEMO_TOTP_SECRET).now())
