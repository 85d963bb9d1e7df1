"""Stored counts and aggregates, and how to rebuild them from the rows they summarise.

Features keep their counters exact in the same transaction as the rows they count (a support
and ``support_count``, a comment and its round's totals). Data written around the services — a
bulk import, the benchmark generator, a repair after a manual fix — is made consistent again by
:func:`rebuild_all`, which runs every rebuild function features registered with :func:`summary`.
``flask summaries rebuild`` calls it.
"""
from __future__ import annotations

from typing import Callable

import click
from flask.cli import AppGroup

RebuildFn = Callable[[], None]
_REBUILDERS: dict[str, RebuildFn] = {}


def summary(name: str) -> Callable[[RebuildFn], RebuildFn]:
    """Register ``fn()`` as the rebuild of the summary called ``name`` (it flushes; the caller commits)."""

    def decorator(fn: RebuildFn) -> RebuildFn:
        if name in _REBUILDERS:
            raise ValueError(f"summary {name!r} registered twice")
        _REBUILDERS[name] = fn
        return fn

    return decorator


def names() -> list[str]:
    return list(_REBUILDERS)


def rebuild_all(progress: Callable[[str], None] | None = None) -> None:
    """Recompute every registered summary from its rows, in registration order."""
    from engage.core.cache import SITE, touch

    for name, fn in _REBUILDERS.items():
        if progress is not None:
            progress(name)
        fn()
    touch(SITE)  # every stored page and file shows some total: all are out of date once this commits


summaries_cli = AppGroup("summaries", help="Stored counts and aggregates.")


@summaries_cli.command("rebuild")
def rebuild_command() -> None:
    """Recount every stored total and tally from the rows (after a bulk import or a manual repair)."""
    from engage.extensions import db

    rebuild_all(progress=lambda name: click.echo(f"rebuilding {name} ..."))
    db.session.commit()
    click.echo("done")
