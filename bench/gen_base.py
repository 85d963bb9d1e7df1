"""What every step of the benchmark generator shares: the sizes, the random source, dates, ids and batches.

Rows are written with ``db.session.execute(insert(Model), [dicts])`` in batches of :data:`BATCH`, from
generators, so memory stays bounded whatever the size. Primary keys are given explicitly (the tables
start empty), so later steps know the ids without reading them back; on PostgreSQL the sequences are
moved past them at the end (``generate.finish``).

All randomness comes from one ``random.Random(seed)``. Dates are relative to :attr:`Gen.anchor`, the
start of the day of generation (UTC): the generated activity happened before it, and the phases of the
rounds are placed around it.
"""
from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import insert
from tqdm import tqdm

from engage.extensions import db

BATCH = 5000
COMMIT_EVERY = 100_000  # rows; keeps SQLite's write-ahead log and PostgreSQL's transaction moderate
LOCALE_CODES = ("uk", "en", "es")
LOCALE_WEIGHTS = (80, 12, 8)
FIRST_RESIDENT = 6  # users 1-5 are the named accounts (see gen_people.ACCOUNTS)


@dataclass(frozen=True)
class Size:
    users: int
    rounds: int
    proposals: int
    big_proposals: int  # in the big round
    supports: int
    big_supports: int
    big_comments: int  # in the big round, with those on the round itself
    big_proposal_comments: int
    other_comments: int
    survey_answers: int
    small_survey_answers: int
    commitments: int
    milestones_per_commitment: int
    commitment_comments: int
    meetings: int
    headline_capacity: int  # seats of the meeting the manifest names (full, with a waitlist)
    forum_members: int
    organisations: int  # verified
    pending_organisations: int
    endorsements: int
    followers: int


SIZES = {
    "small": Size(users=170, rounds=3, proposals=400, big_proposals=250, supports=4000, big_supports=2800,
                  big_comments=2000, big_proposal_comments=200, other_comments=1000, survey_answers=3000,
                  small_survey_answers=100, commitments=5, milestones_per_commitment=8, commitment_comments=50,
                  meetings=30, headline_capacity=40, forum_members=12, organisations=200, pending_organisations=5,
                  endorsements=300, followers=40),
    "city": Size(users=500_000, rounds=20, proposals=50_000, big_proposals=20_000, supports=1_000_000,
                 big_supports=600_000, big_comments=500_000, big_proposal_comments=5000, other_comments=200_000,
                 survey_answers=100_000, small_survey_answers=2000, commitments=30, milestones_per_commitment=10,
                 commitment_comments=500, meetings=200, headline_capacity=500, forum_members=40,
                 organisations=1000, pending_organisations=20, endorsements=5000, followers=5000),
    "capital": Size(users=1_500_000, rounds=20, proposals=150_000, big_proposals=60_000, supports=3_000_000,
                    big_supports=1_800_000, big_comments=1_500_000, big_proposal_comments=5000,
                    other_comments=600_000, survey_answers=100_000, small_survey_answers=2000, commitments=30,
                    milestones_per_commitment=10, commitment_comments=500, meetings=200, headline_capacity=1500,
                    forum_members=40, organisations=3000, pending_organisations=60, endorsements=15_000, followers=15_000),
}


@dataclass
class RoundPlan:
    """What later steps need to know about a generated round."""

    id: int
    kind: str  # big, closed, feedback, drafting, prioritisation, deliberation, cfp, information, upcoming, draft
    phases: dict[str, tuple[datetime, datetime]]
    published: bool
    district: str | None = None
    theme: int = 0  # index into texts.ROUND_THEMES
    topics: list[tuple[int, str]] = field(default_factory=list)  # (topic id, vocabulary key)
    phase_ids: dict[str, int] = field(default_factory=dict)
    document_ids: list[int] = field(default_factory=list)
    first_proposal: int = 0
    proposal_count: int = 0
    proposal_created: list[datetime] = field(default_factory=list)
    comment_total: int = 0
    support_total: int = 0
    support_counts: dict[int, int] = field(default_factory=dict)  # proposal id -> supports
    comment_counts: dict[int, int] = field(default_factory=dict)  # proposal id -> comments (deleted included)

    def window(self, first: str, last: str, anchor: datetime) -> tuple[datetime, datetime] | None:
        """From the start of phase ``first`` to the end of ``last`` (at most ``anchor``); None if not begun."""
        start, end = self.phases[first][0], min(self.phases[last][1], anchor)
        return (start, end) if start < end else None

    @property
    def proposal_ids(self) -> range:
        return range(self.first_proposal, self.first_proposal + self.proposal_count)


class Gen:
    """The generator's state: random source, dates, ids, the batches being written, and what steps learned."""

    def __init__(self, size: str, seed: int, progress: bool):
        self.size, self.seed = SIZES[size], seed
        self.rng = random.Random(seed)
        self.progress = progress
        self.anchor = datetime.combine(datetime.now(UTC).date(), time(0), tzinfo=UTC)
        self.user_start = self.anchor - timedelta(days=6 * 365)
        self.ids: Counter[str] = Counter()
        self._since_commit = 0
        self.bar: tqdm | None = None
        # Learned by the steps, read by later ones and by the manifest.
        self.accounts: dict[str, int] = {}
        self.user_locale = bytearray()
        self.names: dict[int, str] = {}  # display names of the people later steps name (signers, members)
        self.verified_organisations: range = range(0)
        self.representatives: dict[int, list[int]] = {}  # organisation id -> user ids
        self.rounds: list[RoundPlan] = []
        self.big: RoundPlan | None = None
        self.big_proposal = 0
        self.auto_hide_reason = ""  # engage.moderation's reason for content hidden after repeated flags
        self.hidden_proposals: set[int] = set()
        self.title_words: Counter[str] = Counter()  # in how many of the big round's titles each word is
        self.withdrawn_proposals: set[int] = set()
        self.answers: list[tuple] = []  # (proposal id, [(outcome, merged into, at)]) for the feedback step
        # (kind, target id, round id, written at, how, hidden at, reason, flags) for the moderation step
        self.moderated: list[tuple] = []
        self.resident_proposals: list[tuple[int, str]] = []  # (id, title) of the resident account's proposals
        self.replies_to_resident: list[tuple[int, dict, int]] = []  # (reply id, its discussion, replier)
        self.resident_share = 0.0  # of the comments being written, the share the resident account writes
        self.meeting_document: dict[int, int] = {}  # meeting id -> its first document
        self.plan_id = 0
        self.commitments: range = range(0)
        self.deferred_indexes: list[tuple[str, str]] = []  # (name, definition), see bench.indexes
        self.params: dict[str, object] = {}
        self.extra: dict[str, object] = {}

    # --- ids and rows ---------------------------------------------------------------------------

    def take(self, model, n: int = 1) -> int:
        """Reserve ``n`` consecutive primary keys of ``model``'s table; returns the first."""
        table = model.__tablename__
        first = self.ids[table] + 1
        self.ids[table] += n
        return first

    def insert(self, model, rows: Iterable[dict]) -> int:
        """Write ``rows`` (a generator is best) in batches; returns how many were written."""
        written, batch = 0, []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                written += self._write(model, batch)
                batch = []
        if batch:
            written += self._write(model, batch)
        return written

    def _write(self, model, batch: list[dict]) -> int:
        db.session.execute(insert(model.__table__), batch)
        if self.bar is not None:
            self.bar.update(len(batch))
        self._since_commit += len(batch)
        if self._since_commit >= COMMIT_EVERY:
            db.session.commit()
            self._since_commit = 0
        return len(batch)

    def expect(self, rows: int) -> None:
        """Tell the current step's progress bar how many rows it will write."""
        if self.bar is not None:
            self.bar.total = rows
            self.bar.refresh()

    # --- people ---------------------------------------------------------------------------------

    def registered_by(self, moment: datetime) -> int:
        """The highest user id registered before ``moment`` (ids follow the order of registration)."""
        share = (moment - self.user_start) / (self.anchor - self.user_start)
        last = int(FIRST_RESIDENT + share * (self.size.users - FIRST_RESIDENT))
        return max(min(last, self.size.users), min(FIRST_RESIDENT + 50, self.size.users))

    def resident(self, moment: datetime) -> int:
        """A random resident registered before ``moment``."""
        return self.rng.randint(FIRST_RESIDENT, self.registered_by(moment))

    def residents(self, k: int, moment: datetime) -> list[int]:
        """``k`` distinct residents registered before ``moment`` (fewer if there are not that many)."""
        pool = range(FIRST_RESIDENT, self.registered_by(moment) + 1)
        return self.rng.sample(pool, min(k, len(pool)))

    def locale_of(self, user_id: int) -> str:
        return LOCALE_CODES[self.user_locale[user_id]]

    # --- dates ----------------------------------------------------------------------------------

    def day(self, days: float) -> datetime:
        return self.anchor + timedelta(days=days)

    def between(self, start: datetime, end: datetime) -> datetime:
        return start + timedelta(seconds=self.rng.random() * max((end - start).total_seconds(), 0))

    def sorted_between(self, n: int, start: datetime, end: datetime) -> list[datetime]:
        return sorted(self.between(start, end) for _ in range(n))

    def hex(self, bits: int = 128) -> str:
        return f"{self.rng.getrandbits(bits):0{bits // 4}x}"


def allocate(rng: random.Random, total: int, n: int, *, offset: float, cap: int) -> list[int]:
    """Split ``total`` over ``n`` items, skewed like a Zipf law (rank r gets about 1/(r+offset)), at most ``cap``
    each, in a random order: a few items get much, most get little."""
    if n <= 0:
        return []
    total = min(total, n * cap)
    weights = [1.0 / (rank + 1 + offset) for rank in range(n)]
    scale = total / sum(weights)
    counts = []
    for weight in weights:
        raw = weight * scale
        whole = int(raw)
        counts.append(min(cap, whole + (1 if rng.random() < raw - whole else 0)))
    missing = total - sum(counts)
    while missing:
        i = rng.randrange(n)
        if missing > 0 and counts[i] < cap:
            counts[i] += 1
            missing -= 1
        elif missing < 0 and counts[i] > 0:
            counts[i] -= 1
            missing += 1
    rng.shuffle(counts)
    return counts


def spread(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (whole numbers that add up to ``total``)."""
    if not weights:
        return []
    scale = total / sum(weights)
    parts = [int(w * scale) for w in weights]
    for _ in range(total - sum(parts)):
        parts[rng.randrange(len(parts))] += 1
    return parts

