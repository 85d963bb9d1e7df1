"""What each feature keeps about a person, described once for the download and for the deletion.

A feature registers one :class:`PersonalData` per kind of row: the JSON file it fills in the download,
the sentence the README says about it, how to count and export the rows of one person, how to erase
them, and which foreign keys to ``users.id`` it answers for. A test walks every foreign key to
``users.id`` in the schema and fails when one is answered for by nobody, so a new table that names
people cannot be forgotten by either right.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable

from sqlalchemy import func, select, update

from engage.extensions import db


@dataclass
class Erasure:
    """One deletion under way: whose, by whom, and whether their contributions go too."""

    user: Any  # engage.auth.models.User
    by: Any  # the person deleting: the user themselves or an administrator
    delete_contributions: bool = False
    placeholder: str = ""  # the anonymised account's name in records kept for security


@dataclass(frozen=True)
class PersonalData:
    name: str  # the file in the download: "<name>.json"
    description: Any  # a lazy translated sentence for README.txt
    columns: tuple[str, ...]  # "table.column" foreign keys to users.id this entry answers for
    export: Callable[[Any], list[dict]]  # the person's rows, as JSON-ready dictionaries (never secrets)
    erase: Callable[[Erasure], None]  # removes, anonymises or detaches them (flushes; never commits)
    count: Callable[[Any], int]  # how many rows, roughly: big downloads are prepared in the background
    order: int = 50  # erasure order: contributions first, the account itself last


_ENTRIES: dict[str, PersonalData] = {}


def register(entry: PersonalData) -> PersonalData:
    if entry.name in _ENTRIES:
        raise ValueError(f"personal data {entry.name!r} registered twice")
    _ENTRIES[entry.name] = entry
    return entry


def entries() -> list[PersonalData]:
    """Every entry, in the order of the download's files."""
    return sorted(_ENTRIES.values(), key=lambda e: e.name)


def erasure_order() -> list[PersonalData]:
    return sorted(_ENTRIES.values(), key=lambda e: (e.order, e.name))


def covered_columns() -> set[str]:
    return {column for entry in _ENTRIES.values() for column in entry.columns}


# --- Helpers for the sources ---------------------------------------------------------------------


def plain(value):
    """A value as JSON has it: dates as ISO 8601 text."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def rows(query, fields: tuple[str, ...]) -> list[dict]:
    """The ORM objects of ``query`` as dictionaries of ``fields`` (only those named: no secrets by accident)."""
    return [{name: plain(getattr(row, name)) for name in fields} for row in db.session.scalars(query)]


def counter(model, *conditions) -> Callable[[Any], int]:
    """A ``count(user)`` of ``model`` rows matching ``conditions(user)``."""

    def count(user) -> int:
        where = [condition(user) for condition in conditions]
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    return count


def nothing(_user) -> int:
    return 0


def detach(column) -> Callable[[Erasure], None]:
    """An ``erase`` that empties ``column`` (a nullable foreign key) on the person's rows: the row is the
    site's record (a round, a plan's update, a written answer) and stays, by "a former participant"."""
    def erase(erasure: Erasure) -> None:
        db.session.execute(update(column.class_).where(column == erasure.user.id).values({column.key: None})
                           .execution_options(synchronize_session="fetch"))

    return erase


def records(model, column, fields: tuple[str, ...], *, name: str, description, order: int = 60) -> PersonalData:
    """Register rows the person made for the site (as staff, mostly): exported, then detached from them."""
    return register(PersonalData(
        name=name, description=description, columns=(f"{model.__tablename__}.{column.key}",),
        export=lambda user: rows(select(model).where(column == user.id).order_by(model.id), fields),
        erase=detach(column), count=counter(model, lambda user: column == user.id), order=order,
    ))
