"""Flags, the moderation queue, hiding with a public reason, restoring, automatic hiding, the record."""
import pytest


@pytest.fixture
def setting(create_round, create_user, create_proposal, clock):
    facilitator = create_user(roles=("facilitator",))
    round_id = create_round(facilitators=[facilitator])
    author = create_user()
    proposal_id = create_proposal(round_id, author, title="Sell my bicycle, call 067 123 4567")
    clock.to_phase("deliberation")
    return round_id, proposal_id, facilitator, author


def flag(browser, kind, target_id, reason="personal_data", details=""):
    return browser.submit(f"/flag/{kind}/{target_id}", {"reason": reason, "details": details})


def test_anyone_signed_in_flags_once_with_a_reason(browser, create_user, setting):
    _, proposal_id, _, author = setting
    assert browser.get(f"/flag/proposal/{proposal_id}").status_code == 302  # visitors sign in first
    browser.sign_in(create_user())
    missing = browser.submit(f"/flag/proposal/{proposal_id}", {"reason": "other", "details": ""})
    assert missing.status_code == 422 and "Tell us what is wrong." in missing.get_data(as_text=True)
    no_reason = browser.submit(f"/flag/proposal/{proposal_id}", {"details": "bad"})
    assert "Choose a reason." in no_reason.get_data(as_text=True)
    assert "bad</textarea>" in no_reason.get_data(as_text=True)
    assert flag(browser, "proposal", proposal_id).status_code == 302
    again = flag(browser, "proposal", proposal_id)
    assert again.status_code == 422 and "You have already flagged this." in again.get_data(as_text=True)
    browser.sign_out()
    browser.sign_in(author)
    assert browser.get(f"/flag/proposal/{proposal_id}").status_code == 403  # not one's own words


@pytest.mark.parametrize("who, status", [
    ("resident", 403), ("moderator", 200), ("admin", 200), ("round_facilitator", 200), ("other_facilitator", 200),
])
def test_queue_access(browser, create_user, setting, who, status):
    round_id, proposal_id, facilitator, _ = setting
    browser.sign_in(create_user())
    flag(browser, "proposal", proposal_id)
    browser.sign_out()
    people = {"resident": lambda: create_user(), "moderator": lambda: create_user(roles=("moderator",)),
              "admin": lambda: create_user(roles=("admin",)), "round_facilitator": lambda: facilitator,
              "other_facilitator": lambda: create_user(roles=("facilitator",))}
    browser.sign_in(people[who]())
    response = browser.get("/moderation/")
    assert response.status_code == status
    if status == 200:
        listed = "Sell my bicycle" in response.get_data(as_text=True)
        assert listed == (who != "other_facilitator")  # facilitators see their own rounds only
        item = browser.get(f"/moderation/proposal/{proposal_id}")
        assert item.status_code == (403 if who == "other_facilitator" else 200)


def test_queue_orders_by_flag_count_then_age(browser, create_user, create_proposal, setting, app):
    round_id, proposal_id, _, author = setting
    other_id = create_proposal(round_id, author, title="Another doubtful proposal here")
    flaggers = [create_user() for _ in range(2)]
    for person in flaggers:
        browser.sign_in(person)
        flag(browser, "proposal", other_id, reason="spam")
        browser.sign_out()
    browser.sign_in(flaggers[0])
    flag(browser, "proposal", proposal_id)
    browser.sign_out()
    browser.sign_in(create_user(roles=("moderator",)))
    page = browser.get("/moderation/").get_data(as_text=True)
    assert page.index("Another doubtful proposal") < page.index("Sell my bicycle")


def test_hide_shows_the_reason_publicly_and_restore_brings_it_back(browser, create_user, setting):
    round_id, proposal_id, _, _ = setting
    moderator = create_user(roles=("moderator",), display_name="Marta Moderator")
    browser.sign_in(create_user())
    flag(browser, "proposal", proposal_id)
    browser.sign_out()
    browser.sign_in(moderator)
    no_reason = browser.submit(f"/moderation/proposal/{proposal_id}/hide", {"reason": ""}, form_url=f"/moderation/proposal/{proposal_id}")
    assert no_reason.status_code == 422
    assert "Give the reason; it is shown publicly in place of the content." in no_reason.get_data(as_text=True)
    hidden = browser.submit(f"/moderation/proposal/{proposal_id}/hide", {"reason": "Contains a phone number"},
                            form_url=f"/moderation/proposal/{proposal_id}")
    assert hidden.status_code == 302
    assert "Nothing is waiting for moderation." in browser.get("/moderation/").get_data(as_text=True)
    browser.sign_out()
    public = browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "Hidden by moderation: Contains a phone number" in public
    assert "067 123 4567" not in public
    listing = browser.get(f"/rounds/{round_id}/proposals").get_data(as_text=True)
    assert "067 123 4567" not in listing and "Hidden by moderation" in listing
    assert "0 proposals found" in browser.get(f"/rounds/{round_id}/proposals?q=bicycle").get_data(as_text=True)

    browser.sign_in(moderator)
    browser.submit(f"/moderation/proposal/{proposal_id}/restore", {"reason": "Number removed"},
                   form_url=f"/moderation/proposal/{proposal_id}")
    browser.sign_out()
    assert "067 123 4567" in browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)

    browser.sign_in(moderator)
    record = browser.get("/moderation/log").get_data(as_text=True)
    assert "hidden" in record and "restored" in record and "Marta Moderator" in record
    assert "Contains a phone number" in record and "Number removed" in record


def test_automatic_hiding_after_three_distinct_flags(app, browser, create_user, setting, clock):
    round_id, proposal_id, _, author = setting
    browser.sign_in(author)
    comment_url = browser.submit(f"/proposals/{proposal_id}/comments", {"body": "Buy cheap watches here"}).headers["Location"]
    comment_id = int(comment_url.rsplit("comment-", 1)[1])
    browser.sign_out()
    for n in range(3):
        browser.sign_in(create_user())
        flag(browser, "comment", comment_id, reason="spam")
        browser.sign_out()
        page = browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)
        assert ("Buy cheap watches here" in page) == (n < 2)
    assert "Hidden by moderation: flagged by several people" in page

    moderator = create_user(roles=("moderator",))
    browser.sign_in(moderator)
    queue = browser.get("/moderation/").get_data(as_text=True)
    assert "Buy cheap watches" in queue and "Hidden" in queue
    browser.submit(f"/moderation/comment/{comment_id}/dismiss", {"reason": ""}, form_url=f"/moderation/comment/{comment_id}")
    browser.sign_out()
    assert "Buy cheap watches here" in browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    browser.sign_in(moderator)
    record = browser.get("/moderation/log").get_data(as_text=True)
    assert "hidden automatically" in record and "by the platform" in record and "flags dismissed" in record


def test_round_facilitator_moderates_own_round_and_residents_cannot(browser, create_user, setting):
    round_id, proposal_id, facilitator, _ = setting
    browser.sign_in(create_user())
    token = browser.csrf_token("/")
    refused = browser.client.post(f"/moderation/proposal/{proposal_id}/hide", data={"csrf_token": token, "reason": "no"})
    assert refused.status_code == 403
    browser.sign_out()
    browser.sign_in(facilitator)
    done = browser.submit(f"/moderation/proposal/{proposal_id}/hide", {"reason": "Personal data"},
                          form_url=f"/moderation/proposal/{proposal_id}")
    assert done.status_code == 302
    assert browser.get("/moderation/log").status_code == 403  # the full record is for moderators and admins


def test_hidden_proposals_take_no_supports_comments_or_edits(app, browser, create_user, setting, clock):
    round_id, proposal_id, _, author = setting
    with app.app_context():
        from engage.auth.models import User
        from engage.extensions import db
        from engage.moderation import services
        from engage.proposals.models import Proposal

        services.hide(db.session.get(Proposal, proposal_id), db.session.get(User, create_user(roles=("moderator",)).id), "Spam")
        db.session.commit()
    browser.sign_in(author)
    clock.to_phase("call_for_proposals")
    assert browser.get(f"/proposals/{proposal_id}/edit").status_code == 403
    token = browser.csrf_token("/")
    assert browser.client.post(f"/proposals/{proposal_id}/comments", data={"csrf_token": token, "body": "Hello"}).status_code == 403
    clock.to_phase("prioritisation")
    assert browser.client.post(f"/proposals/{proposal_id}/support", data={"csrf_token": token, "support": "1"}).status_code == 403
