"""A round's totals (engage.rounds.stats) kept as people contribute, against COUNT queries over the rows.

Every contribution goes through the HTTP client, in the phase that allows it; the totals are read the way
the public reads them (the round's page, the API, the report) and compared with counts written here.
"""
from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import distinct, func, select, union_all

from engage.extensions import db
from tests.conftest import DAY, T0, Browser


@pytest.fixture
def signed_in(app):
    """``signed_in(person)``: a browser of that person's own, signed in."""

    def make(person) -> Browser:
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        browser = Browser(client)
        browser.sign_in(person)
        return browser

    return make


def expected_totals(app, round_id: int) -> dict:
    """The round's totals counted from the rows, as the module's docstring defines them."""
    from engage.comments.models import Comment
    from engage.proposals.models import Proposal, Support

    with app.app_context():
        count = lambda query: db.session.scalar(query) or 0
        proposals = count(select(func.count()).select_from(Proposal).where(Proposal.round_id == round_id))
        supports = count(select(func.count()).select_from(Support).join(Proposal, Proposal.id == Support.proposal_id)
                         .where(Proposal.round_id == round_id))
        comments = count(select(func.count()).select_from(Comment)
                         .where(Comment.round_id == round_id, Comment.deleted_at.is_(None)))
        official = count(select(func.count()).select_from(Comment)
                         .where(Comment.round_id == round_id, Comment.is_official.is_(True)))
        people = union_all(
            select(Proposal.author_id.label("user_id")).where(Proposal.round_id == round_id),
            select(Support.user_id).join(Proposal, Proposal.id == Support.proposal_id).where(Proposal.round_id == round_id),
            select(Comment.author_id).where(Comment.round_id == round_id),
        ).subquery()
        participants = count(select(func.count(distinct(people.c.user_id))).where(people.c.user_id.is_not(None)))
        return {"proposals": proposals, "supports": supports, "comments": comments, "official_comments": official,
                "participants": participants}


def stored(app, round_id: int) -> tuple[dict, dict]:
    """The round_stats row and the round_participants rows of the round."""
    from engage.rounds.models import RoundParticipant, RoundStats

    with app.app_context():
        row = db.session.get(RoundStats, round_id)
        totals = {name: getattr(row, name) for name in ("proposals", "supports", "comments", "official_comments",
                                                           "participants", "median_answer_days", "p90_answer_days")}
        people = dict(db.session.execute(select(RoundParticipant.user_id, RoundParticipant.contributions)
                                         .where(RoundParticipant.round_id == round_id)).all())
        return totals, people


def public_totals(client, round_id: int) -> dict:
    """What the round's page, the API and the report show; all three must agree."""
    page = client.get(f"/rounds/{round_id}").get_data(as_text=True)
    on_page = {m.group(2).rstrip("s") + "s": int(m.group(1))
               for m in re.finditer(r"<li><strong>(\d+)</strong> (proposals?|comments?|supports?|participants?)</li>", page)}
    api = client.get(f"/api/v1/rounds/{round_id}").get_json()["counts"]
    report = client.get(f"/rounds/{round_id}/report").get_data(as_text=True)
    in_report = {name.lower(): int(value) for name, value in
                 re.findall(r"<dt>(Proposals|Comments|Supports|Participants)</dt><dd>(\d+)</dd>", report)}
    api_report = {k: v for k, v in client.get(f"/api/v1/rounds/{round_id}/report").get_json()["counts"].items()
                  if k in api}
    assert on_page == api == in_report == api_report, (on_page, api, in_report, api_report)
    return api


def assert_totals(app, client, round_id: int) -> dict:
    expected = expected_totals(app, round_id)
    shown = public_totals(client, round_id)
    assert shown == {k: expected[k] for k in shown}, (shown, expected)
    totals, _people = stored(app, round_id)
    assert {k: totals[k] for k in expected} == expected
    return expected


@dataclass
class Scene:
    round_id: int
    other_round: int
    meeting_id: int
    facilitator: object
    people: dict  # name -> Person
    browsers: dict  # name -> signed-in Browser
    proposals: dict  # name -> id


@pytest.fixture
def scene(app, create_user, create_round, create_proposal, create_meeting, signed_in, clock, visitor) -> Scene:
    """Two residents' proposals, comments and replies, a deleted comment, an official reply, comments on a meeting."""
    clock.to_phase("call_for_proposals")
    facilitator = create_user(roles=("facilitator",), display_name="Iryna Facilitator")
    round_id = create_round(facilitators=[facilitator])
    other_round = create_round(facilitators=[facilitator], title="Another round, counted apart")
    meeting_id = create_meeting(facilitator, round_id=round_id, title="Public meeting of the round")
    people = {name: create_user(display_name=name.title()) for name in ("olha", "taras", "marta", "danylo", "yevhen")}
    browsers = {name: signed_in(person) for name, person in people.items()}
    browsers["facilitator"] = signed_in(facilitator)

    def propose(who, title, round_=round_id):
        response = browsers[who].submit(f"/rounds/{round_}/proposals/new",
                                        {"title": title, "body": f"{title}, explained in a few words.", "submit": "1"},
                                        form_url=f"/rounds/{round_}")
        assert response.status_code == 302, response.get_data(as_text=True)
        return int(response.headers["Location"].rsplit("/", 1)[1])

    proposals = {"olha-1": propose("olha", "Open budget data every week"),
                 "olha-2": propose("olha", "Live streams of council sessions"),
                 "taras-1": propose("taras", "Participatory budget for schools"),
                 "elsewhere": propose("marta", "A proposal in another round", round_=other_round)}
    assert_totals(app, visitor, round_id)
    return Scene(round_id, other_round, meeting_id, facilitator, people, browsers, proposals)


def comment(browser, url, body, parent=None):
    response = browser.submit(url, {"body": body, **({"parent_id": str(parent)} if parent else {})})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("#comment-", 1)[1])


def test_totals_follow_every_kind_of_contribution(app, scene, visitor, clock, create_user, signed_in):
    b, p = scene.browsers, scene.proposals
    clock.to_phase("deliberation")
    first = comment(b["taras"], f"/proposals/{p['olha-1']}/comments", "Weekly is better than monthly.")
    comment(b["olha"], f"/proposals/{p['olha-1']}/comments", "Agreed, weekly it is.", parent=first)
    comment(b["marta"], f"/rounds/{scene.round_id}/comments", "When is the public meeting?")
    gone = comment(b["danylo"], f"/proposals/{p['taras-1']}/comments", "A comment I take back.")
    assert b["danylo"].submit(f"/comments/{gone}/delete", form_url="/").status_code == 302
    comment(b["facilitator"], f"/proposals/{p['olha-1']}/comments", "The city will publish this from May.")
    comment(b["yevhen"], f"/meetings/{scene.meeting_id}/comments", "Is there a sign-language interpreter?")
    comment(b["facilitator"], f"/meetings/{scene.meeting_id}/comments", "Yes, there will be one.")
    totals = assert_totals(app, visitor, scene.round_id)
    # 3 proposals; 6 comments left (one deleted); 2 official replies; everyone took part, the deleted comment's author too.
    assert totals == {"proposals": 3, "supports": 0, "comments": 6, "official_comments": 2, "participants": 6}
    assert assert_totals(app, visitor, scene.other_round) == {"proposals": 1, "supports": 0, "comments": 0,
                                                                "official_comments": 0, "participants": 1}
    with app.app_context():
        from engage.comments.models import Comment

        assert db.session.get(Comment, gone).body == ""  # the deleted comment's text is gone, its author still counts

    clock.to_phase("prioritisation")

    def support(who, proposal, give=True):
        response = b[who].submit(f"/proposals/{p[proposal]}/support", {"support": "1" if give else "0"},
                                 form_url=f"/proposals/{p[proposal]}")
        assert response.status_code == 302

    support("marta", "olha-1")
    support("marta", "taras-1")
    support("danylo", "olha-2")
    support("danylo", "olha-2")  # twice: still one support
    assert assert_totals(app, visitor, scene.round_id)["supports"] == 3
    b["newcomer"] = signed_in(create_user(display_name="Newcomer"))
    support("newcomer", "taras-1")
    assert assert_totals(app, visitor, scene.round_id)["participants"] == 7
    support("newcomer", "taras-1", give=False)  # their only contribution: they are no longer a participant
    after = assert_totals(app, visitor, scene.round_id)
    assert after["participants"] == 6 and after["supports"] == 3
    support("marta", "taras-1", give=False)  # Marta still has a comment and a support: she stays
    support("danylo", "olha-2", give=False)  # Danylo still has his deleted comment: he stays
    support("danylo", "olha-2", give=False)  # taking back twice changes nothing
    final = assert_totals(app, visitor, scene.round_id)
    assert final["supports"] == 1 and final["participants"] == 6
    _totals, contributions = stored(app, scene.round_id)
    assert contributions[scene.people["marta"].id] == 2 and contributions[scene.people["danylo"].id] == 1
    assert contributions[scene.people["olha"].id] == 3  # two proposals and a reply
    assert contributions[scene.facilitator.id] == 2
    assert scene.people["yevhen"].id in contributions
    assert len(contributions) == final["participants"]


def _contribute_a_little(scene, clock):
    b, p = scene.browsers, scene.proposals
    clock.to_phase("deliberation")
    first = comment(b["taras"], f"/proposals/{p['olha-1']}/comments", "A first comment.")
    comment(b["olha"], f"/proposals/{p['olha-1']}/comments", "A reply.", parent=first)
    gone = comment(b["marta"], f"/proposals/{p['taras-1']}/comments", "Deleted soon.")
    b["marta"].submit(f"/comments/{gone}/delete", form_url="/")
    comment(b["facilitator"], f"/proposals/{p['taras-1']}/comments", "An official reply.")
    comment(b["yevhen"], f"/meetings/{scene.meeting_id}/comments", "On the meeting.")
    clock.to_phase("prioritisation")
    for who, proposal in (("danylo", "olha-1"), ("danylo", "taras-1"), ("yevhen", "olha-2")):
        b[who].submit(f"/proposals/{p[proposal]}/support", {"support": "1"}, form_url=f"/proposals/{p[proposal]}")
    b["danylo"].submit(f"/proposals/{p['taras-1']}/support", {"support": "0"}, form_url=f"/proposals/{p['taras-1']}")


def test_rebuild_gives_the_incremental_numbers(app, scene, visitor, clock):
    from engage.rounds import stats

    _contribute_a_little(scene, clock)
    before = {rid: stored(app, rid) for rid in (scene.round_id, scene.other_round)}
    with app.app_context():
        stats.rebuild()
        db.session.commit()
    assert {rid: stored(app, rid) for rid in (scene.round_id, scene.other_round)} == before
    with app.app_context():
        stats.rebuild([scene.round_id])
        db.session.commit()
    assert stored(app, scene.round_id) == before[scene.round_id]
    assert_totals(app, visitor, scene.round_id)


def test_flask_summaries_rebuild_repairs_wrong_totals(app, scene, runner, clock, new_visitor):
    from engage.rounds.models import RoundParticipant, RoundStats

    _contribute_a_little(scene, clock)
    before = stored(app, scene.round_id)
    with app.app_context():  # a manual mistake, written around the services
        db.session.execute(RoundStats.__table__.update().where(RoundStats.round_id == scene.round_id)
                           .values(proposals=99, supports=-4, comments=0, official_comments=7, participants=1))
        db.session.execute(RoundParticipant.__table__.delete().where(RoundParticipant.user_id == scene.people["olha"].id))
        db.session.commit()
    result = runner.invoke(args=["summaries", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "rebuilding round totals" in result.output and "done" in result.output
    assert stored(app, scene.round_id) == before
    assert stored(app, scene.other_round)[0]["proposals"] == 1
    assert_totals(app, new_visitor(), scene.round_id)


def test_a_rebuild_shows_at_once(app, scene, runner, visitor):
    from engage.extensions import cache
    from engage.rounds.models import RoundStats

    with app.app_context():  # rows loaded in bulk, around the services (as the benchmark generator does)
        db.session.execute(RoundStats.__table__.update().where(RoundStats.round_id == scene.round_id)
                           .values(proposals=0, participants=0))
        db.session.commit()
        cache.clear()  # the site starts on the loaded data
    url = f"/api/v1/rounds/{scene.round_id}"
    assert visitor.get(url).get_json()["counts"]["proposals"] == 0
    assert visitor.get(url).headers["X-Cache"] == "hit"
    report = visitor.get(f"/rounds/{scene.round_id}/report.json").get_json()
    assert report["counts"]["proposals"] == 0
    assert runner.invoke(args=["summaries", "rebuild"]).exit_code == 0
    assert visitor.get(url).get_json()["counts"]["proposals"] == 3
    assert visitor.get(f"/rounds/{scene.round_id}/report.json").get_json()["counts"]["proposals"] == 3


def nearest_rank(values, percent):
    ordered = sorted(values)
    return ordered[max(1, math.ceil(percent / 100 * len(ordered))) - 1]


def test_answer_times_match_the_report(app, create_user, create_round, create_proposal, signed_in, clock, visitor, runner):
    from engage.proposals.models import Proposal

    facilitator = create_user(roles=("facilitator",))
    round_id = create_round(facilitators=[facilitator])
    author = create_user()
    ids = []
    for n in range(7):
        clock(T0 + 10 * DAY + n * timedelta(hours=5))
        ids.append(create_proposal(round_id, author, title=f"Proposal {n} waiting for its answer"))
    browser = signed_in(facilitator)
    # Final answers after 1.5, 3, 4.25, 8, 12.5 and 20 days; one "under evaluation"; the last one never answered.
    waits = [1.5, 3, 4.25, 8, 12.5, 20]
    outcomes = ["accepted", "not_accepted", "partially_accepted", "out_of_scope", "accepted", "not_accepted"]
    with app.app_context():
        created = {pid: db.session.get(Proposal, pid).created_at for pid in ids}
    for pid, wait, outcome in zip(ids, waits, outcomes):
        clock(created[pid] + timedelta(days=wait))
        answered = browser.submit(f"/proposals/{pid}/response",
                                  {f"p{pid}-outcome": outcome, f"p{pid}-reason": f"Reason after {wait} days."},
                                  form_url=f"/proposals/{pid}")
        assert answered.status_code == 302, answered.get_data(as_text=True)
    clock(created[ids[0]] + timedelta(days=30))
    browser.submit(f"/proposals/{ids[0]}/response",  # a later answer does not move the first final answer
                   {f"p{ids[0]}-outcome": "partially_accepted", f"p{ids[0]}-reason": "Only in part, after all."},
                   form_url=f"/proposals/{ids[0]}")
    browser.submit(f"/proposals/{ids[6]}/response", {f"p{ids[6]}-outcome": "under_evaluation", f"p{ids[6]}-reason": ""},
                   form_url=f"/proposals/{ids[6]}")

    with app.app_context():
        rows = db.session.execute(select(Proposal.created_at, Proposal.final_answer_at, Proposal.outcome)
                                  .where(Proposal.round_id == round_id)).all()
    final = [(answered - made).total_seconds() / 86400 for made, answered, outcome in rows
             if answered is not None and outcome not in (None, "under_evaluation")]
    assert sorted(final) == pytest.approx(sorted(waits))
    median, p90 = statistics.median(final), nearest_rank(final, 90)
    assert (median, p90) == pytest.approx((6.125, 20))

    report = visitor.get(f"/rounds/{round_id}/report").get_data(as_text=True)
    assert re.search(r'id="median-days">([^<]*)<', report).group(1) == f"{median:.1f}"
    assert re.search(r'id="p90-days">([^<]*)<', report).group(1) == f"{p90:.1f}"
    api = visitor.get(f"/api/v1/rounds/{round_id}/report").get_json()
    assert (api["median_days_to_final_answer"], api["p90_days_to_final_answer"]) == pytest.approx((median, p90))
    totals, _ = stored(app, round_id)
    assert (totals["median_answer_days"], totals["p90_answer_days"]) == pytest.approx((median, p90))
    # Rebuilding everything gives the same times.
    assert runner.invoke(args=["summaries", "rebuild"]).exit_code == 0
    totals, _ = stored(app, round_id)
    assert (totals["median_answer_days"], totals["p90_answer_days"]) == pytest.approx((median, p90))
