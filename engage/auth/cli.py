"""``flask users ...``: manage accounts from the command line."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from engage.auth import services
from engage.core.passwords import MAX_LENGTH, MIN_LENGTH, is_common
from engage.core.permissions import Role
from engage.extensions import db

users_cli = AppGroup("users", help="Manage user accounts and roles.")
ROLE_CHOICE = click.Choice([r.value for r in Role.grantable()])


def _check_password(password: str) -> None:
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise click.BadParameter(f"must be between {MIN_LENGTH} and {MAX_LENGTH} characters", param_hint="password")
    if is_common(password):
        raise click.BadParameter("is one of the most common passwords", param_hint="password")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option("--role", "roles", multiple=True, type=ROLE_CHOICE, help="Role to grant; repeat for several.")
@click.option("--locale", default="uk", type=click.Choice(["uk", "en", "es"]))
@click.password_option("--password", prompt=True, confirmation_prompt=True)
def create(email: str, display_name: str, roles: tuple[str, ...], locale: str, password: str) -> None:
    """Create a confirmed account."""
    _check_password(password)
    if services.find_by_email(email):
        raise click.ClickException(f"an account for {email} already exists")
    user = services.create_user(
        email=email, display_name=display_name, password=password, locale=locale,
        roles=tuple(Role(r) for r in roles), confirmed=True,
    )
    db.session.commit()
    click.echo(f"Created {user.email} ({', '.join(r.value for r in user.all_roles)}).")


def _user(email: str):
    user = services.find_by_email(email)
    if user is None:
        raise click.ClickException(f"no account for {email}")
    return user


@users_cli.command("grant")
@click.argument("email")
@click.argument("role", type=ROLE_CHOICE)
def grant(email: str, role: str) -> None:
    """Grant ROLE to the account with EMAIL."""
    user = _user(email)
    changed = services.grant_role(user, Role(role))
    db.session.commit()
    click.echo(f"{email} {'is now' if changed else 'already was'} {role}.")


@users_cli.command("revoke")
@click.argument("email")
@click.argument("role", type=ROLE_CHOICE)
def revoke(email: str, role: str) -> None:
    """Revoke ROLE from the account with EMAIL."""
    user = _user(email)
    changed = services.revoke_role(user, Role(role))
    db.session.commit()
    click.echo(f"{email} {'is no longer' if changed else 'was not'} {role}.")
