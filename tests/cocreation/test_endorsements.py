"""Endorsements: verified organisations endorse a proposal, once, and may withdraw and endorse again."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from engage.extensions import db
from engage.endorsements.models import Endorsement
from engage.organisations.models import Organisation

from tests.conftest import path_of

TITLE = "Open data on city budget spending"
STATEMENT = "Open budgets are the first step against corruption."


@pytest.fixture
def proposal(create_round, create_user, create_proposal, facilitator):
    round_id = create_round(facilitators=[facilitator])
    author = create_user(display_name="Olha Author")
    return create_proposal(round_id, author, title=TITLE)


@pytest.fixture
def org(app):
    """``org(representative, "Open City", verified=True)`` → id; the English name is the one shown."""
    from engage.auth.models import User
    from engage.organisations import services
    from engage.organisations.kinds import with_check_digit

    counter = {"n": 0}

    def make(representative, name, *, verified=True) -> int:
        counter["n"] += 1
        with app.app_context():
            organisation = services.register(services.Details(
                name_uk=f"ГО «{name}»", name_en=name, kind="ngo",
                edrpou=with_check_digit(f"{3100000 + counter['n']:07d}"), areas=["participation"]),
                db.session.get(User, representative.id))
            if verified:
                organisation.status = Organisation.VERIFIED
            db.session.commit()
            return organisation.id

    return make


def endorse(browser, proposal_id, org_id, signed_by="Mariia Koval", statement=STATEMENT):
    url = f"/endorsements/new?target=proposal:{proposal_id}"
    return browser.submit(url, {"target": f"proposal:{proposal_id}", "organisation_id": str(org_id),
                                "signed_by": signed_by, "statement": statement})


def withdraw(browser, endorsement_id, proposal_id, **extra):
    return browser.submit(f"/endorsements/{endorsement_id}/withdraw", extra, form_url=f"/proposals/{proposal_id}")


def rows(app) -> list[tuple]:
    with app.app_context():
        return [(e.id, e.organisation_id, e.target_type, e.target_id, e.signed_by, e.statement, e.withdrawn_at,
                 e.created_by_id, e.withdrawn_by_id)
                for e in db.session.scalars(select(Endorsement).order_by(Endorsement.id))]


def section(html: str) -> str:
    """The Endorsements section of a proposal page."""
    start = html.index('id="endorsements"')
    return html[start:html.index("</section>", start)]


def badge_count(html: str) -> int:
    match = re.search(r'<span class="badge badge-count">(\d+)</span>', section(html))
    assert match, "no count next to the Endorsements heading"
    return int(match.group(1))


def org_endorses(html: str) -> str:
    """The "What it endorses" section of an organisation page."""
    start = html.index('id="endorses-heading"')
    return html[start:html.index("</section>", start)]


# --- Endorsing ---------------------------------------------------------------------------


def test_a_representative_of_a_verified_organisation_endorses(app, browser, create_user, org, proposal):
    representative = create_user(display_name="Mariia Koval")
    org_id = org(representative, "Open City")
    browser.sign_in(representative)

    before = browser.get(f"/proposals/{proposal}").get_data(as_text=True)
    assert badge_count(before) == 0 and "No organisation endorses this yet." in section(before)
    assert f'href="/endorsements/new?target=proposal:{proposal}"' in section(before).replace("%3A", ":")

    form = browser.get(f"/endorsements/new?target=proposal:{proposal}")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert f"Endorse “{TITLE}”" in html
    assert f'value="{org_id}">Open City</option>' in html.replace("selected ", "")
    assert 'value="Mariia Koval"' in html  # the signer defaults to the person's name

    response = endorse(browser, proposal, org_id, signed_by="Mariia Koval, head of the board")
    assert response.status_code == 302
    assert path_of(response.headers["Location"]) == f"/proposals/{proposal}"
    assert response.headers["Location"].endswith("#endorsements")

    [(_, organisation_id, target_type, target_id, signed_by, statement, withdrawn_at, created_by, _)] = rows(app)
    assert (organisation_id, target_type, target_id) == (org_id, "proposal", proposal)
    assert signed_by == "Mariia Koval, head of the board" and statement == STATEMENT
    assert withdrawn_at is None and created_by == representative.id

    page = browser.get(f"/proposals/{proposal}").get_data(as_text=True)
    assert "Open City now endorses this." in page
    shown = section(page)
    assert badge_count(page) == 1
    assert f'href="/organisations/{org_id}">Open City</a>' in shown
    assert "Mariia Koval, head of the board" in shown and STATEMENT in shown
    # Endorsed once already: no button to endorse again.
    assert "Endorse on behalf of your organisation" not in shown

    # Everyone sees it, and the organisation's page lists what it endorses.
    browser.sign_out()
    public = browser.get(f"/proposals/{proposal}").get_data(as_text=True)
    assert badge_count(public) == 1 and "Open City" in section(public) and STATEMENT in section(public)
    assert "Withdraw the endorsement" not in section(public)
    listed = org_endorses(browser.get(f"/organisations/{org_id}").get_data(as_text=True))
    assert f'href="/proposals/{proposal}">{TITLE}</a>' in listed and "Mariia Koval, head of the board" in listed


def test_endorsements_of_several_organisations_are_counted(app, browser, create_user, org, proposal):
    first, second = create_user(), create_user()
    first_org, second_org = org(first, "Open City"), org(second, "Youth Hub")
    browser.sign_in(first)
    assert endorse(browser, proposal, first_org, signed_by="Mariia Koval").status_code == 302
    browser.sign_out()
    browser.sign_in(second)
    assert endorse(browser, proposal, second_org, signed_by="Taras Melnyk", statement="").status_code == 302
    page = browser.get(f"/proposals/{proposal}").get_data(as_text=True)
    shown = section(page)
    assert badge_count(page) == 2
    assert shown.index("Open City") < shown.index("Youth Hub")  # oldest first
    assert "Mariia Koval" in shown and "Taras Melnyk" in shown
    assert shown.count("<blockquote") == 1  # only the statement that was given


def test_someone_representing_two_organisations_chooses_which_endorses(app, browser, create_user, org, proposal):
    representative = create_user()
    first_org, second_org = org(representative, "Open City"), org(representative, "Youth Hub")
    pending_org = org(representative, "Waiting Club", verified=False)
    browser.sign_in(representative)
    html = browser.get(f"/endorsements/new?target=proposal:{proposal}").get_data(as_text=True)
    assert ">Open City</option>" in html and ">Youth Hub</option>" in html
    assert "Waiting Club" not in html  # not verified: cannot endorse

    assert endorse(browser, proposal, second_org).status_code == 302
    assert [r[1] for r in rows(app)] == [second_org]
    # The other organisation still can.
    page = browser.get(f"/proposals/{proposal}").get_data(as_text=True)
    assert "Endorse on behalf of your organisation" in section(page)
    assert endorse(browser, proposal, first_org).status_code == 302
    # The pending one cannot, even by posting its id.
    refused = endorse(browser, proposal, pending_org)
    assert refused.status_code == 422
    assert "Choose one of the organisations you represent." in refused.get_data(as_text=True)
    assert sorted(r[1] for r in rows(app)) == sorted([first_org, second_org])


def test_an_organisation_cannot_endorse_for_another(app, browser, create_user, org, proposal):
    representative = create_user()
    own = org(representative, "Open City")
    other = org(create_user(), "Youth Hub")
    browser.sign_in(representative)
    refused = endorse(browser, proposal, other)
    assert refused.status_code == 422
    assert "Choose one of the organisations you represent." in refused.get_data(as_text=True)
    assert rows(app) == []
    assert endorse(browser, proposal, own).status_code == 302


def test_the_signer_is_required(app, browser, create_user, org, proposal):
    representative = create_user()
    org_id = org(representative, "Open City")
    browser.sign_in(representative)
    refused = endorse(browser, proposal, org_id, signed_by="   ")
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Enter the name of the person signing." in html
    assert STATEMENT in html  # the statement typed is kept
    assert rows(app) == []


def test_a_representative_of_a_pending_organisation_cannot_endorse(app, browser, create_user, org, proposal):
    representative = create_user()
    org_id = org(representative, "Open City", verified=False)
    browser.sign_in(representative)
    assert "Endorse on behalf of your organisation" not in section(
        browser.get(f"/proposals/{proposal}").get_data(as_text=True))
    form = browser.get(f"/endorsements/new?target=proposal:{proposal}")
    assert form.status_code == 403
    assert "Only representatives of a verified organisation can endorse." in form.get_data(as_text=True)
    token = browser.csrf_token("/")
    response = browser.client.post(f"/endorsements/new?target=proposal:{proposal}", data={
        "csrf_token": token, "target": f"proposal:{proposal}", "organisation_id": str(org_id),
        "signed_by": "Mariia Koval"})
    assert response.status_code == 403
    assert rows(app) == []


def test_a_rejected_organisation_cannot_endorse(app, browser, create_user, org, proposal):
    representative = create_user()
    org_id = org(representative, "Open City")
    with app.app_context():
        organisation = db.session.get(Organisation, org_id)
        organisation.status = Organisation.REJECTED
        db.session.commit()
    browser.sign_in(representative)
    assert browser.get(f"/endorsements/new?target=proposal:{proposal}").status_code == 403
    assert rows(app) == []


@pytest.mark.parametrize("role", [(), ("facilitator",), ("admin",)])
def test_people_who_represent_no_organisation_cannot_endorse(app, browser, create_user, org, proposal, role):
    org_id = org(create_user(), "Open City")
    browser.sign_in(create_user(roles=role))
    assert browser.get(f"/endorsements/new?target=proposal:{proposal}").status_code == 403
    token = browser.csrf_token("/")
    response = browser.client.post("/endorsements/new", data={
        "csrf_token": token, "target": f"proposal:{proposal}", "organisation_id": str(org_id), "signed_by": "X"})
    assert response.status_code == 403
    assert "Endorse on behalf of your organisation" not in browser.get(f"/proposals/{proposal}").get_data(as_text=True)
    assert rows(app) == []


def test_visitors_are_sent_to_sign_in(app, browser, create_user, org, proposal):
    org_id = org(create_user(), "Open City")
    response = browser.get(f"/endorsements/new?target=proposal:{proposal}")
    assert response.status_code == 302
    assert path_of(response.headers["Location"]).startswith("/account/sign-in?next=")
    assert "endorsements" in response.headers["Location"]
    token = browser.csrf_token("/")
    posted = browser.client.post("/endorsements/new", data={
        "csrf_token": token, "target": f"proposal:{proposal}", "organisation_id": str(org_id), "signed_by": "X"})
    assert posted.status_code == 302 and "/account/sign-in" in posted.headers["Location"]
    assert rows(app) == []


@pytest.mark.parametrize("target", ["proposal:9999", "proposal:", "proposal:abc", "meteor:1", ""])
def test_unknown_targets_are_not_found(browser, create_user, org, proposal, target):
    representative = create_user()
    org(representative, "Open City")
    browser.sign_in(representative)
    assert browser.get(f"/endorsements/new?target={target}").status_code == 404


def test_a_proposal_of_an_unpublished_round_is_not_found(app, browser, create_round, create_user, create_proposal,
                                                           facilitator, org):
    round_id = create_round(facilitators=[facilitator])
    draft = create_proposal(round_id, create_user(), title="In a draft round")
    from engage.rounds.models import Round

    with app.app_context():
        round_ = db.session.get(Round, round_id)
        assert hasattr(round_, "published_at")
        round_.published_at = None
        db.session.commit()
        assert not db.session.get(Round, round_id).is_published
    representative = create_user()
    org_id = org(representative, "Open City")
    browser.sign_in(representative)
    assert browser.get(f"/endorsements/new?target=proposal:{draft}").status_code == 404
    token = browser.csrf_token("/")
    response = browser.client.post("/endorsements/new", data={
        "csrf_token": token, "target": f"proposal:{draft}", "organisation_id": str(org_id), "signed_by": "X"})
    assert response.status_code == 404
    assert rows(app) == []


def test_one_endorsement_per_organisation_and_target(app, browser, create_user, org, proposal):
    first, colleague = create_user(), create_user()
    org_id = org(first, "Open City")
    from engage.organisations.models import Representative

    with app.app_context():
        organisation = db.session.get(Organisation, org_id)
        organisation.representatives.append(Representative(user_id=colleague.id))
        db.session.commit()
    browser.sign_in(first)
    assert endorse(browser, proposal, org_id).status_code == 302
    browser.sign_out()
    # A colleague who did not see it tries again for the same organisation.
    browser.sign_in(colleague)
    again = endorse(browser, proposal, org_id, signed_by="Taras Melnyk")
    assert again.status_code == 422
    assert "Open City already endorses this." in again.get_data(as_text=True)
    assert len(rows(app)) == 1
    assert badge_count(browser.get(f"/proposals/{proposal}").get_data(as_text=True)) == 1


# --- Withdrawing -------------------------------------------------------------------------------


def test_withdrawing_hides_the_endorsement_but_keeps_the_row(app, browser, create_user, org, proposal):
    representative = create_user()
    org_id = org(representative, "Open City")
    browser.sign_in(representative)
    endorse(browser, proposal, org_id)
    [(endorsement_id, *_)] = rows(app)
    page = browser.get(f"/proposals/{proposal}").get_data(as_text=True)
    assert f'action="/endorsements/{endorsement_id}/withdraw"' in section(page)

    response = withdraw(browser, endorsement_id, proposal)
    assert response.status_code == 302
    assert path_of(response.headers["Location"]) == f"/proposals/{proposal}"

    [(row_id, _, _, _, _, statement, withdrawn_at, _, withdrawn_by)] = rows(app)
    assert row_id == endorsement_id and statement == STATEMENT
    assert withdrawn_at is not None and withdrawn_by == representative.id

    page = browser.get(f"/proposals/{proposal}").get_data(as_text=True)
    assert "The endorsement of Open City has been withdrawn." in page
    assert badge_count(page) == 0 and "No organisation endorses this yet." in section(page)
    assert STATEMENT not in section(page)
    assert "Endorse on behalf of your organisation" in section(page)
    listed = org_endorses(browser.get(f"/organisations/{org_id}").get_data(as_text=True))
    assert TITLE not in listed and "No endorsements yet." in listed

    # Withdrawing twice is refused: there is nothing in force to withdraw.
    token = browser.csrf_token("/")
    assert browser.client.post(f"/endorsements/{endorsement_id}/withdraw", data={"csrf_token": token}).status_code == 403
    assert rows(app)[0][6] == withdrawn_at


def test_withdrawing_from_the_organisation_page_returns_there(app, browser, create_user, org, proposal):
    representative = create_user()
    org_id = org(representative, "Open City")
    browser.sign_in(representative)
    endorse(browser, proposal, org_id)
    [(endorsement_id, *_)] = rows(app)
    assert f'action="/endorsements/{endorsement_id}/withdraw"' in browser.get(f"/organisations/{org_id}").get_data(
        as_text=True)
    response = browser.submit(f"/endorsements/{endorsement_id}/withdraw", {"back": "organisation"},
                              form_url=f"/organisations/{org_id}")
    assert response.status_code == 302
    assert path_of(response.headers["Location"]) == f"/organisations/{org_id}"
    assert rows(app)[0][6] is not None


def test_only_the_endorsing_organisations_representatives_withdraw(app, browser, create_user, admin, org, proposal):
    representative, rival = create_user(), create_user()
    org_id = org(representative, "Open City")
    org(rival, "Youth Hub")
    browser.sign_in(representative)
    endorse(browser, proposal, org_id)
    [(endorsement_id, *_)] = rows(app)
    browser.sign_out()

    for person in (rival, create_user(), admin):
        browser.sign_in(person)
        page = browser.get(f"/proposals/{proposal}").get_data(as_text=True)
        assert "Withdraw the endorsement" not in section(page)
        token = browser.csrf_token("/")
        response = browser.client.post(f"/endorsements/{endorsement_id}/withdraw", data={"csrf_token": token})
        assert response.status_code == 403
        browser.sign_out()
    token = browser.csrf_token("/")
    visitor = browser.client.post(f"/endorsements/{endorsement_id}/withdraw", data={"csrf_token": token})
    assert visitor.status_code == 302 and "/account/sign-in" in visitor.headers["Location"]

    assert rows(app)[0][6] is None
    assert badge_count(browser.get(f"/proposals/{proposal}").get_data(as_text=True)) == 1


def test_withdrawing_needs_the_forms_token(app, browser, create_user, org, proposal):
    representative = create_user()
    org_id = org(representative, "Open City")
    browser.sign_in(representative)
    endorse(browser, proposal, org_id)
    [(endorsement_id, *_)] = rows(app)
    assert browser.client.post(f"/endorsements/{endorsement_id}/withdraw").status_code == 400
    assert rows(app)[0][6] is None


def test_an_organisation_may_endorse_again_after_withdrawing(app, browser, create_user, org, proposal):
    representative = create_user()
    org_id = org(representative, "Open City")
    browser.sign_in(representative)
    endorse(browser, proposal, org_id, statement="First thoughts.")
    [(first_id, *_)] = rows(app)
    withdraw(browser, first_id, proposal)
    assert endorse(browser, proposal, org_id, statement="Second thoughts, after the hearing.").status_code == 302

    history = rows(app)
    assert len(history) == 2
    assert history[0][0] == first_id and history[0][6] is not None and history[0][5] == "First thoughts."
    assert history[1][0] != first_id and history[1][6] is None
    assert history[1][5] == "Second thoughts, after the hearing."
    page = browser.get(f"/proposals/{proposal}").get_data(as_text=True)
    assert badge_count(page) == 1
    assert "Second thoughts, after the hearing." in section(page) and "First thoughts." not in section(page)
    # And once more in force: a third attempt is refused.
    assert endorse(browser, proposal, org_id).status_code == 422
    assert len(rows(app)) == 2


# --- What can be endorsed -------------------------------------------------------------------


def test_a_withdrawn_proposal_cannot_be_endorsed(app, browser, create_round, create_user, create_proposal,
                                                 facilitator, org):
    round_id = create_round(facilitators=[facilitator])
    author = create_user()
    proposal_id = create_proposal(round_id, author, title=TITLE)
    browser.sign_in(author)
    assert browser.submit(f"/proposals/{proposal_id}/withdraw", form_url=f"/proposals/{proposal_id}").status_code == 302
    browser.sign_out()

    representative = create_user()
    org_id = org(representative, "Open City")
    browser.sign_in(representative)
    page = browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "Withdrawn" in page
    assert "Endorse on behalf of your organisation" not in section(page)
    refused = endorse(browser, proposal_id, org_id)
    assert refused.status_code == 422
    assert "This can no longer be endorsed." in refused.get_data(as_text=True)
    assert rows(app) == []


def test_a_proposal_hidden_by_moderation_cannot_be_endorsed(app, browser, create_user, org, proposal):
    from engage.auth.models import User
    from engage.moderation import services as moderation
    from engage.proposals.models import Proposal

    moderator = create_user(roles=("moderator",))
    with app.app_context():
        moderation.hide(db.session.get(Proposal, proposal), db.session.get(User, moderator.id), "Personal data.")
        db.session.commit()
    representative = create_user()
    org_id = org(representative, "Open City")
    browser.sign_in(representative)
    refused = endorse(browser, proposal, org_id)
    assert refused.status_code == 422 and "This can no longer be endorsed." in refused.get_data(as_text=True)
    assert rows(app) == []


def test_the_organisation_page_does_not_reveal_a_hidden_proposals_title(app, browser, create_user, org, proposal):
    from engage.auth.models import User
    from engage.moderation import services as moderation
    from engage.proposals.models import Proposal

    representative = create_user()
    org_id = org(representative, "Open City")
    browser.sign_in(representative)
    assert endorse(browser, proposal, org_id).status_code == 302
    browser.sign_out()
    moderator = create_user(roles=("moderator",))
    with app.app_context():
        moderation.hide(db.session.get(Proposal, proposal), db.session.get(User, moderator.id), "Personal data.")
        db.session.commit()
    proposal_page = browser.get(f"/proposals/{proposal}").get_data(as_text=True)
    assert "Hidden proposal" in proposal_page and f"<h1>{TITLE}</h1>" not in proposal_page
    organisation_page = browser.get(f"/organisations/{org_id}").get_data(as_text=True)
    assert TITLE not in organisation_page


# --- The open-data API (only once it exists) ----------------------------------------------------------


def test_api_lists_the_endorsements_in_force(app, browser, create_user, org, proposal):
    if browser.get("/api/v1/organisations").status_code == 404:
        pytest.skip("/api/v1/organisations does not exist yet")
    first, second = create_user(), create_user()
    first_org, second_org = org(first, "Open City"), org(second, "Youth Hub")
    browser.sign_in(first)
    endorse(browser, proposal, first_org, signed_by="Mariia Koval")
    browser.sign_out()
    browser.sign_in(second)
    endorse(browser, proposal, second_org, signed_by="Taras Melnyk")
    withdraw(browser, rows(app)[1][0], proposal)
    browser.sign_out()

    body = browser.get(f"/api/v1/endorsements?target=proposal:{proposal}").get_json()
    assert body["total"] == 1
    [item] = body["items"]
    assert item["organisation"]["id"] == first_org and item["organisation"]["name"]["en"] == "Open City"
    assert item["signed_by"] == "Mariia Koval" and item["statement"] == STATEMENT
    assert item["target"] == f"proposal:{proposal}" and item["target_title"] == TITLE
    by_org = browser.get(f"/api/v1/endorsements?organisation={second_org}").get_json()
    assert by_org["total"] == 0
    assert browser.get("/api/v1/endorsements?target=proposal:9999").status_code == 404


def test_a_simultaneous_second_endorsement_is_refused_cleanly(app, browser, create_user, org, proposal, monkeypatch):
    from engage.endorsements import services

    representative = create_user()
    org_id = org(representative, "Open City")
    browser.sign_in(representative)
    assert endorse(browser, proposal, org_id).status_code == 302
    # A colleague's request checked a moment before the first endorsement was committed: it saw none.
    monkeypatch.setattr(services, "current_for", lambda *args: None)
    again = endorse(browser, proposal, org_id, signed_by="Taras Melnyk")
    assert again.status_code == 422
    assert "Open City already endorses this." in again.get_data(as_text=True)
    assert len(rows(app)) == 1


def test_endorsements_of_an_organisation_no_longer_verified_stop_counting(app, browser, create_user, org, proposal):
    from engage.organisations.models import Organisation

    representative = create_user()
    org_id = org(representative, "Open City")
    browser.sign_in(representative)
    assert endorse(browser, proposal, org_id).status_code == 302
    browser.sign_out()
    assert "Open City" in browser.get(f"/proposals/{proposal}").get_data(as_text=True)
    assert browser.get(f"/api/v1/endorsements?target=proposal:{proposal}").get_json()["total"] == 1
    with app.app_context():
        db.session.get(Organisation, org_id).status = Organisation.REJECTED
        db.session.commit()
    assert "Open City" not in browser.get(f"/proposals/{proposal}").get_data(as_text=True)
    assert browser.get(f"/api/v1/endorsements?target=proposal:{proposal}").get_json()["total"] == 0
    with app.app_context():
        db.session.get(Organisation, org_id).status = Organisation.VERIFIED
        db.session.commit()
    assert "Open City" in browser.get(f"/proposals/{proposal}").get_data(as_text=True)
    assert len(rows(app)) == 1
