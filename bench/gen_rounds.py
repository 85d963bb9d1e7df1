"""Generator steps for consultation rounds and the proposals residents bring to them.

Rounds cover every state a city has at once: past rounds (closed), the big round in its feedback phase,
rounds in drafting, prioritisation, deliberation and the call for proposals, one only informing, one
upcoming and one draft. Phases are dated around the day of generation. Proposals get their written
answers planned here (outcome and dates on the proposal, the responses themselves in gen_feedback).
"""
from __future__ import annotations

import re
from datetime import timedelta

from flask_babel import force_locale

from bench import texts
from bench.gen_base import Gen, RoundPlan, spread
from bench.gen_contrib import moderate, plan_counts, plan_totals
from engage.core.districts import DISTRICTS
from engage.moderation.services import AUTO_HIDE_REASON
from engage.proposals.models import Proposal
from engage.rounds.models import (
    Phase,
    Round,
    RoundDocument,
    RoundFacilitator,
    RoundFollower,
    RoundText,
    Topic,
)

PHASES = ("information", "call_for_proposals", "deliberation", "prioritisation", "drafting", "feedback", "closed")
DURATIONS = (14, 45, 30, 21, 21, 45, 30)
BIG_DURATIONS = (21, 60, 45, 30, 30, 60)
# kind -> (index of the phase in force, days since it began)
IN_FORCE = {"big": (5, 20), "feedback": (5, 10), "drafting": (4, 7), "prioritisation": (3, 8), "deliberation": (2, 10),
            "cfp": (1, 12), "information": (0, 5)}
NOT_YET = {"upcoming": 12, "draft": 40}  # days until the information phase
RECENT = ("feedback", "big", "drafting", "prioritisation", "deliberation", "deliberation", "cfp", "cfp",
          "information", "upcoming", "draft")
WITH_PROPOSALS = ("big", "closed", "feedback", "drafting", "prioritisation", "deliberation", "cfp")
# kind -> (share of proposals with a final answer, share under evaluation)
ANSWERED = {"big": (0.70, 0.08), "closed": (0.95, 0.02), "feedback": (0.5, 0.1), "drafting": (0.0, 0.1)}
OUTCOMES = {"accepted": 25, "partially_accepted": 25, "merged": 10, "not_accepted": 25, "out_of_scope": 15}
WORD = re.compile(r"[^\W\d_]{5,}")
PHASE_HOUR = timedelta(hours=7)  # phases start and end at 10:00 in Kyiv


def round_kinds(count: int) -> list[str]:
    """Oldest first: past rounds, then the ones running now and to come."""
    if count < len(RECENT) + 1:
        return ["closed", "big", "cfp"][:count]
    return ["closed"] * (count - len(RECENT)) + list(RECENT)


def _timeline(gen: Gen, kind: str, age: int) -> dict[str, tuple]:
    """The round's phases {type: (start, end)}; ``age`` counts closed rounds back from the most recent."""
    rng = gen.rng
    if kind == "big":
        durations = list(BIG_DURATIONS)
    else:
        durations = [d + rng.randint(-3, 3) for d in DURATIONS[:7 if kind == "closed" else 6]]
    if kind == "closed":
        start = -(20 + 200 * age) - sum(durations)
    elif kind in NOT_YET:
        start = NOT_YET[kind]
    else:
        index, days_in = IN_FORCE[kind]
        start = -(sum(durations[:index]) + days_in)
    phases, day = {}, start
    for name, length in zip(PHASES, durations):
        phases[name] = (gen.day(day) + PHASE_HOUR, gen.day(day + length) + PHASE_HOUR)
        day += length
    return phases


def rounds(gen: Gen) -> None:
    """Rounds with their texts in three languages, phases, topics, documents, facilitator and followers."""
    rng, size = gen.rng, gen.size
    kinds = round_kinds(size.rounds)
    closed_total = kinds.count("closed")
    themes = rng.sample(range(1, size.rounds + 1), size.rounds)  # theme 0, the OGP co-creation, is the big round's
    districts = list(DISTRICTS)
    seen: dict[str, int] = {}
    for n, kind in enumerate(kinds):
        seen[kind] = seen.get(kind, 0) + 1
        age = closed_total - seen[kind] if kind == "closed" else 0
        plan = RoundPlan(id=gen.take(Round), kind=kind, phases=_timeline(gen, kind, age), published=kind != "draft",
                         district=rng.choice(districts) if kind in ("deliberation", "closed") and rng.random() < 0.3
                         else None, theme=0 if kind == "big" else themes[n])
        gen.rounds.append(plan)
        if kind == "big":
            gen.big = plan
    gen.expect(len(kinds) * 20 + size.followers)
    gen.insert(Round, (_round_row(gen, plan) for plan in gen.rounds))
    gen.insert(RoundText, (row for plan in gen.rounds for row in _text_rows(gen, plan)))
    gen.insert(Phase, (row for plan in gen.rounds for row in _phase_rows(gen, plan)))
    gen.insert(Topic, (row for plan in gen.rounds for row in _topic_rows(gen, plan)))
    gen.insert(RoundDocument, (row for plan in gen.rounds if plan.published for row in _document_rows(gen, plan)))
    facilitator = gen.accounts["facilitator"]
    gen.insert(RoundFacilitator, ({"id": gen.take(RoundFacilitator), "round_id": plan.id, "user_id": facilitator}
                                  for plan in gen.rounds))
    gen.insert(RoundFollower, _follower_rows(gen))
    by_kind = {plan.kind: plan.id for plan in gen.rounds}  # the most recent of each kind
    big = gen.big
    gen.params.update(round_id=big.id, phase_id=big.phase_ids["feedback"], document_id=big.document_ids[0])
    gen.extra.update({f"round_{kind}": by_kind[kind] for kind in ("cfp", "deliberation", "prioritisation", "drafting",
                                                                   "information", "upcoming", "draft", "closed")
                      if kind in by_kind})
    gen.extra.update(round_open=by_kind.get("cfp"), round_closed=by_kind.get("closed"))


def year_of(plan: RoundPlan) -> int:
    """The year in the round's title: when its call for proposals opens."""
    return plan.phases["call_for_proposals"][0].year


def _published_at(gen: Gen, plan: RoundPlan):
    """A day before the information phase, or two days ago for a round that begins later."""
    if not plan.published:
        return None
    return min(plan.phases["information"][0] - timedelta(days=1), gen.anchor - timedelta(days=2))


def _round_row(gen: Gen, plan: RoundPlan) -> dict:
    created = plan.phases["information"][0] - timedelta(days=gen.rng.randint(10, 30))
    return {"id": plan.id, "default_locale": "uk", "organiser": gen.rng.choice(texts.ORGANISERS),
            "district": plan.district, "published_at": _published_at(gen, plan),
            "created_by_id": gen.accounts["facilitator"], "created_at": created, "updated_at": created}


def _text_rows(gen: Gen, plan: RoundPlan):
    reported = plan.kind in ("big", "closed", "feedback")
    organiser = texts.ORGANISERS[0]
    for locale, (title, summary, description) in texts.round_texts(plan.theme, year_of(plan)).items():
        yield {"id": gen.take(RoundText), "round_id": plan.id, "locale": locale, "title": title, "summary": summary,
               "description": description.format(organiser=organiser),
               "what_we_heard": texts.WHAT_WE_HEARD[locale] if reported else "",
               "what_we_changed": texts.WHAT_WE_CHANGED[locale] if reported else ""}


def _phase_rows(gen: Gen, plan: RoundPlan):
    for name, (start, end) in plan.phases.items():
        plan.phase_ids[name] = gen.take(Phase)
        yield {"id": plan.phase_ids[name], "round_id": plan.id, "type": name, "starts_at": start, "ends_at": end,
               "note": texts.PHASE_NOTES[name],
               "announced_at": start + timedelta(minutes=5) if plan.published and start < gen.anchor else None}


def _topic_rows(gen: Gen, plan: RoundPlan):
    keys = gen.rng.sample(list(texts.TOPIC_NAMES), 8 if plan.kind == "big" else gen.rng.randint(4, 6))
    for position, key in enumerate(keys):
        plan.topics.append((gen.take(Topic), key))
        yield {"id": plan.topics[-1][0], "round_id": plan.id, "name": texts.TOPIC_NAMES[key], "position": position}


def _document_rows(gen: Gen, plan: RoundPlan):
    published = _published_at(gen, plan)
    for title, url in gen.rng.sample(texts.DOCUMENTS, gen.rng.randint(2, 4)):
        plan.document_ids.append(gen.take(RoundDocument))
        yield {"id": plan.document_ids[-1], "round_id": plan.id, "title": title, "url": url.format(n=plan.id),
               "stored_name": None, "filename": None, "content_type": None, "size": None,
               "created_at": published, "updated_at": published}


def _follower_rows(gen: Gen):
    """The big round's followers (the resident among them) and a few for each other public round."""
    for plan in gen.rounds:
        if not plan.published or plan.phases["information"][0] > gen.anchor:
            continue
        start = plan.phases["information"][0]
        want = gen.size.followers if plan is gen.big else gen.size.followers // 20
        people = gen.residents(want, start)
        if plan is gen.big:
            people = [gen.accounts["resident"]] + [p for p in people if p != gen.accounts["resident"]][:want - 1]
        for user_id in people:
            moment = gen.between(start, min(plan.phases["feedback"][0], gen.anchor))
            yield {"id": gen.take(RoundFollower), "round_id": plan.id, "user_id": user_id, "created_at": moment,
                   "updated_at": moment}


# --- Proposals --------------------------------------------------------------------------------------


def proposals(gen: Gen) -> None:
    """The proposals of every round that has opened its call, with planned answers and some moderation."""
    rng, size = gen.rng, gen.size
    open_rounds = [p for p in gen.rounds if p.kind in WITH_PROPOSALS and p is not gen.big]
    weights = [0.4 if p.kind == "cfp" else rng.uniform(0.6, 1.4) for p in open_rounds]
    for plan, count in zip(open_rounds, spread(rng, size.proposals - size.big_proposals, weights)):
        plan.proposal_count = count
    gen.big.proposal_count = size.big_proposals
    gen.expect(size.proposals)
    with force_locale("uk"):  # as a request in the site's default language stores it
        gen.auto_hide_reason = str(AUTO_HIDE_REASON)
    plan_totals(gen)
    for plan in gen.rounds:
        if plan.proposal_count:
            plan.first_proposal = gen.take(Proposal, plan.proposal_count)
            rows = list(_proposal_rows(gen, plan))  # one round at a time
            plan_counts(gen, plan, rows)
            gen.insert(Proposal, rows)
    big = gen.big
    gen.params["proposal_id"] = gen.big_proposal
    # A word in about one title in twenty of the big round, for searches.
    target = big.proposal_count / 20
    gen.extra["search_word"] = min(sorted(gen.title_words), key=lambda w: abs(gen.title_words[w] - target))


def _proposal_rows(gen: Gen, plan: RoundPlan):
    rng = gen.rng
    start, end = plan.window("call_for_proposals", "call_for_proposals", gen.anchor)
    plan.proposal_created = gen.sorted_between(plan.proposal_count, start, end)
    answered, evaluating = ANSWERED.get(plan.kind, (0.0, 0.0))
    window = plan.window("drafting", "feedback", gen.anchor)
    special = set()
    if plan is gen.big:
        big_index = rng.randrange(plan.proposal_count)
        gen.big_proposal = plan.first_proposal + big_index
        special = set(rng.sample(range(plan.proposal_count), 4)) - {big_index}
    accepted: list[int] = []
    for n, created in enumerate(plan.proposal_created):
        pid = plan.first_proposal + n
        is_big, by_resident = pid == gen.big_proposal, n in special
        author = gen.accounts["resident"] if by_resident else gen.resident(created)
        locale = gen.locale_of(author)
        topic_id, topic = rng.choice(plan.topics)
        title, body = texts.proposal(rng, locale, topic)
        if plan is gen.big:
            gen.title_words.update({w.casefold() for w in WORD.findall(title)})
        withdrawn = not (is_big or by_resident) and rng.random() < 0.015
        row = {"id": pid, "round_id": plan.id, "author_id": author, "title": title, "body": body, "locale": locale,
               "topic_id": topic_id,
               "district": plan.district or (rng.choice(list(DISTRICTS)) if rng.random() < 0.4 else None),
               "state": Proposal.WITHDRAWN if withdrawn else Proposal.PUBLISHED,
               "withdrawn_at": gen.between(created, end) if withdrawn else None,
               "support_count": 0, "comment_count": 0, "outcome": None, "final_answer_at": None,
               "hidden_at": None, "hidden_reason": None, "flag_count": 0, "created_at": created, "updated_at": created}
        if by_resident:
            gen.resident_proposals.append((pid, title))
        if withdrawn:
            gen.withdrawn_proposals.add(pid)
        elif not (is_big or by_resident) and (draw := rng.random()) < 0.009:
            moderate(gen, row, "proposal", end, how="hidden" if draw < 0.003 else "auto" if draw < 0.004 else "open")
            if row["hidden_at"]:
                gen.hidden_proposals.add(pid)
        if window and not withdrawn:
            draw = 0.0 if (is_big or by_resident) else rng.random()
            if draw < answered:
                _answer(gen, row, window, accepted, plan, final=True, forced="accepted" if is_big else None)
            elif draw < answered + evaluating:
                _answer(gen, row, window, accepted, plan, final=False)
        yield row


def _answer(gen: Gen, row: dict, window, accepted: list[int], plan: RoundPlan, *, final: bool,
            forced: str | None = None) -> None:
    """Plan the written answers of a proposal; its outcome and first final answer are set as engage.feedback does."""
    rng = gen.rng
    start = max(window[0], row["created_at"])
    history = []
    if not final or rng.random() < 0.25:
        history.append(("under_evaluation", None, gen.between(start, window[1])))
    if final:
        outcome = forced or rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
        if outcome == "merged" and not accepted:
            outcome = "not_accepted"  # nothing to merge into yet
        merged_into = rng.choice(accepted) if outcome == "merged" else None
        at = gen.between(history[-1][2] if history else start, window[1])
        history.append((outcome, merged_into, at))
        row["final_answer_at"] = at
        if outcome in ("accepted", "partially_accepted"):
            accepted.append(row["id"])
    row["outcome"] = history[-1][0]
    gen.answers.append((row["id"], history))
