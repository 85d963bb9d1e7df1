"""Residents submit, edit, withdraw and support proposals, in the phases that allow it."""
from datetime import timedelta

import pytest

from tests.conftest import STANDARD_PHASES, phase_start

SECOND = timedelta(seconds=1)
GOOD = {
    "title": "Publish council votes as open data",
    "body": "Every vote of the city council should be published as open data on the day it happens.",
    "topic": "", "district": "",
}


def phase_bounds(name):
    return next((start, end) for kind, start, end in STANDARD_PHASES if kind == name)


@pytest.fixture
def round_id(create_round):
    return create_round()


def topic_id(app, round_id, name="Transparency"):
    with app.app_context():
        from engage.rounds.services import get_round

        return next(t.id for t in get_round(round_id).topics if t.name == name)


def submit(browser, round_id, data, action="submit"):
    payload = dict(data)
    payload[action] = "1"
    return browser.submit(f"/rounds/{round_id}/proposals/new", payload, form_url=f"/rounds/{round_id}")


# --- Phase gating at the boundaries ------------------------------------------------


@pytest.mark.parametrize("moment, allowed", [
    (phase_bounds("call_for_proposals")[0] - SECOND, False),
    (phase_bounds("call_for_proposals")[0], True),
    (phase_bounds("call_for_proposals")[1] - SECOND, True),
    (phase_bounds("call_for_proposals")[1], False),
    (phase_bounds("closed")[0], False),
])
def test_proposals_only_during_the_call(app, browser, create_user, round_id, clock, moment, allowed):
    clock(moment)
    browser.sign_in(create_user())
    response = submit(browser, round_id, {**GOOD, "topic": topic_id(app, round_id)})
    if allowed:
        assert response.status_code == 302
    else:
        assert response.status_code == 403
        text = response.get_data(as_text=True)
        assert "Proposals can be submitted only during the call for proposals." in text
        assert "phase (" in text or "has ended" in text or "starts on" in text
        assert browser.get(f"/rounds/{round_id}/proposals/new").status_code == 403


@pytest.mark.parametrize("phase, allowed", [
    ("information", False), ("call_for_proposals", False), ("deliberation", False),
    ("prioritisation", True), ("drafting", False), ("feedback", False), ("closed", False),
])
def test_supports_only_during_prioritisation(browser, create_user, create_proposal, round_id, clock, phase, allowed):
    proposal_id = create_proposal(round_id, create_user())
    clock.to_phase(phase)
    browser.sign_in(create_user())
    response = browser.submit(f"/proposals/{proposal_id}/support", {"support": "1"}, form_url=f"/proposals/{proposal_id}")
    assert response.status_code == (302 if allowed else 403)
    page = browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert f'id="support-count">{1 if allowed else 0}<' in page
    if not allowed:
        assert "Proposals can be supported only during prioritisation." in response.get_data(as_text=True)


def test_support_boundaries(browser, create_user, create_proposal, round_id, clock):
    proposal_id = create_proposal(round_id, create_user())
    start, end = phase_bounds("prioritisation")
    browser.sign_in(create_user())
    for moment, status in [(start - SECOND, 403), (start, 302), (end - SECOND, 302), (end, 403)]:
        clock(moment)
        response = browser.submit(f"/proposals/{proposal_id}/support", {"support": "1"}, form_url=f"/proposals/{proposal_id}")
        assert response.status_code == status, moment


def test_visitors_are_asked_to_sign_in(browser, round_id, clock):
    clock.to_phase("call_for_proposals")
    response = browser.get(f"/rounds/{round_id}/proposals/new")
    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]


def test_drafts_take_no_proposals(app, browser, create_user, create_round, clock):
    draft = create_round(published=False)
    clock.to_phase("call_for_proposals")
    browser.sign_in(create_user())
    assert browser.get(f"/rounds/{draft}/proposals/new").status_code == 404


# --- Submitting -------------------------------------------------------------------


def test_preview_then_submit(app, browser, create_user, round_id, clock):
    clock.to_phase("call_for_proposals")
    browser.sign_in(create_user())
    data = {**GOOD, "body": GOOD["body"] + "\n\n* one\n* two", "topic": topic_id(app, round_id), "district": "podilskyi"}
    preview = submit(browser, round_id, data, action="preview")
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "<li>one</li>" in page and "Submit proposal" in page
    assert browser.get(f"/rounds/{round_id}/proposals").get_data(as_text=True).count("Publish council votes") == 0

    done = submit(browser, round_id, data)
    assert done.status_code == 302
    shown = browser.get(done.headers["Location"]).get_data(as_text=True)
    assert "Publish council votes as open data" in shown
    assert "Podilskyi district" in shown and "Transparency" in shown


@pytest.mark.parametrize("field, value, message", [
    ("title", "Too short", "The title must be between 10 and 150 characters long."),
    ("title", "x" * 151, "The title must be between 10 and 150 characters long."),
    ("title", "", "Enter a title."),
    ("body", "Too short to say much.", "The description must be between 30 and 5000 characters long."),
    ("body", "x" * 5001, "The description must be between 30 and 5000 characters long."),
    ("topic", "0", "Choose the topic your proposal is about."),
    ("district", "atlantis", "Not a valid choice."),
])
def test_validation_errors_keep_input(app, browser, create_user, round_id, clock, field, value, message):
    clock.to_phase("call_for_proposals")
    browser.sign_in(create_user())
    data = {**GOOD, "topic": topic_id(app, round_id), field: value}
    response = submit(browser, round_id, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'aria-invalid="true"' in page
    kept = GOOD["title"] if field != "title" else value
    if kept:
        assert f'value="{kept}"' in page


# --- Editing and withdrawing ------------------------------------------------------


@pytest.mark.parametrize("who, allowed", [
    ("author", True), ("other_resident", False), ("round_facilitator", False),
    ("other_facilitator", False), ("moderator", False), ("admin", False), ("anonymous", False),
])
def test_who_may_edit_a_proposal(browser, create_user, create_round, create_proposal, clock, who, allowed):
    author = create_user()
    facilitator = create_user(roles=("facilitator",))
    round_id = create_round(facilitators=[facilitator])
    proposal_id = create_proposal(round_id, author)
    clock.to_phase("call_for_proposals")
    people = {
        "author": author, "other_resident": create_user(), "round_facilitator": facilitator,
        "other_facilitator": create_user(roles=("facilitator",)), "moderator": create_user(roles=("moderator",)),
        "admin": create_user(roles=("admin",)),
    }
    if who != "anonymous":
        browser.sign_in(people[who])
    response = browser.get(f"/proposals/{proposal_id}/edit")
    expected = 200 if allowed else (302 if who == "anonymous" else 403)
    assert response.status_code == expected
    token = browser.csrf_token(f"/proposals/{proposal_id}")
    posted = browser.client.post(f"/proposals/{proposal_id}/edit", data={
        "csrf_token": token, **GOOD, "title": "A changed title for this", "submit": "1",
    })
    assert posted.status_code == (302 if allowed else expected)
    title = "A changed title for this" if allowed else "Open data on city budget spending"
    assert title in browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)


def test_author_cannot_edit_once_supported_or_after_the_call(browser, create_user, create_proposal, round_id, clock):
    author = create_user()
    proposal_id = create_proposal(round_id, author)
    browser.sign_in(author)
    clock.to_phase("call_for_proposals")
    assert browser.get(f"/proposals/{proposal_id}/edit").status_code == 200
    clock.to_phase("deliberation")
    refused = browser.get(f"/proposals/{proposal_id}/edit")
    assert refused.status_code == 403
    assert "Deliberation" in refused.get_data(as_text=True)

    clock.to_phase("prioritisation")
    supporter = create_user()
    browser.sign_out()
    browser.sign_in(supporter)
    browser.submit(f"/proposals/{proposal_id}/support", {"support": "1"}, form_url=f"/proposals/{proposal_id}")
    browser.sign_out()
    browser.sign_in(author)
    clock.to_phase("call_for_proposals")
    assert browser.get(f"/proposals/{proposal_id}/edit").status_code == 403


def test_withdrawn_proposals_stay_visible(browser, create_user, create_proposal, round_id, clock):
    author = create_user()
    proposal_id = create_proposal(round_id, author)
    browser.sign_in(create_user())
    assert browser.submit(f"/proposals/{proposal_id}/withdraw", form_url=f"/proposals/{proposal_id}").status_code == 403
    browser.sign_out()
    browser.sign_in(author)
    done = browser.submit(f"/proposals/{proposal_id}/withdraw", form_url=f"/proposals/{proposal_id}", follow_redirects=True)
    assert "Your proposal has been withdrawn." in done.get_data(as_text=True)
    browser.sign_out()
    page = browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "Withdrawn" in page and "Open data on city budget spending" in page
    clock.to_phase("prioritisation")
    browser.sign_in(create_user())
    refused = browser.submit(f"/proposals/{proposal_id}/support", {"support": "1"}, form_url=f"/proposals/{proposal_id}")
    assert refused.status_code == 403


# --- Supports -------------------------------------------------------------------------


def test_support_toggles_and_repeats_change_nothing(browser, create_user, create_proposal, round_id, clock):
    proposal_id = create_proposal(round_id, create_user())
    clock.to_phase("prioritisation")
    browser.sign_in(create_user())
    url = f"/proposals/{proposal_id}/support"
    for _ in range(3):
        browser.submit(url, {"support": "1"}, form_url=f"/proposals/{proposal_id}")
    page = browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert 'id="support-count">1<' in page and "Withdraw my support" in page
    for _ in range(2):
        browser.submit(url, {"support": "0"}, form_url=f"/proposals/{proposal_id}")
    assert 'id="support-count">0<' in browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)


def test_concurrent_supports_keep_an_exact_count(app, create_user, create_proposal, round_id, clock):
    """Many people (and the same person twice) click at the same moment: the count stays exact."""
    import threading

    from engage.extensions import limiter
    from tests.conftest import Browser

    proposal_id = create_proposal(round_id, create_user())
    clock.to_phase("prioritisation")
    people = [create_user() for _ in range(12)]
    browsers = []
    for person in people + people[:4]:  # four people click twice, in parallel
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        b = Browser(client)
        limiter.reset()  # twelve sign-ins from one address in a second would trip the sign-in limit
        b.sign_in(person)
        browsers.append((b, b.csrf_token(f"/proposals/{proposal_id}")))
    barrier = threading.Barrier(len(browsers))
    statuses = []

    def click(b, token):
        barrier.wait()
        response = b.client.post(f"/proposals/{proposal_id}/support", data={"csrf_token": token, "support": "1"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=click, args=pair) for pair in browsers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302] * len(browsers)
    with app.app_context():
        from sqlalchemy import func, select

        from engage.extensions import db
        from engage.proposals.models import Proposal, Support

        rows = db.session.scalar(select(func.count()).select_from(Support).where(Support.proposal_id == proposal_id))
        shown = db.session.get(Proposal, proposal_id).support_count
        db.session.remove()
    assert rows == shown == len(people)


def test_refusals_say_when_the_round_has_ended_or_what_comes_next(browser, create_user, round_id, clock):
    browser.sign_in(create_user())
    clock.to_phase("closed")
    ended = browser.get(f"/rounds/{round_id}/proposals/new").get_data(as_text=True)
    assert "This round has ended." in ended
    clock(phase_start("information") - timedelta(days=1))
    early = browser.get(f"/rounds/{round_id}/proposals/new").get_data(as_text=True)
    assert "the next one, “Information”, starts on" in early
