"""Generator steps for what follows contributions: written answers, moderation, and the resident's notifications."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bench import texts
from bench.gen_base import Gen
from bench.gen_rounds import year_of
from engage.auth.models import User
from engage.extensions import db
from engage.feedback.models import ProposalResponse
from engage.moderation.models import Flag, ModerationAction
from engage.moderation.services import REASONS
from engage.notifications.models import Notification

FLAG_REASONS = [reason for reason in REASONS if reason != "other"]
FLAGGED = ("proposal", "comment")  # what people flag; free-text survey answers are only hidden


def answers(gen: Gen) -> None:
    """Every planned answer, oldest first per proposal: the newest is the one in force."""
    gen.expect(sum(len(history) for _pid, history in gen.answers))
    facilitator = gen.accounts["facilitator"]
    gen.insert(ProposalResponse, (
        {"id": gen.take(ProposalResponse), "proposal_id": pid, "outcome": outcome,
         "reason": texts.reason(gen.rng, outcome, at.year), "merged_into_id": merged_into, "author_id": facilitator,
         "created_at": at}
        for pid, history in gen.answers for outcome, merged_into, at in history))


def moderation(gen: Gen) -> None:
    """The flags behind hidden and flagged contributions, and the moderation log.

    Hidden by a moderator: one or two flags, resolved as hidden, and a "hide" action. Hidden automatically:
    three open flags and an "auto_hide" action. Flagged: one or two open flags. Hidden survey answers: a
    "hide" action. ``flag_count`` is recounted from the open flags (bench.finish.counters).
    """
    gen.expect(len(gen.moderated) * 3)
    gen.insert(Flag, (row for item in gen.moderated if item[0] in FLAGGED for row in _flags(gen, *item)))
    gen.insert(ModerationAction, _actions(gen))
    queued = next((item for item in gen.moderated if item[0] == "proposal" and item[4] != "hidden"), None)
    if queued:
        gen.params.update(kind="proposal", target_id=queued[1])


def _flags(gen: Gen, kind: str, target_id: int, round_id: int | None, written, how: str, hidden_at, _reason,
           count: int):
    rng = gen.rng
    last = hidden_at or min(written + timedelta(days=rng.randint(1, 20)), gen.anchor)
    people = gen.residents(count, written)
    for n, user_id in enumerate(people):
        # The flag that reached the threshold hid the item at that moment.
        flagged = last if how == "auto" and n == len(people) - 1 else gen.between(written, last)
        yield {"id": gen.take(Flag), "target_type": kind, "target_id": target_id, "round_id": round_id,
               "user_id": user_id, "reason": rng.choice(FLAG_REASONS), "details": "", "created_at": flagged,
               "resolved_at": hidden_at if how == "hidden" else None,
               "resolution": "hidden" if how == "hidden" else None}


def _actions(gen: Gen):
    # Moderators hide flagged contributions; the facilitator hides free-text survey answers.
    by = {"hidden": gen.accounts["moderator"], "text": gen.accounts["facilitator"], "auto": None}
    for kind, target_id, round_id, _written, how, hidden_at, reason, _flags in gen.moderated:
        if how != "open":
            yield {"id": gen.take(ModerationAction), "moderator_id": by[how],
                   "target_type": kind, "target_id": target_id, "round_id": round_id,
                   "action": "auto_hide" if how == "auto" else "hide", "reason": reason, "created_at": hidden_at}


def notifications(gen: Gen) -> None:
    """The resident's notifications: answers to their proposals, replies to their comments, the big round's
    feedback phase. The older ones are read."""
    resident = gen.accounts["resident"]
    titles = dict(gen.resident_proposals)
    rows = [{"kind": "response", "params": {"title": titles[pid], "outcome": outcome, "updated": n > 0},
             "path": f"/proposals/{pid}", "created_at": at}
            for pid, history in gen.answers if pid in titles for n, (outcome, _merged, at) in enumerate(history)]
    names = dict(db.session.execute(select(User.id, User.display_name).where(
        User.id.in_({author for _cid, _base, author in gen.replies_to_resident}))).all())
    for cid, base, author in gen.replies_to_resident:
        page = f"/proposals/{base['proposal_id']}" if base["proposal_id"] else f"/rounds/{base['round_id']}"
        rows.append({"kind": "reply", "params": {"name": names.get(author, "")}, "path": f"{page}#comment-{cid}",
                     "created_at": gen.anchor - timedelta(days=gen.rng.randint(1, 90))})
    big = gen.big
    title = texts.round_texts(big.theme, year_of(big))["uk"][0]
    rows.append({"kind": "phase", "params": {"round": title, "phase": "feedback"}, "path": f"/rounds/{big.id}",
                 "created_at": big.phases["feedback"][0] + timedelta(minutes=5)})
    rows.sort(key=lambda row: row["created_at"])
    gen.expect(len(rows))
    first = gen.take(Notification, len(rows))
    recent = gen.anchor - timedelta(days=7)
    gen.insert(Notification, ({"id": first + n, "user_id": resident, **row,
                               "read_at": row["created_at"] + timedelta(hours=3) if row["created_at"] < recent else None}
                              for n, row in enumerate(rows)))
    gen.params.update(notification_id=first, user_id=resident)
