"""The reliability run (bench/reliability.py) at a small size: no 5xx and every count exact.

40 people comment on a proposal, then support it (some twice at once, some taking it back) while they
comment on a meeting; 20 register for 10 seats (some twice at once) and some cancel; a full workshop's
freed seats go to the people registering at that moment. gunicorn serves the app with the production
settings on a fresh database: a SQLite file, and a PostgreSQL database of its own (created next to
TEST_DATABASE_URL's and dropped afterwards) when TEST_DATABASE_URL is set.
"""
from __future__ import annotations

import os

import pytest

from bench import reliability

POSTGRES = os.environ.get("TEST_DATABASE_URL") or ""

DATABASES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.skipif(
        not POSTGRES.startswith(("postgres://", "postgresql")), reason="set TEST_DATABASE_URL to a PostgreSQL database")),
]


@pytest.mark.parametrize("worker_class", ["sync", "gthread"])
@pytest.mark.parametrize("database", DATABASES)
def test_many_people_writing_at_the_same_moment_lose_nothing(database, worker_class):
    options = reliability.Options(db=database, worker_class=worker_class, workers=2, threads=4, people=40, seats=10,
                                  registrants=20, cancellations=2, workshop_seats=6, quiet=True,
                                  postgres_server=POSTGRES or reliability.DEFAULT_POSTGRES)
    result = reliability.run(options)
    report = reliability.table(result)

    assert result.server_errors == 0, report
    assert result.no_answer == 0, report
    assert result.unexpected == 0, report
    assert result.requests == sum(sum(s.values()) for s in result.statuses.values())
    assert result.requests >= 40 * 4 + 20, report  # every request was made and answered
    assert [c.name for c in result.wrong_counts] == [], report
    checks = {c.name: c for c in result.checks}
    supporters = sum(1 for n in range(40) if n % 3 != 2)
    assert checks["supports: rows"].database == checks["supports: proposal's counter"].database == supporters
    assert checks["supports: on the page (visitor)"].page == supporters
    assert checks["registrations: given a seat"].database == 10
    assert checks["registrations: on the waitlist"].database == 20 - 2 - 10
    assert checks["workshop: given a seat (every freed seat taken)"].database == 6
    assert checks["round totals: participants (people and the author)"].database == 41
