"""Generator steps for the co-creation around the rounds: the forum and meetings, the action plan and
its monitoring, and endorsements by verified organisations."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from bench import texts, texts_civic
from bench.gen_base import Gen, allocate
from bench.gen_contrib import thread
from engage.auth.models import User
from engage.comments.models import Comment
from engage.endorsements.models import Endorsement
from engage.extensions import db
from engage.forum.models import Forum, ForumDecision, ForumMember
from engage.forum.sectors import SECTORS
from engage.meetings.models import Meeting, MeetingDocument, Registration
from engage.organisations.models import Organisation
from engage.plans import services as plans
from engage.plans.models import (
    ActionPlan,
    CoCreationNote,
    Commitment,
    CommitmentPartner,
    CommitmentProposal,
    Milestone,
    PlanRound,
    ProgressUpdate,
)

FORUM_SHARE = 0.12  # of meetings, held by the forum
KINDS = {"public": 45, "focus_group": 20, "training": 20, "strategic": 15}
SECTOR_WEIGHTS = {"government": 35, "civil_society": 35, "academia": 10, "private": 8, "youth": 7, "other": 5}


def _base(**names) -> dict:
    return {"round_id": None, "meeting_id": None, "commitment_id": None, "proposal_id": None, **names}


# --- The forum and meetings -------------------------------------------------------------------------


def meetings(gen: Gen) -> None:
    size = gen.size
    gen.expect(size.meetings * 4 + size.forum_members + size.headline_capacity * 2)
    forum_id = gen.take(Forum)
    created = gen.day(-900)
    gen.insert(Forum, [{"id": forum_id, "default_locale": "uk", **texts_civic.FORUM,
                        "terms_url": "https://kyivcity.gov.ua/docs/ogp-council.pdf",
                        "created_by_id": gen.accounts["facilitator"], "created_at": created, "updated_at": created}])
    first_member = gen.ids[ForumMember.__tablename__] + 1
    gen.insert(ForumMember, _member_rows(gen, forum_id))
    rows = [_meeting_row(gen, n, forum_id) for n in range(size.meetings)]
    headline = _headline(gen, rows)
    gen.insert(Meeting, rows)
    gen.insert(MeetingDocument, (doc for row in rows for doc in _document_rows(gen, row, always=row is headline)))
    gen.insert(Registration, (reg for row in rows if row["registration_required"] for reg in
                              _registration_rows(gen, row, full=row is headline)))
    past = [row for row in rows if row["ends_at"] < gen.anchor and row["published_at"]]
    gen.insert(Comment, (c for row in past[-5:] for c in thread(
        gen, gen.rng.randint(5, 20), row["ends_at"], gen.anchor, _base(round_id=row["round_id"], meeting_id=row["id"]))))
    forum_past = [row for row in past if row["forum_id"]]
    gen.insert(ForumDecision, ({"id": gen.take(ForumDecision), "forum_id": forum_id, "decided_on": row["starts_at"].date(),
                                "text": gen.rng.choice(texts_civic.FORUM_DECISIONS), "meeting_id": row["id"]}
                               for row in forum_past))
    gen.params.update(forum_id=forum_id, meeting_id=headline["id"], member_id=first_member,
                      decision_id=gen.ids[ForumDecision.__tablename__] if forum_past else None)
    with_minutes = next((row for row in reversed(past) if row["minutes_published_at"]), None)
    gen.extra.update(meeting_past=with_minutes["id"] if with_minutes else None,
                     meeting_document_id=gen.meeting_document.get(headline["id"]))


def _member_rows(gen: Gen, forum_id: int):
    rng = gen.rng
    sectors = list(SECTORS)
    organisations = dict(db.session.execute(select(Organisation.id, Organisation.name_uk).where(
        Organisation.id.in_(list(gen.verified_organisations)[:gen.size.forum_members]))).all())
    linked = iter(organisations.items())
    pool = [uid for uid in gen.names if uid >= 6]
    for n in range(gen.size.forum_members):
        # Every sector sits on the forum; the first two seats are the chair (government) and co-chair.
        sector = sectors[n] if n < len(sectors) else rng.choices(list(SECTOR_WEIGHTS), list(SECTOR_WEIGHTS.values()))[0]
        user_id = rng.choice(pool) if rng.random() < 0.5 else None
        name = gen.names[user_id] if user_id else texts.person(rng, "uk")[0]
        organisation_id, organisation_name = (next(linked, (None, "")) if sector == "civil_society"
                                              else (None, rng.choice(texts_civic.GOVERNMENT_BODIES)
                                                    if sector == "government" else ""))
        start = gen.day(-rng.randint(300, 800)).date()
        yield {"id": gen.take(ForumMember), "forum_id": forum_id, "name": name, "organisation_name": organisation_name,
               "organisation_id": organisation_id, "user_id": user_id, "sector": sector,
               "role": "chair" if n == 0 else "co_chair" if n == 1 else "member", "term_start": start,
               "term_end": gen.day(-rng.randint(10, 200)).date() if n > 5 and rng.random() < 0.1 else None}


def _meeting_row(gen: Gen, n: int, forum_id: int) -> dict:
    rng = gen.rng
    public = [plan for plan in gen.rounds if plan.published]
    if rng.random() < FORUM_SHARE:
        kind, round_id, forum = "forum", None, forum_id
        starts = gen.day(rng.randint(-720, 120))
    else:
        plan = gen.big if rng.random() < 0.3 else rng.choice(public)
        kind, round_id, forum = rng.choices(list(KINDS), weights=list(KINDS.values()))[0], plan.id, None
        starts = gen.between(plan.phases["information"][0], plan.phases["feedback"][1])
    starts = datetime.combine(starts.date(), datetime.min.time(), starts.tzinfo) + timedelta(hours=rng.randint(7, 15))
    ends = starts + timedelta(hours=rng.choice((2, 2, 3)))
    past = ends < gen.anchor
    draft = not past and rng.random() < 0.04
    published = None if draft else min(starts - timedelta(days=rng.choice((3, 20, 25, 30, 40))), gen.day(-1))
    venue, address = rng.choice(texts_civic.VENUES)
    online = rng.random() < 0.3
    registration = rng.random() < 0.35
    attended = past and rng.random() < 0.8
    minutes = attended and rng.random() < 0.8
    title = rng.choice(texts_civic.MEETING_TITLES[kind])
    return {"id": gen.take(Meeting), "uid": gen.hex(128), "sequence": 1 if minutes else 0, "kind": kind,
            "round_id": round_id, "forum_id": forum, "default_locale": "uk", "title": title,
            "description": texts_civic.MEETING_DESCRIPTION, "agenda": texts_civic.MEETING_AGENDA,
            "minutes": {k: v.format(n=rng.randint(5, 40)) for k, v in texts_civic.MEETING_MINUTES.items()} if minutes else {},
            "starts_at": starts, "ends_at": ends, "venue_name": "" if online and rng.random() < 0.3 else venue,
            "venue_address": address, "accessibility": texts_civic.ACCESSIBILITY,
            "online_url": f"https://meet.example.org/kyiv-{n + 1}" if online else "",
            "capacity": rng.choice((30, 50, 80, 120, 300)) if registration else None,
            "registration_required": registration, "seats_taken": 0, "published_at": published,
            "agenda_published_at": published, "short_notice": bool(published) and starts - published < timedelta(days=14),
            "minutes_published_at": min(ends + timedelta(days=rng.randint(2, 10)), gen.anchor) if minutes else None,
            "attendance_total": rng.randint(15, 120) if attended else None,
            "attendance_by_sector": _attendance(rng) if attended else None,
            "created_by_id": gen.accounts["facilitator"], "created_at": (published or gen.day(-2)) - timedelta(days=3),
            "updated_at": published or gen.day(-2)}


def _attendance(rng) -> dict:
    return {"government": rng.randint(3, 12), "civil_society": rng.randint(5, 30), "academia": rng.randint(0, 6),
            "youth": rng.randint(0, 10)}


def _headline(gen: Gen, rows: list[dict]) -> dict:
    """The manifest's meeting: a public meeting of the big round a week ahead, full, with a waitlist."""
    row = rows[0]
    starts = gen.day(7) + timedelta(hours=15)
    row.update(kind="public", round_id=gen.big.id, forum_id=None, title=texts_civic.MEETING_TITLES["public"][0],
               starts_at=starts, ends_at=starts + timedelta(hours=3), published_at=gen.day(-25),
               agenda_published_at=gen.day(-25), short_notice=False, registration_required=True,
               capacity=gen.size.headline_capacity, minutes={}, minutes_published_at=None, sequence=0,
               attendance_total=None, attendance_by_sector=None, created_at=gen.day(-28), updated_at=gen.day(-25))
    return row


def _document_rows(gen: Gen, row: dict, *, always: bool):
    if always or gen.rng.random() < 0.5:
        for k in range(gen.rng.randint(1, 2)):
            doc_id = gen.take(MeetingDocument)
            gen.meeting_document.setdefault(row["id"], doc_id)
            yield {"id": doc_id, "meeting_id": row["id"], "title": "Порядок денний і матеріали" if k == 0 else "Презентація",
                   "url": f"https://kyivcity.gov.ua/meetings/{row['id']}/{k + 1}.pdf", "stored_name": None,
                   "filename": None, "content_type": None, "size": None,
                   "created_at": row["published_at"] or row["created_at"]}


def _registration_rows(gen: Gen, row: dict, *, full: bool):
    """Registered people up to the capacity (in order of asking); when full, a waitlist; some cancelled."""
    rng, capacity = gen.rng, row["capacity"]
    wanted = int(capacity * 1.4) if full else int(capacity * rng.uniform(0.3, 1.0))
    people = gen.residents(wanted, row["starts_at"])
    if full and gen.accounts["resident"] not in people:
        people[-1:] = [gen.accounts["resident"]]
    opened = row["published_at"] or row["created_at"]
    moments = gen.sorted_between(len(people), opened, min(row["starts_at"], gen.anchor))
    seats = 0
    for user_id, moment in zip(people, moments):
        if rng.random() < 0.05 and user_id != gen.accounts["resident"]:
            status = Registration.CANCELLED
        elif seats < capacity:
            status, seats = Registration.REGISTERED, seats + 1
        else:
            status = Registration.WAITLISTED
        yield {"id": gen.take(Registration), "meeting_id": row["id"], "user_id": user_id, "status": status,
               "queued_at": moment, "updated_at": moment}


# --- The action plan --------------------------------------------------------------------------------


def _month(moment: date, shift: int = 0) -> date:
    """The first day of the month ``shift`` months after ``moment``'s."""
    months = moment.year * 12 + moment.month - 1 + shift
    return date(months // 12, months % 12 + 1, 1)


def plan(gen: Gen) -> None:
    """A published plan from the big round (and the last closed one): commitments, milestones with progress
    updates, traceability to accepted proposals, partners, a published progress report, notes, comments."""
    rng, size = gen.rng, gen.size
    gen.expect(size.commitments * (size.milestones_per_commitment * 3 + 12) + size.commitment_comments)
    facilitator = gen.accounts["facilitator"]
    plan_id, published = gen.take(ActionPlan), gen.day(-180)
    start, end = _month(gen.anchor, -6), _month(gen.anchor, 18)
    gen.insert(ActionPlan, [{"id": plan_id, "default_locale": "uk", **texts_civic.PLAN, "period_start": start,
                             "period_end": end, "status": "implementing",
                             "adoption_reference": "Розпорядження КМДА № 1234", "adopted_on": published.date(),
                             "monitoring_contact": "irm@opengovpartnership.org", "published_at": published,
                             "created_by_id": facilitator, "created_at": published - timedelta(days=30),
                             "updated_at": published}])
    closed = [p.id for p in gen.rounds if p.kind == "closed"][-1:]
    gen.insert(PlanRound, ({"plan_id": plan_id, "round_id": rid} for rid in [gen.big.id] + closed))
    first = gen.take(Commitment, size.commitments)
    gen.insert(Commitment, (_commitment_row(gen, plan_id, first + c, c) for c in range(size.commitments)))
    milestones = list(_milestone_rows(gen, first, start, end))
    gen.insert(Milestone, (row for row, _updates in milestones))
    gen.insert(ProgressUpdate, (update for _row, updates in milestones for update in updates))
    _links(gen, first)
    gen.insert(CoCreationNote, ({"id": gen.take(CoCreationNote), "plan_id": plan_id, "key": key,
                                 "explanation": explanation, "references": references.format(n=rng.randint(100, 999)),
                                 "updated_at": published, "updated_by_id": facilitator}
                                for key, (explanation, references) in texts_civic.NOTES.items()))
    gen.insert(Comment, thread(gen, size.commitment_comments, published, gen.anchor, _base(commitment_id=first)))
    for c in range(1, min(6, size.commitments)):
        gen.insert(Comment, thread(gen, rng.randint(1, 8), published, gen.anchor, _base(commitment_id=first + c)))
    db.session.flush()
    quarter = _month(gen.anchor, -3 - (gen.anchor.month - 1) % 3)  # the last quarter that has ended
    quarter_end = _month(quarter, 3) - timedelta(days=1)
    report = plans.publish_report(db.session.get(ActionPlan, plan_id),
                                  title=f"Звіт про виконання за {quarter:%m.%Y}–{quarter_end:%m.%Y}",
                                  period_start=quarter, period_end=quarter_end,
                                  narrative={"uk": "Виконання триває за графіком; два кроки затримуються.",
                                             "en": "Implementation is on schedule; two steps are delayed."},
                                  by=db.session.get(User, facilitator))
    report.published_at = min(datetime.combine(quarter_end, datetime.min.time(), gen.anchor.tzinfo)
                              + timedelta(days=10), gen.anchor - timedelta(hours=1))
    gen.params.update(plan_id=plan_id, commitment_id=first, milestone_id=milestones[0][0]["id"], report_id=report.id)
    gen.plan_id = plan_id
    gen.commitments = range(first, first + size.commitments)


def _commitment_row(gen: Gen, plan_id: int, cid: int, c: int) -> dict:
    title, values = texts_civic.COMMITMENT_THEMES[c % len(texts_civic.COMMITMENT_THEMES)]
    cycle = c // len(texts_civic.COMMITMENT_THEMES)
    return {"id": cid, "plan_id": plan_id, "number": str(c + 1), "position": c,
            "title": {k: v + (f" ({cycle + 1})" if cycle else "") for k, v in title.items()},
            **texts_civic.COMMITMENT_TEXTS, "ogp_values": values, "lead_institutions": gen.rng.choice(texts.DEPARTMENTS),
            "partners": "Громадські організації — члени Координаційної ради"}


def _milestone_rows(gen: Gen, first: int, start: date, end: date):
    """Milestones spread over the plan's months; the past ones done (or late), with updates that set their status."""
    rng, size = gen.rng, gen.size
    months = (end.year - start.year) * 12 + end.month - start.month
    today = gen.anchor.date()
    for c in range(size.commitments):
        for k in range(size.milestones_per_commitment):
            begin = start.year * 12 + start.month - 1 + k * months // size.milestones_per_commitment
            first_month = date(begin // 12, begin % 12 + 1, 1)
            last = begin + rng.randint(1, 4)
            last_month = min(date(last // 12, last % 12 + 1, 1), end)
            if last_month < _month(gen.anchor):
                status = rng.choices(("completed", "delayed", "cancelled", "in_progress"), (70, 20, 5, 5))[0]
            elif first_month <= today:
                status = rng.choices(("in_progress", "not_started"), (70, 30))[0]
            else:
                status = "not_started"
            row = {"id": gen.take(Milestone), "commitment_id": first + c, "number": f"{c + 1}.{k + 1}", "position": k,
                   "description": texts_civic.MILESTONES[k % len(texts_civic.MILESTONES)],
                   "responsible": rng.choice(texts.DEPARTMENTS), "start_month": first_month, "end_month": last_month,
                   "indicator": texts_civic.INDICATOR, "status": status, "initial_status": "not_started",
                   "revised_at": None}
            yield row, list(_update_rows(gen, row, today))


def _update_rows(gen: Gen, milestone: dict, today: date):
    """Progress updates, oldest first; the last one sets the milestone's status (engage.plans.refresh_status)."""
    rng = gen.rng
    if milestone["status"] == "not_started":
        return
    begin = milestone["start_month"]
    span = max((min(today, milestone["end_month"] + timedelta(days=60)) - begin).days, 1)
    days = sorted(rng.sample(range(span), min(rng.randint(1, 3), span)))
    for n, offset in enumerate(days):
        reported = begin + timedelta(days=offset)
        last = n == len(days) - 1
        yield {"id": gen.take(ProgressUpdate), "milestone_id": milestone["id"], "reported_on": reported,
               "text": rng.choice(texts_civic.UPDATES), "locale": "uk",
               "status": milestone["status"] if last else rng.choice(("in_progress", None)),
               "evidence": [url.format(n=rng.randint(1000, 99999)) for url in rng.sample(texts_civic.EVIDENCE,
                                                                                       rng.randint(0, 2))],
               "author_id": gen.accounts["facilitator"],
               "created_at": datetime.combine(reported, datetime.min.time(), gen.anchor.tzinfo) + timedelta(hours=12)}


def _links(gen: Gen, first: int) -> None:
    """Traceability from the big round's accepted proposals to commitments, and registered partners."""
    rng, size = gen.rng, gen.size
    big = gen.big.proposal_ids
    accepted = [pid for pid, history in gen.answers if pid in big
                and history[-1][0] in ("accepted", "partially_accepted")]
    rng.shuffle(accepted)
    per = max(1, min(10, len(accepted) // max(size.commitments, 1)))
    gen.insert(CommitmentProposal, ({"commitment_id": first + c, "proposal_id": pid}
                                    for c in range(size.commitments) for pid in accepted[c * per:(c + 1) * per]))
    verified = list(gen.verified_organisations)
    gen.insert(CommitmentPartner, ({"commitment_id": first + c, "organisation_id": oid}
                                   for c in range(size.commitments) for oid in rng.sample(verified, rng.randint(1, 3))))


# --- Endorsements -----------------------------------------------------------------------------------


def endorsements(gen: Gen) -> None:
    """Verified organisations endorse the plan, its commitments and the big round's proposals (the big proposal
    most); a few endorsements were withdrawn. One per organisation and target."""
    rng, size = gen.rng, gen.size
    gen.expect(size.endorsements)
    verified = list(gen.verified_organisations)
    on_plan = min(len(verified), max(10, size.endorsements // 50))
    on_commitments = size.endorsements // 5
    targets = [("plan", gen.plan_id, gen.day(-170), on_plan)]
    per_commitment = allocate(rng, on_commitments, len(gen.commitments), offset=3, cap=len(verified))
    targets += [("commitment", cid, gen.day(-170), n) for cid, n in zip(gen.commitments, per_commitment)]
    big = gen.big
    visible = [(pid, created) for pid, created in zip(big.proposal_ids, big.proposal_created)
               if pid not in gen.hidden_proposals and pid not in gen.withdrawn_proposals]
    rng.shuffle(visible)
    candidates = visible[:max(50, len(visible) // 10)]
    rest = size.endorsements - on_plan - on_commitments
    counts = allocate(rng, rest, len(candidates), offset=5, cap=len(verified))
    top = counts.index(max(counts))
    mine = next((n for n, (pid, _c) in enumerate(candidates) if pid == gen.big_proposal), None)
    if mine is None:
        candidates[top] = next((pid, c) for pid, c in visible if pid == gen.big_proposal)
    else:
        counts[top], counts[mine] = counts[mine], counts[top]
    targets += [("proposal", pid, created, n) for (pid, created), n in zip(candidates, counts)]
    gen.insert(Endorsement, (row for target in targets for row in _endorsement_rows(gen, verified, *target)))


def _endorsement_rows(gen: Gen, verified: list[int], kind: str, target_id: int, after, count: int):
    rng = gen.rng
    chosen = rng.sample(verified, count)
    if kind == "plan" and verified[0] not in chosen:  # the representative's organisation endorses the plan
        chosen[:1] = [verified[0]]
    for oid in chosen:
        signer = gen.representatives[oid][0]
        created = gen.between(after, gen.anchor)
        withdrawn = oid != verified[0] and rng.random() < 0.03
        row_id = gen.take(Endorsement)
        if kind == "plan" and oid == verified[0]:
            gen.params["endorsement_id"] = row_id
        yield {"id": row_id, "organisation_id": oid, "target_type": kind, "target_id": target_id,
               "statement": rng.choice(texts_civic.ENDORSEMENT_STATEMENTS),
               "signed_by": f"{gen.names.get(signer, '')}, {rng.choice(texts_civic.SIGNER_POSITIONS)}",
               "created_by_id": signer, "created_at": created,
               "withdrawn_at": gen.between(created, gen.anchor) if withdrawn else None,
               "withdrawn_by_id": signer if withdrawn else None}
