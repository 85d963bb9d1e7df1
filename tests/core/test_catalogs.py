"""The uk, en and es catalogs are complete and keep every placeholder of the source text."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def _catalog(locale):
    with open(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=locale)


def _template_ids():
    with open(ROOT / "translations" / "messages.pot", "rb") as handle:
        return {message.id if isinstance(message.id, str) else message.id[0] for message in read_po(handle) if message.id}


@pytest.mark.parametrize("locale", ["uk", "en", "es"])
def test_catalog_is_complete(locale):
    catalog = _catalog(locale)
    messages = [message for message in catalog if message.id]
    ids = {message.id if isinstance(message.id, str) else message.id[0] for message in messages}
    assert _template_ids() <= ids, "run `flask translate update`"

    untranslated = []
    for message in messages:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            untranslated.append(message.id)
        if isinstance(message.id, tuple):
            assert len(strings) == catalog.num_plurals, message.id
    assert untranslated == []


@pytest.mark.parametrize("locale", ["uk", "es"])
def test_translations_keep_placeholders(locale):
    for message in _catalog(locale):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = set(PLACEHOLDER.findall(" ".join(source)))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            found = set(PLACEHOLDER.findall(string))
            # A plural form may drop the number ("одна година"), never add or rename one.
            assert found <= expected, (message.id, string)
            assert {p for p in expected if "num" not in p and "count" not in p} <= found, (message.id, string)


def test_template_matches_the_source(tmp_path):
    """Every translatable string in code and templates is in messages.pot (run `flask translate update`)."""
    import subprocess
    import sys

    from engage.cli import IGNORE_DIRS

    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg", "-k", "_l", "--ignore-dirs", IGNORE_DIRS,
         "--no-location", "-o", str(fresh), "."],
        check=True, cwd=ROOT,
    )
    with open(fresh, "rb") as handle:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert extracted == _template_ids()
