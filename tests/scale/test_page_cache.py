"""The page cache for visitors (engage.core.cache): hits, invalidation by every kind of write, what is never stored.

Everything goes through the HTTP client: a visitor's browser (``visitor``) reads the public pages and a
signed-in person's browser (``browser``) writes. A stored page must show the visitor a change at once
(the next visit is a miss with the new content), and a write must not throw away pages it does not touch.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from engage.extensions import db
from tests.conftest import DAY, T0
from tests.scale.conftest import redis_or_skip, unique


def x_cache(response) -> str | None:
    return response.headers.get("X-Cache")


def warm(client, *urls) -> None:
    """Visit each page twice: the second visit must come from the cache."""
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, (url, first.status_code)
        second = client.get(url)
        assert x_cache(second) == "hit", (url, x_cache(first), x_cache(second))
        assert second.get_data() == first.get_data(), url


def visit(client, *urls) -> None:
    """Visit pages that are meant to be stored too, but are not yet (see test_round_proposal_plan_and_meeting_pages_are_stored_for_visitors)."""
    for url in urls:
        for _ in range(2):
            assert client.get(url).status_code == 200, url


def shows_change(client, url, present=(), absent=()) -> str:
    """The visitor sees the change at once: never the stored page of before; a page stored again after a miss."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert x_cache(response) != "hit", f"{url} was served from the cache after a change it shows"
    page = response.get_data(as_text=True)
    for text in present:
        assert text in page, (url, text)
    for text in absent:
        assert text not in page, (url, text)
    if x_cache(response) == "miss":
        again = client.get(url)
        assert x_cache(again) == "hit" and again.get_data(as_text=True) == page, url
    return page


def still_hits(client, *urls) -> None:
    for url in urls:
        assert x_cache(client.get(url)) == "hit", url


@dataclass
class Site:
    facilitator: object
    author: object
    round_a: int
    round_b: int
    p1: int  # two proposals in round A
    p2: int
    p3: int  # one in round B


@pytest.fixture
def site(create_user, create_round, create_proposal, clock) -> Site:
    clock.to_phase("call_for_proposals")
    facilitator = create_user(roles=("facilitator",), display_name="Iryna Facilitator")
    author = create_user(display_name="Olha Author")
    round_a = create_round(facilitators=[facilitator], title="Alpha consultation on open budgets")
    round_b = create_round(facilitators=[facilitator], title="Beta consultation on bike lanes")
    p1 = create_proposal(round_a, author, title="Alpha first: publish every contract")
    p2 = create_proposal(round_a, author, title="Alpha second: open council meetings")
    p3 = create_proposal(round_b, author, title="Beta only: protected bike lanes")
    return Site(facilitator, author, round_a, round_b, p1, p2, p3)


def round_pages(round_id: int) -> list[str]:
    """The pages of a round that visitors are served from the cache."""
    return [f"/rounds/{round_id}/proposals", f"/rounds/{round_id}/report", f"/api/v1/rounds/{round_id}",
            f"/api/v1/rounds/{round_id}/proposals", f"/api/v1/rounds/{round_id}/report"]


def proposal_pages(proposal_id: int) -> list[str]:
    return [f"/api/v1/proposals/{proposal_id}", f"/api/v1/proposals/{proposal_id}/comments"]


# --- Hits ------------------------------------------------------------------------------------------


def test_a_visitors_second_visit_is_a_hit_on_every_kind_of_public_page(app, visitor, new_visitor, site, build_survey,
                                                                       build_plan, clock):
    survey = build_survey(visibility="live")
    plan = build_plan()
    clock(T0 + 12 * DAY)  # the survey is open, its results are live
    urls = ["/", "/rounds/", f"/rounds/{site.round_a}/proposals", f"/rounds/{site.round_a}/proposals?sort=supported&page=1",
            f"/rounds/{site.round_a}/report", f"/surveys/{survey.survey_id}/results", "/plans/",
            f"/api/v1/rounds/{site.round_a}/proposals", "/api/v1/rounds", f"/api/v1/proposals/{site.p1}",
            f"/api/v1/plans/{plan['plan']}"]
    for url in urls:
        first = visitor.get(url)
        assert first.status_code == 200 and x_cache(first) == "miss", (url, first.status_code, x_cache(first))
        assert "Set-Cookie" not in first.headers, url
        second = visitor.get(url)
        assert x_cache(second) == "hit", url
        assert second.get_data() == first.get_data() and second.headers["ETag"] == first.headers["ETag"], url
        assert second.headers["Content-Type"] == first.headers["Content-Type"], url
        assert second.headers["Cache-Control"] == "public, no-cache", url
        assert {"Accept-Language", "Cookie"} <= {v.strip() for v in second.headers["Vary"].split(",")}, url
    api = visitor.get("/api/v1/rounds")
    assert api.headers["Access-Control-Allow-Origin"] == "*" and api.get_json()["total"] == 3
    # Another visitor shares the stored pages; the order of the query's arguments does not matter.
    still_hits(new_visitor(), *urls, f"/rounds/{site.round_a}/proposals?page=1&sort=supported")
    # A HEAD is answered from the same stored page.
    head = visitor.head(f"/rounds/{site.round_a}/report")
    assert head.status_code == 200 and x_cache(head) == "hit"


def test_round_proposal_plan_and_meeting_pages_are_stored_for_visitors(visitor, site, build_plan, create_meeting):
    plan = build_plan()
    meeting_id = create_meeting(site.facilitator, round_id=site.round_a)
    for url in (f"/rounds/{site.round_a}", f"/proposals/{site.p1}", f"/plans/{plan['plan']}",
                f"/commitments/{plan['commitment']}", f"/meetings/{meeting_id}"):
        first = visitor.get(url)
        assert first.status_code == 200 and "Set-Cookie" not in first.headers, url
        assert x_cache(first) == "miss" and x_cache(visitor.get(url)) == "hit", url


def test_an_if_none_match_with_the_etag_gives_304_without_a_body(visitor, site):
    url = f"/rounds/{site.round_a}/proposals"
    first = visitor.get(url)
    etag = first.headers["ETag"]
    again = visitor.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b"" and x_cache(again) == "hit"
    assert again.headers["ETag"] == etag
    other = visitor.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.get_data() == first.get_data()


def test_the_etag_changes_with_the_page(visitor, browser, site):
    url = f"/api/v1/proposals/{site.p1}/comments"
    etag = visitor.get(url).headers["ETag"]
    browser.sign_in(site.author)
    browser.submit(f"/proposals/{site.p1}/comments", {"body": "A comment that changes the page."})
    fresh = visitor.get(url, headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and x_cache(fresh) == "miss"
    assert fresh.headers["ETag"] != etag and "A comment that changes the page." in fresh.get_data(as_text=True)
    assert visitor.get(url, headers={"If-None-Match": fresh.headers["ETag"]}).status_code == 304


# --- Invalidation by each kind of write ----------------------------------------------------------


def test_a_new_proposal_shows_at_once_on_its_rounds_pages_only(visitor, browser, site, create_user):
    warm(visitor, *round_pages(site.round_a), *round_pages(site.round_b), *proposal_pages(site.p1), "/rounds/", "/")
    visit(visitor, f"/rounds/{site.round_a}")
    browser.sign_in(create_user(display_name="Taras Resident"))
    created = browser.submit(f"/rounds/{site.round_a}/proposals/new",
                             {"title": "Alpha third: a brand new idea", "body": "Publish the minutes of every session.",
                              "submit": "1"}, form_url=f"/rounds/{site.round_a}")
    assert created.status_code == 302
    shows_change(visitor, f"/rounds/{site.round_a}", ["Alpha third: a brand new idea"])
    shows_change(visitor, f"/rounds/{site.round_a}/proposals", ["Alpha third: a brand new idea", "3 proposals found"])
    assert "Alpha third: a brand new idea" in shows_change(visitor, f"/api/v1/rounds/{site.round_a}/proposals")
    detail = shows_change(visitor, f"/api/v1/rounds/{site.round_a}")
    assert '"proposals":3' in detail.replace(" ", "")
    shows_change(visitor, f"/rounds/{site.round_a}/report", ["0 of 3 proposals have a final answer"])
    # Another round's pages, an existing proposal's pages and the lists of rounds are untouched.
    still_hits(visitor, *round_pages(site.round_b), *proposal_pages(site.p1), "/rounds/", "/")


def test_a_comment_shows_on_its_proposal_and_round_and_leaves_the_rest(visitor, browser, site, create_user):
    warm(visitor, *proposal_pages(site.p1), *proposal_pages(site.p2), *proposal_pages(site.p3),
         *round_pages(site.round_a), *round_pages(site.round_b), "/rounds/", "/")
    visit(visitor, f"/proposals/{site.p1}", f"/rounds/{site.round_a}")
    browser.sign_in(create_user(display_name="Mykola Commenter"))
    assert browser.submit(f"/proposals/{site.p1}/comments", {"body": "Yes, and every amendment too."}).status_code == 302
    shows_change(visitor, f"/proposals/{site.p1}", ["Yes, and every amendment too.", "Mykola Commenter"])
    assert "Yes, and every amendment too." in shows_change(visitor, f"/api/v1/proposals/{site.p1}/comments")
    assert visitor.get(f"/api/v1/proposals/{site.p1}").get_json()["counts"]["comments"] == 1
    assert visitor.get(f"/api/v1/rounds/{site.round_a}").get_json()["counts"]["comments"] == 1
    shows_change(visitor, f"/rounds/{site.round_a}/proposals", ["1 comment"])
    shows_change(visitor, f"/rounds/{site.round_a}", ["<li><strong>1</strong> comment</li>"])
    # The other proposal of the same round, the other round, the home page and the list of rounds stay stored.
    still_hits(visitor, *proposal_pages(site.p2), *proposal_pages(site.p3), *round_pages(site.round_b), "/rounds/", "/")


def test_a_comment_on_the_round_itself_shows_on_the_round_page(visitor, browser, site, create_user):
    warm(visitor, *round_pages(site.round_b), *proposal_pages(site.p1))
    visit(visitor, f"/rounds/{site.round_a}")
    browser.sign_in(create_user())
    assert browser.submit(f"/rounds/{site.round_a}/comments", {"body": "When is the next meeting?"}).status_code == 302
    shows_change(visitor, f"/rounds/{site.round_a}", ["When is the next meeting?"])
    assert visitor.get(f"/api/v1/rounds/{site.round_a}").get_json()["counts"]["comments"] == 1
    still_hits(visitor, *round_pages(site.round_b), *proposal_pages(site.p1))


def test_a_support_and_its_withdrawal_show_at_once(visitor, browser, site, create_user, clock):
    clock.to_phase("prioritisation")
    pages = [f"/api/v1/proposals/{site.p1}", f"/rounds/{site.round_a}/proposals?sort=supported",
             f"/api/v1/rounds/{site.round_a}", f"/api/v1/rounds/{site.round_a}/proposals?sort=supported"]
    others = [*proposal_pages(site.p2), *round_pages(site.round_b), *proposal_pages(site.p3)]
    warm(visitor, *pages, *others)
    visit(visitor, f"/proposals/{site.p1}")
    browser.sign_in(create_user())
    url = f"/proposals/{site.p1}/support"
    assert browser.submit(url, {"support": "1"}, form_url=f"/proposals/{site.p1}").status_code == 302
    shows_change(visitor, f"/proposals/{site.p1}", ['id="support-count">1<'])
    assert '"supports":1' in shows_change(visitor, f"/api/v1/proposals/{site.p1}").replace(" ", "")
    counts = visitor.get(f"/api/v1/rounds/{site.round_a}").get_json()["counts"]
    assert counts["supports"] == 1 and counts["participants"] == 2
    listing = shows_change(visitor, f"/rounds/{site.round_a}/proposals?sort=supported", ["1 support"])
    assert listing.index("Alpha first") < listing.index("Alpha second")
    api = visitor.get(f"/api/v1/rounds/{site.round_a}/proposals?sort=supported").get_json()
    assert [p["id"] for p in api["items"]] == [site.p1, site.p2]
    still_hits(visitor, *others)

    assert browser.submit(url, {"support": "0"}, form_url=f"/proposals/{site.p1}").status_code == 302
    shows_change(visitor, f"/proposals/{site.p1}", ['id="support-count">0<'])
    assert '"supports":0' in shows_change(visitor, f"/api/v1/proposals/{site.p1}").replace(" ", "")
    counts = visitor.get(f"/api/v1/rounds/{site.round_a}").get_json()["counts"]
    assert counts["supports"] == 0 and counts["participants"] == 1  # only the author is left
    api = visitor.get(f"/api/v1/rounds/{site.round_a}/proposals?sort=supported").get_json()
    assert [p["id"] for p in api["items"]] == [site.p2, site.p1]  # a tie: the newest first
    still_hits(visitor, *others)


def test_a_reasoned_answer_shows_on_the_proposal_and_the_report(visitor, browser, site):
    report = f"/rounds/{site.round_a}/report"
    warm(visitor, report, f"/rounds/{site.round_a}/proposals?outcome=accepted", f"/api/v1/rounds/{site.round_a}/report",
         f"/api/v1/proposals/{site.p1}", *proposal_pages(site.p2), *round_pages(site.round_b))
    visit(visitor, f"/proposals/{site.p1}")
    browser.sign_in(site.facilitator)
    answered = browser.submit(f"/proposals/{site.p1}/response",
                              {f"p{site.p1}-outcome": "accepted", f"p{site.p1}-reason": "It becomes commitment 2."},
                              form_url=f"/proposals/{site.p1}")
    assert answered.status_code == 302
    shows_change(visitor, f"/proposals/{site.p1}", ["It becomes commitment 2."])
    shows_change(visitor, report, ["It becomes commitment 2.", "1 of 2 proposals have a final answer"])
    shows_change(visitor, f"/rounds/{site.round_a}/proposals?outcome=accepted", ["Alpha first", "1 proposal found"])
    assert '"outcome":"accepted"' in shows_change(visitor, f"/api/v1/proposals/{site.p1}").replace(" ", "")
    api = visitor.get(f"/api/v1/rounds/{site.round_a}/report").get_json()
    assert api["answered"] == 1 and api["proposals"][0]["reason"] == "It becomes commitment 2."
    still_hits(visitor, *proposal_pages(site.p2), *round_pages(site.round_b))

    # A second answer with the same outcome and a new reason replaces the one shown.
    browser.submit(f"/proposals/{site.p1}/response",
                   {f"p{site.p1}-outcome": "accepted", f"p{site.p1}-reason": "It becomes commitment 3 instead."},
                   form_url=f"/proposals/{site.p1}")
    shows_change(visitor, report, ["It becomes commitment 3 instead."])
    assert visitor.get(f"/api/v1/rounds/{site.round_a}/report").get_json()["proposals"][0]["reason"] == \
        "It becomes commitment 3 instead."
    shows_change(visitor, f"/proposals/{site.p1}", ["It becomes commitment 3 instead."])
    still_hits(visitor, *proposal_pages(site.p2), *round_pages(site.round_b))


def test_a_moderation_hide_removes_the_text_for_visitors_at_once(app, visitor, browser, site, create_user):
    browser.sign_in(create_user(display_name="Roman Commenter"))
    browser.submit(f"/proposals/{site.p2}/comments", {"body": "Call 067 123 4567 for details."})
    browser.sign_out()
    with app.app_context():
        from engage.comments.models import Comment

        comment_id = db.session.scalar(db.select(Comment.id))
    pages = [f"/rounds/{site.round_a}/proposals", f"/api/v1/proposals/{site.p1}", f"/api/v1/rounds/{site.round_a}/proposals",
             f"/api/v1/proposals/{site.p2}/comments"]
    others = [*round_pages(site.round_b), *proposal_pages(site.p3)]
    warm(visitor, *pages, *others)
    visit(visitor, f"/proposals/{site.p1}", f"/proposals/{site.p2}")
    browser.sign_in(create_user(roles=("moderator",)))
    hidden = browser.submit(f"/moderation/proposal/{site.p1}/hide", {"reason": "Personal data"},
                            form_url=f"/moderation/proposal/{site.p1}")
    assert hidden.status_code == 302
    shows_change(visitor, f"/proposals/{site.p1}", ["Hidden by moderation: Personal data"], ["publish every contract"])
    shows_change(visitor, f"/rounds/{site.round_a}/proposals", ["Hidden by moderation"], ["publish every contract"])
    assert "publish every contract" not in shows_change(visitor, f"/api/v1/proposals/{site.p1}")
    assert "publish every contract" not in shows_change(visitor, f"/api/v1/rounds/{site.round_a}/proposals")
    still_hits(visitor, *others, f"/api/v1/proposals/{site.p2}/comments")

    assert browser.submit(f"/moderation/comment/{comment_id}/hide", {"reason": "Phone number"},
                          form_url=f"/moderation/comment/{comment_id}").status_code == 302
    shows_change(visitor, f"/proposals/{site.p2}", ["Phone number"], ["067 123 4567"])
    assert "067 123 4567" not in shows_change(visitor, f"/api/v1/proposals/{site.p2}/comments")
    still_hits(visitor, *others)


def test_a_survey_answer_shows_in_the_results_and_the_report_at_once(visitor, browser, build_survey, create_user,
                                                                     create_round, clock):
    built = build_survey(visibility="live")
    other_round = create_round(title="A round without surveys")
    clock(T0 + 12 * DAY)
    results = f"/surveys/{built.survey_id}/results"
    report = f"/rounds/{built.round_id}/report"
    warm(visitor, results, report, f"/api/v1/rounds/{built.round_id}/report", *round_pages(other_round))
    assert '<strong id="respondents">0</strong>' in visitor.get(results).get_data(as_text=True)
    browser.sign_in(create_user())
    saved = browser.submit(f"/surveys/{built.survey_id}", {
        f"q{built.q['transport']}": str(built.o["transport.Metro"]), f"q{built.q['rating']}": "4"})
    assert saved.status_code == 302
    page = shows_change(visitor, results, ['<strong id="respondents">1</strong>',
                                           '<th scope="row">Metro</th><td>1</td><td>100.0%</td>'])
    assert re.search(r'class="scale-mean">4(\.0+)?<', page)
    shows_change(visitor, report, ["1 person answered"])
    still_hits(visitor, *round_pages(other_round))

    # The same person changes their answer: the figures move, the respondents stay one.
    browser.submit(f"/surveys/{built.survey_id}", {f"q{built.q['transport']}": str(built.o["transport.Bus"])})
    shows_change(visitor, results, ['<strong id="respondents">1</strong>', '<th scope="row">Bus</th><td>1</td>',
                                    '<th scope="row">Metro</th><td>0</td>'])
    still_hits(visitor, *round_pages(other_round))


def test_the_api_report_counts_a_survey_answer_at_once(visitor, browser, build_survey, create_user, clock):
    built = build_survey(visibility="live")
    clock(T0 + 12 * DAY)
    url = f"/api/v1/rounds/{built.round_id}/report"
    warm(visitor, url)
    assert visitor.get(url).get_json()["surveys"][0]["respondents"] == 0
    browser.sign_in(create_user())
    browser.submit(f"/surveys/{built.survey_id}", {f"q{built.q['transport']}": str(built.o["transport.Metro"])})
    api = shows_change(visitor, url)
    assert '"respondents":1' in api.replace(" ", "") and '"survey_answers":1' in api.replace(" ", "")


def test_a_plan_progress_update_shows_on_the_plan_at_once(visitor, browser, build_plan, site, clock):
    clock(T0 + 29 * DAY)
    plan = build_plan()
    pages = [f"/api/v1/plans/{plan['plan']}", "/api/v1/plans", "/plans/"]
    others = [*round_pages(site.round_a), *proposal_pages(site.p1)]
    warm(visitor, *pages, *others)
    visit(visitor, f"/plans/{plan['plan']}", f"/commitments/{plan['commitment']}")
    browser.sign_in(site.facilitator)
    posted = browser.submit(f"/milestones/{plan['milestones'][0]}/updates/new",
                            {"reported_on": "2026-03-28", "text": "The draft regulation is published", "status": "completed",
                             "evidence": "https://kyivcity.gov.ua/draft"})
    assert posted.status_code == 302
    shows_change(visitor, f"/commitments/{plan['commitment']}", ["The draft regulation is published",
                                                                 "50% of milestones completed"])
    shows_change(visitor, f"/plans/{plan['plan']}", ["50%"])
    detail = visitor.get(f"/api/v1/plans/{plan['plan']}")
    assert x_cache(detail) == "miss" and "The draft regulation is published" in detail.get_data(as_text=True)
    shows_change(visitor, "/plans/")
    still_hits(visitor, *others)


def test_a_meeting_registration_shows_the_places_left_at_once(visitor, browser, site, create_meeting, create_user):
    meeting_id = create_meeting(site.facilitator, round_id=site.round_a, capacity=2, registration=True,
                                title="Public hearing on the budget")
    url = f"/meetings/{meeting_id}"
    others = [*round_pages(site.round_a), *proposal_pages(site.p1)]
    warm(visitor, "/meetings/", "/", *others)
    visit(visitor, url)
    assert "2 places · 2 left" in visitor.get(url).get_data(as_text=True)
    browser.sign_in(create_user())
    assert browser.submit(f"/meetings/{meeting_id}/register", {}, form_url=url).status_code == 302
    shows_change(visitor, url, ["2 places · 1 left"])
    shows_change(visitor, "/meetings/")
    shows_change(visitor, "/")
    # Lists of proposals and the API do not show meetings and stay stored.
    still_hits(visitor, *others)


def test_a_new_display_name_shows_everywhere_at_once(visitor, browser, site):
    pages = [f"/rounds/{site.round_a}/proposals", f"/api/v1/proposals/{site.p1}", f"/api/v1/rounds/{site.round_b}/proposals"]
    warm(visitor, *pages, "/privacy")
    visit(visitor, f"/proposals/{site.p1}", f"/rounds/{site.round_a}")
    browser.sign_in(site.author)
    # Signing in changes nothing a visitor sees: the pages stay stored.
    still_hits(visitor, *pages, "/privacy")
    saved = browser.submit("/account/", {"display_name": "Olha Renamed", "locale": "en", "bio": ""})
    assert saved.status_code == 302
    for url in [*pages, f"/proposals/{site.p1}", f"/rounds/{site.round_a}"]:
        shows_change(visitor, url, ["Olha Renamed"], ["Olha Author"])
    # A change of something no page shows (the bio) keeps the pages stored.
    browser.submit("/account/", {"display_name": "Olha Renamed", "locale": "en", "bio": "Lives in Obolon."})
    still_hits(visitor, *pages)


def test_a_phase_edit_shows_on_the_round_and_the_list_of_rounds(app, visitor, browser, site):
    with app.app_context():
        from engage.rounds.models import Phase

        phase_id = db.session.scalar(db.select(Phase.id).where(Phase.round_id == site.round_a,
                                                               Phase.type == "call_for_proposals"))
    pages = ["/rounds/", f"/api/v1/rounds/{site.round_a}", "/api/v1/rounds", f"/rounds/{site.round_a}/proposals"]
    warm(visitor, *pages, "/plans/", "/api/v1/plans", "/privacy")
    visit(visitor, f"/rounds/{site.round_a}")
    browser.sign_in(site.facilitator)
    # The phase keeps its dates (12:00 in Kyiv is 10:00 UTC in March); its note is new.
    edited = browser.submit(f"/rounds/{site.round_a}/phases/{phase_id}/edit",
                            {"type": "call_for_proposals", "starts_at": "2026-03-11T12:00", "ends_at": "2026-03-21T12:00",
                             "note": "Extended after the public hearing"})
    assert edited.status_code == 302, edited.get_data(as_text=True)
    shows_change(visitor, f"/rounds/{site.round_a}", ["Extended after the public hearing"])
    detail = visitor.get(f"/api/v1/rounds/{site.round_a}")
    assert x_cache(detail) == "miss"
    phase = next(p for p in detail.get_json()["phases"] if p["type"] == "call_for_proposals")
    assert phase["note"] == "Extended after the public hearing"
    for url in ("/api/v1/rounds", f"/rounds/{site.round_a}/proposals", "/rounds/"):
        shows_change(visitor, url)
    # Phases belong to the "rounds" family, which every page of a round depends on; plans and pages do not.
    still_hits(visitor, "/plans/", "/api/v1/plans", "/privacy")


# --- What is never stored or served --------------------------------------------------------------


def test_signed_in_people_are_never_served_a_stored_page_nor_have_theirs_stored(visitor, new_visitor, browser, site,
                                                                               create_user):
    urls = ["/", "/rounds/", f"/rounds/{site.round_a}/proposals", f"/api/v1/proposals/{site.p1}"]
    warm(visitor, *urls)
    person = create_user(display_name="Secret Signedin Name")
    browser.sign_in(person)
    browser.get("/")  # the sign-in's message is shown once
    for url in urls[:3]:
        response = browser.get(url)
        assert response.status_code == 200 and x_cache(response) is None, url
        assert "Sign out" in response.get_data(as_text=True), url
    assert "Welcome back, Secret Signedin Name." in browser.get("/").get_data(as_text=True)
    assert x_cache(browser.get(urls[3])) is None
    # Their pages were not stored: a visitor's first visit to a page only they saw is a miss, as a visitor sees it.
    fresh = f"/rounds/{site.round_b}/proposals"
    assert x_cache(browser.get(fresh)) is None and x_cache(browser.get(fresh)) is None
    first = new_visitor().get(fresh)
    assert x_cache(first) == "miss" and "Sign out" not in first.get_data(as_text=True)
    for url in urls:
        page = new_visitor().get(url).get_data(as_text=True)
        assert "Secret Signedin Name" not in page and "Sign out" not in page, url


def test_a_remember_me_cookie_alone_means_signed_in(browser, visitor, site):
    url = f"/rounds/{site.round_a}/proposals"
    warm(visitor, url)
    browser.sign_in(site.author, remember=True)
    browser.get("/")
    browser.client.delete_cookie("session")
    response = browser.get(url)
    assert x_cache(response) is None and "Olha Author" in response.get_data(as_text=True)
    assert "Sign out" in response.get_data(as_text=True)


def test_a_page_with_a_message_waiting_is_not_served_from_the_cache(browser, visitor, site):
    url = f"/rounds/{site.round_a}/proposals"
    warm(visitor, url)
    browser.sign_in(site.author)
    browser.sign_out()  # "You are signed out." waits to be shown on the next page
    response = browser.get(url)
    assert x_cache(response) is None and "You are signed out." in response.get_data(as_text=True)
    # The message is gone: the next visit is served from the cache again.
    assert x_cache(browser.get(url)) == "hit"
    # The same for a visitor's own message (the language switcher's).
    switched = visitor.post("/language", data={"locale": "en", "next": url})
    assert switched.status_code == 302
    after = visitor.get(url)
    assert x_cache(after) is None and "The site is now shown in English." in after.get_data(as_text=True)
    assert x_cache(visitor.get(url)) == "hit"


def test_pages_with_a_csrf_token_for_a_visitor_are_not_stored(new_visitor, build_survey, clock):
    built = build_survey(anonymous=True, visibility="live")
    clock(T0 + 12 * DAY)
    for url in (f"/surveys/{built.survey_id}", "/account/sign-in"):
        first = new_visitor().get(url)
        second = new_visitor().get(url)
        tokens = [re.search(r'name="csrf_token"[^>]*value="([^"]+)"', r.get_data(as_text=True)) for r in (first, second)]
        assert all(tokens), f"{url} shows a form with a token"
        assert x_cache(first) is None and x_cache(second) is None, url
        assert tokens[0].group(1) != tokens[1].group(1), "each visitor gets a token of their own"


def test_an_anonymous_answer_notice_is_not_served_to_other_visitors(new_visitor, build_survey, clock):
    """What the survey page shows depends on the visitor's engage_survey_browser cookie ("You answered on ...")."""
    built = build_survey(anonymous=True, visibility="live", demographics=False)
    clock(T0 + 12 * DAY)
    answering = new_visitor()
    form = answering.get(f"/surveys/{built.survey_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    ranking = {f"q{built.q['priorities']}-o{built.o['priorities.' + name]}": str(n)
               for n, name in enumerate(("Education", "Heritage", "E-services"), start=1)}
    sent = answering.post(f"/surveys/{built.survey_id}", data={
        "csrf_token": token, f"q{built.q['transport']}": str(built.o["transport.Bus"]), **ranking})
    assert sent.status_code == 302
    answering.get(sent.headers["Location"])  # the thanks page shows the message
    clock(T0 + 31 * DAY)  # the survey has closed: no form, no token on the page
    for _ in range(2):
        own = answering.get(f"/surveys/{built.survey_id}")
        assert "You answered on" in own.get_data(as_text=True)
    stranger = new_visitor().get(f"/surveys/{built.survey_id}")
    assert x_cache(stranger) != "hit" and "You answered on" not in stranger.get_data(as_text=True)


def test_languages_are_stored_separately(new_visitor, create_round, create_proposal, create_user):
    from engage.rounds.services import Texts

    round_id = create_round(default_locale="uk", texts={"uk": Texts("Бюджет участі Києва", "Опис українською"),
                                                         "en": Texts("Kyiv participatory budget", "Summary in English")})
    url = "/rounds/"
    english, ukrainian = new_visitor("en"), new_visitor("uk")
    warm(english, url)
    assert "Kyiv participatory budget" in english.get(url).get_data(as_text=True)
    first_uk = ukrainian.get(url)
    assert x_cache(first_uk) == "miss"
    assert "Бюджет участі Києва" in first_uk.get_data(as_text=True)
    assert "Kyiv participatory budget" not in first_uk.get_data(as_text=True)
    assert x_cache(ukrainian.get(url)) == "hit"
    assert 'lang="uk"' in ukrainian.get(url).get_data(as_text=True)[:200]
    # The language switcher's cookie wins over the browser's language, and shares the stored pages of its language.
    chooser = new_visitor("uk")
    chooser.set_cookie("engage_locale", "en")
    chosen = chooser.get(url)
    assert x_cache(chosen) == "hit" and "Kyiv participatory budget" in chosen.get_data(as_text=True)
    chooser.set_cookie("engage_locale", "uk")
    assert "Бюджет участі Києва" in chooser.get(url).get_data(as_text=True)
    spanish = new_visitor("es")
    assert x_cache(spanish.get(url)) == "miss"
    assert x_cache(spanish.get(url)) == "hit"
    # A change shows at once in every language.
    listing = f"/rounds/{round_id}/proposals"
    warm(english, listing)
    warm(ukrainian, listing)
    create_proposal(round_id, create_user(), title="Нова пропозиція щодо бюджету", locale="uk")
    shows_change(english, listing, ["Нова пропозиція щодо бюджету", "1 proposal found"])
    shows_change(ukrainian, listing, ["Нова пропозиція щодо бюджету"])


def test_a_stored_page_never_outlives_page_cache_seconds(app, visitor, site, cache_clock):
    url = f"/rounds/{site.round_a}/proposals"
    seconds = app.config["PAGE_CACHE_SECONDS"]
    warm(visitor, url)
    cache_clock(seconds - 2)
    assert x_cache(visitor.get(url)) == "hit"
    cache_clock(3)  # stored more than PAGE_CACHE_SECONDS ago
    assert x_cache(visitor.get(url)) == "miss"
    assert x_cache(visitor.get(url)) == "hit"


def test_a_shorter_page_cache_seconds_is_obeyed_and_zero_turns_the_cache_off(app, visitor, site, cache_clock):
    url = f"/api/v1/proposals/{site.p1}"
    saved = app.config["PAGE_CACHE_SECONDS"]
    try:
        app.config["PAGE_CACHE_SECONDS"] = 5
        warm(visitor, url)
        cache_clock(4)
        assert x_cache(visitor.get(url)) == "hit"
        cache_clock(2)
        assert x_cache(visitor.get(url)) == "miss"
        app.config["PAGE_CACHE_SECONDS"] = 0
        response = visitor.get(url)
        assert response.status_code == 200 and x_cache(response) is None
    finally:
        app.config["PAGE_CACHE_SECONDS"] = saved


def test_the_shuffled_list_of_one_visitor_is_not_served_to_another(new_visitor, site, create_proposal):
    from tests.scale.conftest import PROPOSAL_LINK

    for n in range(30):
        create_proposal(site.round_a, site.author, title=f"Shuffled proposal number {n:02d}")
    url = f"/rounds/{site.round_a}/proposals?sort=random"
    first, second = new_visitor(), new_visitor()
    for client, seed in ((first, 11), (second, 900_000)):
        with client.session_transaction() as session:
            session["shuffle_seed"] = seed
    expected = {seed: [p["id"] for p in new_visitor().get(
        f"/api/v1/rounds/{site.round_a}/proposals?sort=random&seed={seed}&per_page=100").get_json()["items"]]
        for seed in (11, 900_000)}
    assert expected[11] != expected[900_000] and sorted(expected[11]) == sorted(expected[900_000])
    for page in (1, 2):  # the first visitor reads their order
        first.get(f"{url}&page={page}")
    seen = []
    for page in (1, 2):  # the second visitor pages through theirs
        seen += [int(i) for i in PROPOSAL_LINK.findall(second.get(f"{url}&page={page}").get_data(as_text=True))]
    assert seen == expected[900_000], "every proposal once, in the visitor's own order"


def test_absolute_links_of_another_host_are_not_served_to_visitors(visitor, new_visitor, site, create_proposal):
    for n in range(30):
        create_proposal(site.round_a, site.author, title=f"Another proposal {n}")
    url = f"/api/v1/rounds/{site.round_a}/proposals"
    forged = visitor.get(url, base_url="http://evil.example")
    assert forged.get_json()["next"].startswith("http://localhost/"), "links come from BASE_URL, not the Host header"
    honest = new_visitor().get(url)
    assert honest.get_json()["next"].startswith("http://localhost/")


def test_a_rolled_back_savepoint_keeps_the_tags_of_the_rest_of_the_transaction(app, visitor, site):
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from engage.auth.models import User
    from engage.comments import services
    from engage.core.time import utcnow
    from engage.proposals.models import Proposal, Support

    url = f"/api/v1/proposals/{site.p1}/comments"
    warm(visitor, url)
    with app.test_request_context():
        proposal = db.session.get(Proposal, site.p1)
        services.add_comment(proposal.round, proposal, db.session.get(User, site.author.id),
                             body="Written before a savepoint failed.", locale="en")
        try:  # a duplicate refused inside a savepoint, as endorsements and survey answers do
            with db.session.begin_nested():
                row = {"proposal_id": site.p1, "user_id": site.author.id, "created_at": utcnow()}
                db.session.execute(insert(Support), [row, row])
        except IntegrityError:
            pass
        db.session.commit()
    with app.app_context():
        from engage.comments.models import Comment

        assert db.session.scalar(db.select(Comment.id).where(Comment.body == "Written before a savepoint failed."))
    shows_change(visitor, url, ["Written before a savepoint failed."])


# --- Redis ------------------------------------------------------------------------------------------


@pytest.fixture
def redis_app(app):
    """A second app on the same database whose page cache lives in Redis (database 6, a prefix of its own)."""
    from engage import create_app

    url = "redis://127.0.0.1:6379/6"
    redis_or_skip(url)
    second = create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "MAIL_BACKEND": "log",
        "RATELIMIT_STORAGE_URI": "memory://", "WTF_CSRF_ENABLED": True, "SERVER_NAME": None,
        "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": url, "CACHE_KEY_PREFIX": unique("engage-test") + ":",
        "EXPORT_FOLDER": app.config["EXPORT_FOLDER"],
    })
    yield second
    with second.app_context():
        from engage.core.cache import clear

        clear()
        db.session.remove()
        db.engine.dispose()


def test_the_redis_backend_stores_pages_and_invalidates_them(redis_app, site, create_user):
    import redis

    from tests.conftest import Browser

    visitor = redis_app.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = f"/api/v1/proposals/{site.p1}/comments"
    other = f"/api/v1/proposals/{site.p3}/comments"
    warm(visitor, url, other)
    # The pages really live in Redis, under the app's prefix.
    connection = redis.Redis.from_url(redis_app.config["CACHE_REDIS_URL"])
    assert len(connection.keys(redis_app.config["CACHE_KEY_PREFIX"] + "page:*")) == 2
    assert connection.keys(redis_app.config["CACHE_KEY_PREFIX"] + "v:proposal:*")
    writer = Browser(redis_app.test_client())
    writer.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    writer.sign_in(create_user(display_name="Redis Commenter"))
    sent = writer.submit(f"/proposals/{site.p1}/comments", {"body": "Stored in Redis, invalidated by a commit."})
    assert sent.status_code == 302
    shows_change(visitor, url, ["Stored in Redis, invalidated by a commit."])
    still_hits(visitor, other)
