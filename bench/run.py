"""Benchmarks for the targets of consultation rounds, proposals and comments.

    .venv/bin/python bench/run.py              # SQLite in a temporary folder
    BENCH_DATABASE_URL=postgresql://... .venv/bin/python bench/run.py   # a throwaway PostgreSQL database

It measures, through the real HTTP stack (Flask's test client):
- a proposal page with 10 and with 1,000 comments (median time, SQL queries per request);
- the CSV download of a round with 1,000 and with 20,000 proposals (time, and peak Python
  memory while streaming, which should not grow with the size of the round);
- a full-text search over 20,000 proposals (median time);
- the results of a survey with 100,000 answers: the results page, a cross-tab, the JSON results,
  and the CSV export of every answer (time and peak Python memory);
- co-creation: the organisations directory with 5,000 verified organisations (plain, searched, filtered by
  area and district, and the API), a proposal with 200 endorsements, a meeting with 2,000 registrations
  (its page, the facilitator's view and the CSV), the forum with 80 members, and a round's calendar feed
  of 300 meetings;
- action plans: a plan of 40 commitments and 1,000 milestones with 3,000 progress updates (the plans list,
  the plan page, a commitment page with 500 comments, the API plan, the co-creation report, publishing a
  progress report).

    .venv/bin/python bench/run.py cocreation   # only the co-creation section
    .venv/bin/python bench/run.py plans        # only the action plans section
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ENGAGE_ENV", "testing")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import MetaData, event, insert, text  # noqa: E402

from engage import create_app  # noqa: E402
from engage.config import normalise_database_url  # noqa: E402
from engage.extensions import db  # noqa: E402


def build_app(workdir: str):
    url = os.environ.get("BENCH_DATABASE_URL")
    url = normalise_database_url(url) if url else "sqlite:///" + os.path.join(workdir, "bench.sqlite")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                      "WTF_CSRF_ENABLED": False, "MAIL_BACKEND": "log"})
    with app.app_context():
        meta = MetaData()
        meta.reflect(bind=db.engine)
        meta.drop_all(bind=db.engine)
        upgrade()
    return app


def make_round(app, author_id):
    from engage.core.time import utcnow
    from engage.rounds import services
    from engage.rounds.phases import PhaseType
    from datetime import timedelta

    with app.app_context():
        from engage.auth.models import User

        round_ = services.create_round(by=db.session.get(User, author_id), default_locale="uk", organiser="KCSA",
                                       district=None, texts={"uk": services.Texts("Бенчмарк", "Опис")},
                                       topics=["Тема"])
        now = utcnow()
        services.add_phase(round_, type=PhaseType.DELIBERATION, starts_at=now - timedelta(days=1),
                           ends_at=now + timedelta(days=10))
        services.publish(round_)
        db.session.commit()
        return round_.id


WORDS = ("консультації бюджет прозорість participation transparencia ciudad школа парк "
         "транспорт громада housing освіта").split()
# A vocabulary of made-up words, so that each searched word appears in a small share of proposals
# (about one in fifty), as real words do.
FILLER = [f"{a}{b}{c}" for a in ("ка", "ро", "ні", "ла", "ve", "to", "ma") for b in ("лин", "мор", "tas", "ден", "rio")
          for c in ("а", "ок", "ist", "ія", "е", "um", "ка")]


def add_proposals(app, round_id, author_id, count, start=0):
    from engage.core.time import utcnow
    from engage.proposals.models import Proposal

    stamp = utcnow()
    with app.app_context():
        for offset in range(0, count, 2000):
            db.session.execute(insert(Proposal), [
                {"round_id": round_id, "author_id": author_id,
                 "title": f"Пропозиція {n} {FILLER[n % len(FILLER)]}",
                 "body": " ".join(FILLER[(n * 31 + k * 17) % len(FILLER)] for k in range(40))
                 + (f" {WORDS[n % len(WORDS)]} {WORDS[(n + 3) % len(WORDS)]}" if n % 25 == 0 else ""),
                 "locale": "uk",
                 "state": "published", "support_count": 0, "comment_count": 0, "flag_count": 0,
                 "created_at": stamp, "updated_at": stamp}
                for n in range(start + offset, start + min(offset + 2000, count))
            ])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does soon after a bulk load in production: fresh planner statistics.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE proposals")


def add_comments(app, round_id, proposal_id, author_id, count):
    from engage.comments.models import Comment
    from engage.core.time import utcnow
    from engage.proposals.models import Proposal

    stamp = utcnow()
    with app.app_context():
        tops = count // 2
        db.session.execute(insert(Comment), [
            {"round_id": round_id, "proposal_id": proposal_id, "author_id": author_id, "body": f"Коментар {n}",
             "locale": "uk", "depth": 0, "is_official": False, "flag_count": 0, "created_at": stamp,
             "updated_at": stamp} for n in range(tops)
        ])
        db.session.flush()
        roots = [c.id for c in db.session.query(Comment.id).filter(Comment.proposal_id == proposal_id,
                                                                   Comment.parent_id.is_(None))]
        db.session.execute(insert(Comment), [
            {"round_id": round_id, "proposal_id": proposal_id, "author_id": author_id, "body": f"Відповідь {n}",
             "locale": "uk", "depth": 1, "parent_id": roots[n % len(roots)], "root_id": roots[n % len(roots)],
             "is_official": False, "flag_count": 0, "created_at": stamp, "updated_at": stamp}
            for n in range(count - tops)
        ])
        db.session.get(Proposal, proposal_id).comment_count = count
        db.session.commit()


def _item_rows(question, value):
    """The answer-item rows of one value, as engage.surveys.answers.items_for builds them, as plain dicts."""
    row = {"question_id": question.id, "option_id": None, "value": None, "text": None}
    if question.type == "single":
        return [{**row, "text": value["other"]} if "other" in value else {**row, "option_id": value["option"]}]
    if question.type == "multiple":
        rows = [{**row, "option_id": oid} for oid in value["options"]]
        return rows + ([{**row, "text": value["other"]}] if value.get("other") else [])
    if question.type == "scale":
        return [{**row, "value": value}]
    if question.type == "text":
        return [{**row, "text": value}]
    return [{**row, "option_id": oid, "value": n} for n, oid in enumerate(value, start=1)]


def add_survey(app, round_id, author_id, count):
    """A survey like the demo one (7 questions and the demographic block) with ``count`` answers."""
    import random
    import uuid
    from datetime import timedelta

    from engage.auth.models import User
    from engage.core.time import utcnow
    from engage.rounds.models import Round
    from engage.surveys import demo, services
    from engage.surveys.models import AnswerItem, SurveyResponse

    with app.app_context():
        now = utcnow()
        survey = services.create_survey(db.session.get(Round, round_id), db.session.get(User, author_id), services.Settings(
            title={"uk": "Бенчмарк"}, introduction={}, opens_at=now - timedelta(days=10),
            closes_at=now - timedelta(days=1), results_visibility="after_close"))
        questions = [(name, services.add_question(survey, spec)) for name, spec in demo.QUESTIONS]
        demographic = services.add_demographic_block(survey)
        services.publish(survey)
        db.session.commit()
        rng = random.Random(7)
        batch = 5000
        for start in range(0, count, batch):
            n = min(batch, count - start)
            responses = [{"survey_id": survey.id, "public_id": uuid.uuid4().hex, "user_id": None,
                          "browser_key": uuid.uuid4().hex, "created_at": now, "updated_at": now} for _ in range(n)]
            ids = db.session.scalars(insert(SurveyResponse).returning(SurveyResponse.id), responses).all()
            items = []
            for response_id in ids:
                for name, question in questions:
                    value = demo._value(rng, name, question)
                    if value is not None:
                        items.extend({**r, "response_id": response_id} for r in _item_rows(question, value))
                for question in demographic:
                    value = demo._demographic(rng, question)
                    if value is not None:
                        items.extend({**r, "response_id": response_id} for r in _item_rows(question, value))
            db.session.execute(insert(AnswerItem), items)
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE survey_answer_items"))
            db.session.commit()
        item_count = db.session.scalar(text("SELECT count(*) FROM survey_answer_items"))
        return survey.id, questions[0][1].id, demographic[0].id, item_count


def timed_get(app, client, url, repeat=15):
    queries = []
    with app.app_context():
        engine = db.engine

    def count(*args):
        queries.append(1)

    times = []
    client.get(url)  # warm up
    for _ in range(repeat):
        queries.clear()
        event.listen(engine, "before_cursor_execute", count)
        start = time.perf_counter()
        response = client.get(url)
        response.get_data()  # a streamed body is produced while it is read
        times.append(time.perf_counter() - start)
        event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000, len(queries)


def csv_stream(client, url):
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get(url, buffered=False)
    size = rows = 0
    for chunk in response.response:
        size += len(chunk)
        rows += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
    response.close()
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed * 1000, peak / 1024 / 1024, size / 1024 / 1024, rows - 1


def add_cocreation(app, round_id, author_id):
    """5,000 verified organisations, 200 endorsements of one proposal, a meeting with 2,000 registrations,
    a forum of 80 members and 300 meetings in one round; bulk inserts, as the site's own rules are tested elsewhere."""
    from datetime import date, timedelta

    from engage.core.time import utcnow
    from engage.endorsements.models import Endorsement
    from engage.forum.models import Forum, ForumMember
    from engage.meetings.models import Meeting, Registration
    from engage.organisations.kinds import AREAS, with_check_digit
    from engage.organisations.models import Organisation, OrganisationArea, OrganisationDistrict
    from engage.core.districts import DISTRICTS
    from engage.auth.models import User
    from engage.core.passwords import hash_password

    now = utcnow()
    areas, districts = list(AREAS), list(DISTRICTS)
    with app.app_context():
        db.session.execute(insert(Organisation), [
            {"id": n, "name_uk": f"ГО «Громада {n}»", "name_en": f"Community {n}", "kind": "ngo",
             "edrpou": with_check_digit(f"{2000000 + n:07d}"), "website": "", "email": "", "description": "Опис",
             "status": "verified", "decided_at": now, "created_at": now, "updated_at": now} for n in range(1, 5001)])
        db.session.execute(insert(OrganisationArea), [
            {"organisation_id": n, "area": areas[(n + k) % len(areas)]} for n in range(1, 5001) for k in range(2)])
        db.session.execute(insert(OrganisationDistrict), [
            {"organisation_id": n, "district": districts[n % len(districts)]} for n in range(1, 5001)])
        proposal_id = db.session.scalar(text("SELECT min(id) FROM proposals WHERE round_id = :r"), {"r": round_id})
        db.session.execute(insert(Endorsement), [
            {"organisation_id": n, "target_type": "proposal", "target_id": proposal_id, "signed_by": f"Підписант {n}",
             "statement": "Підтримуємо.", "created_at": now} for n in range(1, 201)])
        forum = Forum(default_locale="uk", name={"uk": "Координаційна рада"}, mandate={"uk": "Мандат"}, terms={},
                      how_to_join={}, terms_url="", created_by_id=author_id)
        db.session.add(forum)
        db.session.flush()
        sectors = ["government", "civil_society", "academia", "private", "youth", "other"]
        db.session.execute(insert(ForumMember), [
            {"forum_id": forum.id, "name": f"Член {n}", "organisation_name": "Організація", "sector": sectors[n % 6],
             "role": "member", "term_start": date(2025, 1, 1)} for n in range(80)])
        meetings = [{"uid": f"bench{n:06d}", "sequence": 0, "kind": "public", "round_id": round_id, "forum_id": forum.id if n % 3 == 0 else None,
                     "default_locale": "uk", "title": {"uk": f"Зустріч {n}"}, "description": {"uk": "Опис"},
                     "agenda": {"uk": "1. Вітання\n2. Обговорення"}, "minutes": {},
                     "starts_at": now + timedelta(days=n - 150), "ends_at": now + timedelta(days=n - 150, hours=2),
                     "venue_name": "Vcentri HUB", "venue_address": "", "accessibility": "", "online_url": "",
                     "capacity": 1500 if n == 299 else None, "registration_required": n == 299, "seats_taken": 1500 if n == 299 else 0,
                     "published_at": now - timedelta(days=200), "agenda_published_at": now - timedelta(days=200),
                     "short_notice": False, "created_at": now, "updated_at": now} for n in range(300)]
        db.session.execute(insert(Meeting), meetings)
        meeting_id = db.session.scalar(text("SELECT id FROM meetings WHERE uid = 'bench000299'"))
        password = hash_password("x" * 12)
        db.session.execute(insert(User), [
            {"email": f"reg{n}@example.org", "display_name": f"Учасник {n}", "password_hash": password, "locale": "uk",
             "active": True, "created_at": now, "updated_at": now} for n in range(2000)])
        users = db.session.scalars(text("SELECT id FROM users WHERE email LIKE 'reg%@example.org' ORDER BY id")).all()
        db.session.execute(insert(Registration), [
            {"meeting_id": meeting_id, "user_id": uid, "status": "registered" if k < 1500 else "waitlisted",
             "queued_at": now + timedelta(seconds=k), "updated_at": now} for k, uid in enumerate(users)])
        db.session.commit()
        return proposal_id, meeting_id, forum.id


def cocreation_section(app, client, author_id, round_id):
    print("\nco-creation (median of 15 requests)")
    start = time.perf_counter()
    proposal_id, meeting_id, forum_id = add_cocreation(app, round_id, author_id)
    print(f"  (loaded 5,000 organisations, 2,000 registrations and 300 meetings in {time.perf_counter() - start:.0f} s)")
    for label, url in (("directory, first page", "/organisations/"),
                       ("directory, page 150", "/organisations/?page=150"),
                       ("directory, name search", "/organisations/?q=громада 4999"),
                       ("directory, area + district", "/organisations/?area=digital&district=obolonskyi"),
                       ("API organisations", "/api/v1/organisations?per_page=100&area=youth"),
                       ("proposal, 200 endorsements", f"/proposals/{proposal_id}"),
                       ("API endorsements", f"/api/v1/endorsements?target=proposal:{proposal_id}&per_page=100"),
                       ("meeting, 2,000 registered", f"/meetings/{meeting_id}"),
                       ("forum, 80 members", f"/forum/{forum_id}"),
                       ("meetings list", "/meetings/?when=all"),
                       ("round calendar, 300", f"/rounds/{round_id}/meetings.ics")):
        ms, queries = timed_get(app, client, url)
        print(f"  {label:<28} {ms:7.1f} ms   {queries} SQL queries")
    with signed_in(app, author_id) as facilitator:
        ms, queries = timed_get(app, facilitator, f"/meetings/{meeting_id}")
        print(f"  {'meeting, facilitator view':<28} {ms:7.1f} ms   {queries} SQL queries")
        ms, queries = timed_get(app, facilitator, f"/meetings/{meeting_id}/registrations.csv")
        print(f"  {'registrations CSV (2,000)':<28} {ms:7.1f} ms   {queries} SQL queries")


def add_plan(app, round_id, author_id):
    """A plan of 40 commitments with 25 milestones each, three progress updates per milestone and 500 comments on
    the first commitment; bulk inserts (the importer's and services' rules are tested elsewhere)."""
    from datetime import date, timedelta

    from engage.comments.models import Comment
    from engage.core.time import utcnow
    from engage.plans.models import ActionPlan, Commitment, Milestone, PlanRound, ProgressUpdate

    now = utcnow()
    with app.app_context():
        plan = ActionPlan(default_locale="uk", title={"uk": "План дій", "en": "Action plan"}, jurisdiction={"uk": "Київ"},
                          lead_institutions={"uk": "КМДА"}, monitoring_body={"uk": "Рада"}, period_start=date(2025, 1, 1),
                          period_end=date(2026, 12, 1), status="implementing", published_at=now, created_by_id=author_id)
        db.session.add(plan)
        db.session.flush()
        db.session.add(PlanRound(plan_id=plan.id, round_id=round_id))
        db.session.execute(insert(Commitment), [
            {"plan_id": plan.id, "number": str(c + 1), "position": c, "title": {"uk": f"Зобов'язання {c + 1}"},
             "problem": {"uk": "Проблема"}, "objective": {"uk": "Мета"}, "expected_results": {"uk": "Результати"},
             "ogp_values": ["civic_participation"], "lead_institutions": "КМДА", "partners": "ГО"} for c in range(40)])
        commitment_ids = db.session.scalars(text("SELECT id FROM commitments WHERE plan_id = :p ORDER BY position"),
                                            {"p": plan.id}).all()
        statuses = ["completed", "in_progress", "not_started", "delayed"]
        db.session.execute(insert(Milestone), [
            {"commitment_id": cid, "number": f"{c + 1}.{k + 1}", "position": k, "description": {"uk": f"Крок {k + 1}"},
             "responsible": "КМДА", "start_month": date(2025 + (k // 12) % 2, k % 12 + 1, 1),
             "end_month": date(2025 + (k // 12) % 2, k % 12 + 1, 1), "indicator": {"uk": "Індикатор"},
             "status": statuses[k % 4], "initial_status": "not_started"}
            for c, cid in enumerate(commitment_ids) for k in range(25)])
        milestone_ids = db.session.scalars(text("SELECT m.id FROM milestones m JOIN commitments c ON c.id = m.commitment_id "
                                                "WHERE c.plan_id = :p"), {"p": plan.id}).all()
        db.session.execute(insert(ProgressUpdate), [
            {"milestone_id": mid, "reported_on": date(2025, 3, 1) + timedelta(days=30 * u), "text": "Поступ " * 20,
             "locale": "uk", "status": "in_progress" if u < 2 else None, "evidence": ["https://kyivcity.gov.ua/"],
             "author_id": author_id, "created_at": now} for mid in milestone_ids for u in range(3)])
        db.session.execute(insert(Comment), [
            {"commitment_id": commitment_ids[0], "author_id": author_id, "body": f"Коментар {n}", "locale": "uk",
             "depth": 0, "is_official": False, "created_at": now, "updated_at": now} for n in range(500)])
        db.session.commit()
        return plan.id, commitment_ids[0]


def plans_section(app, client, author_id, round_id):
    print("\naction plans (median of 15 requests)")
    start = time.perf_counter()
    plan_id, commitment_id = add_plan(app, round_id, author_id)
    print(f"  (loaded 40 commitments, 1,000 milestones, 3,000 updates and 500 comments in {time.perf_counter() - start:.0f} s)")
    for label, url in (("plans list", "/plans/"),
                       ("plan page, 1,000 milestones", f"/plans/{plan_id}"),
                       ("commitment, 500 comments", f"/commitments/{commitment_id}"),
                       ("API plan, everything nested", f"/api/v1/plans/{plan_id}"),
                       ("co-creation report", f"/plans/{plan_id}/co-creation")):
        ms, queries = timed_get(app, client, url)
        print(f"  {label:<28} {ms:7.1f} ms   {queries} SQL queries")
    with signed_in(app, author_id) as facilitator:
        started = time.perf_counter()
        response = facilitator.post(f"/plans/{plan_id}/reports/new", data={
            "title": "I квартал", "period_start": "2025-01-01", "period_end": "2025-03-31", "narrative_uk": "Звіт"})
        assert response.status_code == 302, response.status_code
        print(f"  {'publish a progress report':<28} {1000 * (time.perf_counter() - started):7.1f} ms   (one request)")
    ms, queries = timed_get(app, client, response.headers["Location"])
    print(f"  {'the published report':<28} {ms:7.1f} ms   {queries} SQL queries")


def signed_in(app, user_id):
    """A test client signed in as ``user_id``, reading the site in Ukrainian."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "uk"
    with client.session_transaction() as session:
        session["_user_id"] = _session_id(app, user_id)
        session["_fresh"] = True
    return client


def _session_id(app, user_id):
    from engage.auth.models import User

    with app.app_context():
        return db.session.get(User, user_id).get_id()


def main():
    with tempfile.TemporaryDirectory() as workdir:
        app = build_app(workdir)
        with app.app_context():
            from engage.auth import services as accounts
            from engage.core.permissions import Role

            author = accounts.create_user(email="bench@example.org", display_name="Bench", password="x" * 12,
                                          locale="uk", roles=(Role.FACILITATOR,), confirmed=True)
            db.session.commit()
            author_id = author.id
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "uk"
        dialect = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0]
        print(f"database: {dialect}")
        if sys.argv[1:] == ["cocreation"]:
            round_id = make_round(app, author_id)
            add_proposals(app, round_id, author_id, 3)
            cocreation_section(app, client, author_id, round_id)
            return
        if sys.argv[1:] == ["plans"]:
            round_id = make_round(app, author_id)
            add_proposals(app, round_id, author_id, 3)
            plans_section(app, client, author_id, round_id)
            return

        print("\nproposal page (median of 15 requests)")
        round_id = make_round(app, author_id)
        add_proposals(app, round_id, author_id, 3)
        # 40 comments fill the first page (20 comments and their replies), as 1,000 do.
        sizes = ((1, 10, "10 comments"), (2, 40, "40 comments"), (3, 1000, "1,000 comments"))
        for pid, count, _ in sizes:
            add_comments(app, round_id, pid, author_id, count)
        for pid, _, label in sizes:
            ms, queries = timed_get(app, client, f"/proposals/{pid}")
            print(f"  {label:<16} {ms:7.1f} ms   {queries} SQL queries")

        print("\nCSV of a round's proposals (streamed)")
        for count in (1000, 20000):
            csv_round = make_round(app, author_id)
            add_proposals(app, csv_round, author_id, count)
            ms, peak, mb, rows = csv_stream(client, f"/rounds/{csv_round}/proposals.csv")
            print(f"  {count:>6} proposals  {ms:8.1f} ms   {mb:6.1f} MB sent   peak Python memory {peak:5.2f} MB   ({rows} rows)")

        print("\nfacilitators' answer queue of a round with 2,000 unanswered proposals (median of 15 requests)")
        queue_round = make_round(app, author_id)
        add_proposals(app, queue_round, author_id, 2000)
        with signed_in(app, author_id) as facilitator:
            for label, url in (("first page", f"/rounds/{queue_round}/feedback"),
                               ("page 100", f"/rounds/{queue_round}/feedback?page=100")):
                ms, queries = timed_get(app, facilitator, url)
                size = len(facilitator.get(url).data) / 1024
                print(f"  {label:<12} {ms:7.1f} ms   {queries} SQL queries   {size:6.0f} KB of HTML")

        print("\nfull-text search in a round of 20,000 proposals (median of 15 requests)")
        for query in ("консультації", "transparencia ciudad", "бюдж"):
            ms, _ = timed_get(app, client, f"/rounds/{csv_round}/proposals?q={query}")
            print(f"  {query!r:<24} {ms:7.1f} ms")

        print("\nresults of a survey with 100,000 answers (median of 5 requests)")
        start = time.perf_counter()
        survey_id, question_id, age_id, items = add_survey(app, queue_round, author_id, 100_000)
        print(f"  (loaded 100,000 answers, {items:,} answer rows, in {time.perf_counter() - start:.0f} s)")
        for label, url in (("results page", f"/surveys/{survey_id}/results"),
                           ("cross-tab by age", f"/surveys/{survey_id}/results?question={question_id}&by={age_id}"),
                           ("JSON results", f"/api/v1/surveys/{survey_id}/results")):
            ms, queries = timed_get(app, client, url, repeat=5)
            print(f"  {label:<18} {ms:7.1f} ms   {queries} SQL queries")
        ms, peak, mb, rows = csv_stream(client, f"/surveys/{survey_id}/results.csv")
        print(f"  CSV of every answer {ms:7.1f} ms   {mb:6.1f} MB sent   peak Python memory {peak:5.2f} MB   ({rows} rows)")

        cocreation_section(app, client, author_id, round_id)
        plans_section(app, client, author_id, round_id)
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
