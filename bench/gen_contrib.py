"""Generator steps for supports and comments, and the thread generator other steps reuse.

How many supports and comments each proposal gets is planned while the proposals are written (so their
counters go in with them): skewed like real ones, a few proposals with thousands, most with a handful.
Comments are threaded as engage.comments keeps them (about 60 % top level, replies at depth 1 and 2 with
parent_id, root_id and depth set), with official replies by the facilitator, edits, deletions and moderation.
"""
from __future__ import annotations

from datetime import timedelta
from itertools import chain

from bench import texts
from bench.gen_base import Gen, RoundPlan, allocate, spread
from engage.comments.models import Comment
from engage.proposals.models import Support

SUPPORTED = ("big", "closed", "feedback", "drafting", "prioritisation")
COMMENTED = ("big", "closed", "feedback", "drafting", "prioritisation", "deliberation", "cfp")
STANCES = ("for", "for", "against", "neutral", None)
ROUND_SHARE = 0.02  # of a round's comments, on the round itself rather than a proposal
RESIDENT_COMMENTS = 20  # written by the resident account in the big round


def plan_totals(gen: Gen) -> None:
    """How many supports and comments each round gets (the big round its own share of each)."""
    size, rng = gen.size, gen.rng
    others = [p for p in gen.rounds if p.kind in SUPPORTED and p.proposal_count and p is not gen.big]
    weights = [p.proposal_count * (0.5 if p.kind == "prioritisation" else 1.0) for p in others]
    for plan, total in zip(others, spread(rng, size.supports - size.big_supports, weights)):
        plan.support_total = total
    others = [p for p in gen.rounds if p.kind in COMMENTED and p.proposal_count and p is not gen.big]
    for plan, total in zip(others, spread(rng, size.other_comments, [p.proposal_count for p in others])):
        plan.comment_total = total
    gen.big.support_total, gen.big.comment_total = size.big_supports, size.big_comments


def plan_counts(gen: Gen, plan: RoundPlan, rows: list[dict]) -> None:
    """Each proposal's supports and comments, skewed (a few get thousands, most a handful), written on the
    proposal rows before they are inserted; the recount (bench.finish) then only fixes deleted comments."""
    rng = gen.rng
    if plan.support_total:
        end = plan.window("prioritisation", "prioritisation", gen.anchor)[1]
        open_ids = [row["id"] for row in rows if row["id"] not in gen.withdrawn_proposals]
        people = gen.registered_by(end) - 5
        counts = allocate(rng, plan.support_total, len(open_ids), offset=10, cap=max(people - 10, 1))
        if plan is gen.big:  # the big proposal is also the most supported
            top, mine = counts.index(max(counts)), open_ids.index(gen.big_proposal)
            counts[top], counts[mine] = counts[mine], counts[top]
        plan.support_counts = dict(zip(open_ids, counts))
    if plan.comment_total:
        plan.comment_counts = _comment_counts(gen, plan, rows)
    for row in rows:
        row["support_count"] = plan.support_counts.get(row["id"], 0)
        row["comment_count"] = plan.comment_counts.get(row["id"], 0)


def _comment_counts(gen: Gen, plan: RoundPlan, rows: list[dict]) -> dict[int, int]:
    rng, size = gen.rng, gen.size
    end = plan.window("call_for_proposals", "deliberation", gen.anchor)[1]
    ids = [row["id"] for row in rows if row["created_at"] < end]
    rest = plan.comment_total - int(plan.comment_total * ROUND_SHARE)
    if plan is not gen.big:
        return dict(zip(ids, allocate(rng, rest, len(ids), offset=5, cap=max(rest // 10, 20))))
    others = [pid for pid in ids if pid != gen.big_proposal]
    counts = dict(zip(others, allocate(rng, rest - size.big_proposal_comments, len(others), offset=50,
                                       cap=size.big_proposal_comments - 1)))
    counts[gen.big_proposal] = size.big_proposal_comments
    return counts


def supports(gen: Gen) -> None:
    gen.expect(sum(p.support_total for p in gen.rounds))
    for plan in gen.rounds:
        if plan.support_counts:
            gen.insert(Support, _support_rows(gen, plan))


def _support_rows(gen: Gen, plan: RoundPlan):
    """Each proposal's supporters, distinct people registered before prioritisation ended."""
    start, end = plan.window("prioritisation", "prioritisation", gen.anchor)
    for pid, count in plan.support_counts.items():
        for user_id in gen.residents(count, end):
            yield {"id": gen.take(Support), "proposal_id": pid, "user_id": user_id,
                   "created_at": gen.between(start, end)}


# --- Comments ---------------------------------------------------------------------------------------


def comments(gen: Gen) -> None:
    """Comments on the proposals and on the rounds themselves."""
    gen.expect(sum(p.comment_total for p in gen.rounds))
    for plan in gen.rounds:
        if plan.comment_total:
            _round_comments(gen, plan)


def _round_comments(gen: Gen, plan: RoundPlan) -> None:
    start, end = plan.window("call_for_proposals", "deliberation", gen.anchor)
    base = {"round_id": plan.id, "meeting_id": None, "commitment_id": None, "proposal_id": None}
    if plan is gen.big:
        gen.resident_share = RESIDENT_COMMENTS / plan.comment_total
    # One stream of rows for the whole round, so batches stay full whatever the size of each discussion.
    threads = [thread(gen, int(plan.comment_total * ROUND_SHARE), start, end, base, on_round=True)]
    threads += [thread(gen, count, created, end, {**base, "proposal_id": pid}, remember=pid == gen.big_proposal)
                for pid, created in zip(plan.proposal_ids, plan.proposal_created)
                if (count := plan.comment_counts.get(pid))]
    gen.insert(Comment, chain.from_iterable(threads))
    gen.resident_share = 0.0


def thread(gen: Gen, count: int, start, end, base: dict, *, on_round: bool = False, remember: bool = False):
    """``count`` comment rows of one discussion (``base`` names it), in the order they were written.

    Deleted and hidden comments get no replies (engage.comments refuses them). With ``remember``, the first
    visible top-level comment becomes the manifest's ``comment_id``.
    """
    rng = gen.rng
    facilitator, resident = gen.accounts["facilitator"], gen.accounts["resident"]
    on_proposal = base["proposal_id"] is not None
    first = gen.take(Comment, count)
    tops: list[int] = []
    replies: list[tuple[int, int]] = []  # (id, root) of visible depth-1 replies
    by_resident: set[int] = set()
    for n, created in enumerate(gen.sorted_between(count, start, end)):
        cid = first + n
        draw = rng.random()
        if not tops or draw < 0.6:
            depth, parent, root = 0, None, None
        elif draw < 0.88 or not replies:
            depth, parent = 1, rng.choice(tops)
            root = parent
        else:
            depth = 2
            parent, root = rng.choice(replies)
        official = depth > 0 and rng.random() < 0.06
        if official:
            author = facilitator
        elif rng.random() < gen.resident_share:
            author = resident
        else:
            author = gen.resident(created)
        locale = "uk" if official else gen.locale_of(author)
        body = texts.official_reply(rng) if official else texts.comment(rng, locale, reply=depth > 0, on_round=on_round)
        row = {"id": cid, **base, "parent_id": parent, "root_id": root, "depth": depth, "author_id": author,
               "body": body, "locale": locale, "stance": rng.choice(STANCES) if on_proposal and depth == 0 else None,
               "is_official": official, "edited_at": None, "deleted_at": None, "hidden_at": None,
               "hidden_reason": None, "flag_count": 0, "created_at": created, "updated_at": created}
        _change(gen, row, end, official)
        visible = row["deleted_at"] is None and row["hidden_at"] is None
        if visible and depth == 0:
            tops.append(cid)
            if remember and "comment_id" not in gen.params:
                gen.params["comment_id"] = cid
        elif visible and depth == 1:
            replies.append((cid, root))
        if author == resident:
            by_resident.add(cid)
        elif parent in by_resident:
            gen.replies_to_resident.append((cid, base, author))
        yield row


def _change(gen: Gen, row: dict, end, official: bool) -> None:
    """What happened to a comment after it was written: edited, deleted, hidden or flagged."""
    rng = gen.rng
    draw = rng.random()
    created = row["created_at"]
    if draw < 0.03:
        row["edited_at"] = row["updated_at"] = created + timedelta(minutes=rng.randint(1, 14))
    elif draw < 0.045 and not official:
        row["deleted_at"] = row["updated_at"] = gen.between(created, max(end, created))
        row["body"], row["stance"] = "", None
    elif draw < 0.055 and not official:
        moderate(gen, row, "comment", end, how="hidden" if draw < 0.049 else "auto" if draw < 0.05 else "open")


def moderate(gen: Gen, row: dict, kind: str, end, *, how: str) -> None:
    """Hide a contribution (``hidden``: by a moderator; ``auto``: after three flags) or flag it (``open``).

    The flags themselves are written by the moderation step; ``flag_count`` counts those still open.
    """
    flags = 3 if how == "auto" else gen.rng.randint(1, 2)
    if how != "open":
        row["hidden_at"] = gen.between(row["created_at"], max(end, row["created_at"]))
        row["hidden_reason"] = gen.auto_hide_reason if how == "auto" else gen.rng.choice(texts.HIDE_REASONS)
    row["flag_count"] = 0 if how == "hidden" else flags
    gen.moderated.append((kind, row["id"], row["round_id"], row["created_at"], how, row["hidden_at"],
                          row["hidden_reason"], flags))
