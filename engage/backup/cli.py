"""``flask backup create|verify|restore PATH``: one file with the database and the uploads."""
from __future__ import annotations

import time
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from engage.backup import services
from engage.backup.archive import BackupError, read

backup_cli = AppGroup("backup", help="Back up and restore the database and the uploaded documents.")

PATH = click.Path(dir_okay=False, path_type=Path)
# Refusals and failures end the command with their reason and exit code 1, never a traceback.
FAILURES = (BackupError, SQLAlchemyError)


def _reason(exc: Exception) -> str:
    if isinstance(exc, SQLAlchemyError):
        return f"the database did not answer: {getattr(exc, 'orig', None) or exc}".strip()
    return str(exc)


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _summary(manifest: dict) -> str:
    uploads = manifest["uploads"]
    return (f"made {manifest['created_at']} from {manifest['dialect']} at schema revision {manifest['revision']}: "
            f"{sum(manifest['tables'].values()):,} rows in {len(manifest['tables'])} tables, "
            f"{uploads['files']} uploaded files ({_size(uploads['bytes'])})")


@backup_cli.command("create")
@click.argument("path", type=PATH)
@click.option("--gzip/--no-gzip", "compress", default=None,
              help="Compress the archive. Default: on SQLite, not on PostgreSQL (its dump is compressed already).")
def create(path: Path, compress: bool | None) -> None:
    """Write a backup of the database and UPLOAD_FOLDER to PATH (readable by its owner only)."""
    try:
        created = services.create(path, compress=compress)
    except FAILURES as exc:
        raise click.ClickException(f"no backup written: {_reason(exc)}") from exc
    click.echo(f"wrote {created.path} ({_size(created.size)} in {created.seconds:.1f} s), {_summary(created.manifest)}")


@backup_cli.command("verify")
@click.argument("path", type=PATH)
@click.option("--tables", is_flag=True, help="List the rows of every table the backup holds.")
def verify(path: Path, tables: bool) -> None:
    """Check PATH's checksums and that this installation can restore it; change nothing."""
    try:
        manifest = read(path)
        plan = services.check(manifest)
    except FAILURES as exc:
        raise click.ClickException(_reason(exc)) from exc
    click.echo(f"{path}: every checksum matches; {_summary(manifest)}")
    if tables:
        for name, rows in sorted(manifest["tables"].items()):
            click.echo(f"  {name:<40} {rows:>12,}")
    if plan.needs_upgrade:
        click.echo(f"a restore would upgrade it from {manifest['revision']} to {plan.head}")
    if plan.replaces_data:
        click.echo(f"the configured database ({plan.target}) is not empty: restoring needs --force")


def _describe_replaced(plan: services.Check) -> str:
    rows = sum(plan.existing_rows.values())
    biggest = sorted(plan.existing_rows.items(), key=lambda item: -item[1])[:5]
    listed = ", ".join(f"{name} {n:,}" for name, n in biggest)
    return (f"{rows:,} rows in {len(plan.existing_rows)} tables of {plan.target}"
            + (f" ({listed}{', ...' if len(plan.existing_rows) > 5 else ''})" if listed else "")
            + f" and {plan.existing_uploads} files in {services.upload_folder()}")


@backup_cli.command("restore")
@click.argument("path", type=PATH)
@click.option("--force", is_flag=True, help="Replace the data of a database (and uploads folder) that is not empty.")
def restore(path: Path, force: bool) -> None:
    """Restore PATH into the configured database and UPLOAD_FOLDER, then upgrade it to the latest schema.

    Stop the site (and the workers) first: a restore replaces everything they read."""
    started = time.monotonic()
    try:
        with services.unpacked(path) as backup:
            plan = services.check(backup.manifest)
            if plan.replaces_data and not force:
                raise BackupError(f"nothing restored: there are already {_describe_replaced(plan)}; "
                                  "pass --force to replace them with the backup")
            click.echo(f"restoring {path}, {_summary(backup.manifest)}")
            if plan.replaces_data:
                click.echo(f"replacing {_describe_replaced(plan)}")
            result = services.restore(backup, plan)
    except FAILURES as exc:
        raise click.ClickException(_reason(exc)) from exc
    if result.upgraded_to:
        click.echo(f"upgraded the schema from {backup.manifest['revision']} to {result.upgraded_to}")
    if result.mismatches:
        for name, (expected, found) in sorted(result.mismatches.items()):
            click.echo(f"  {name}: {expected:,} rows in the backup, {found if found is not None else 'no table'} restored")
        raise click.ClickException(f"the restored rows differ from the backup's manifest in {len(result.mismatches)} tables")
    click.echo(f"restored {result.rows:,} rows in {len(backup.manifest['tables'])} tables (every count matches "
               f"the manifest) and {backup.manifest['uploads']['files']} uploaded files in {time.monotonic() - started:.1f} s")
