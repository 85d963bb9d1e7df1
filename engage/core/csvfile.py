"""The one way Engage writes CSV: every text cell is made safe for spreadsheets.

People type the names, titles and comments that end up in exports; a cell starting with ``=``,
``+``, ``-`` or ``@`` would be run as a formula by the spreadsheet that opens the file. Every CSV
the site produces (downloads, exports built in the background, reports) goes through
:func:`writer`, which quotes such cells with a leading apostrophe.
"""
from __future__ import annotations

import csv
from typing import IO, Any, Iterable

FORMULA_STARTS = frozenset(("=", "+", "-", "@", "\t", "\r"))


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in FORMULA_STARTS else value


class SafeWriter:
    """``csv.writer`` whose rows have their text cells neutralised; numbers and empty cells pass as they are."""

    def __init__(self, file: IO[str]):
        self._writer = csv.writer(file)

    def writerow(self, row: Iterable[Any]) -> None:
        # Inlined (an export writes millions of cells): the same test as spreadsheet_safe.
        starts = FORMULA_STARTS
        self._writer.writerow([("'" + cell) if cell.__class__ is str and cell[:1] in starts else cell for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(file: IO[str]) -> SafeWriter:
    return SafeWriter(file)
