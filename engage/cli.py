"""Commands shared by the whole site: ``flask translate ...``."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
# Babel skips folders starting with "_" by default, which would miss templates/_macros.
IGNORE_DIRS = ".* __pycache__ instance"

translate_cli = AppGroup("translate", help="Extract, update and compile the uk, en and es catalogs.")


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


def compile_catalogs(quiet: bool = True) -> None:
    """Compile every ``.po`` under translations/ to ``.mo``."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=po_path.parent.parent.name)
        with po_path.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        if not quiet:
            click.echo(f"compiled {po_path.relative_to(ROOT)}")


SOURCE_LOCALE = "en"  # msgids are written in English


def fill_source_catalog() -> int:
    """Copy each msgid into the empty msgstr of the English catalog, so it is complete."""
    from babel.messages.pofile import read_po, write_po

    po_path = TRANSLATIONS / SOURCE_LOCALE / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=SOURCE_LOCALE)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not any(message.string):
                message.string = tuple(message.id)
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with po_path.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False)
    return filled


@translate_cli.command("extract")
def extract() -> None:
    """Collect translatable strings into translations/messages.pot."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--ignore-dirs", IGNORE_DIRS, "--no-location", "--sort-output", "-o", str(POT), ".")


@translate_cli.command("update")
def update() -> None:
    """Extract, then merge new strings into every catalog."""
    extract.callback()
    _pybabel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "--no-fuzzy-matching", "--ignore-obsolete")
    click.echo(f"filled {fill_source_catalog()} English messages from their source text")


@translate_cli.command("init")
@click.argument("locale")
def init(locale: str) -> None:
    """Start a catalog for a new LOCALE."""
    extract.callback()
    _pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", locale)


@translate_cli.command("compile")
def compile_() -> None:
    """Compile the catalogs so the site can use them."""
    compile_catalogs(quiet=False)
