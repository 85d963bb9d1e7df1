"""The list of a round's proposals: search in three languages, filters, sorts, pages."""
import re

import pytest

PROPOSALS = [
    ("Громадські консультації онлайн", "Проводити громадські консультації щодо рішень міської ради на єдиній платформі.", "uk", "Participation", "podilskyi"),
    ("Відкриті дані про бюджет", "Публікувати всі договори міського бюджету як відкриті дані щотижня.", "uk", "Transparency", None),
    ("Open contracting for schools", "Every school renovation contract should be published with its budget and timeline.", "en", "Transparency", "obolonskyi"),
    ("Presupuesto participativo", "Los vecinos deciden cómo invertir una parte del presupuesto de su distrito.", "es", "Participation", None),
]


@pytest.fixture
def round_with_proposals(create_round, create_user, create_proposal):
    round_id = create_round()
    author = create_user()
    ids = [create_proposal(round_id, author, title=t, body=b, locale=loc, topic=topic, district=d)
           for t, b, loc, topic, d in PROPOSALS]
    return round_id, ids


def titles(browser, round_id, **params):
    response = browser.get(f"/rounds/{round_id}/proposals", query_string=params)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return re.findall(r'<h3><a href="/proposals/\d+" lang="\w+">([^<]+)</a>', page), page


@pytest.mark.parametrize("query, expected", [
    ("консультації", {"Громадські консультації онлайн"}),
    ("КОНСУЛЬТАЦІЇ", {"Громадські консультації онлайн"}),
    ("консульт", {"Громадські консультації онлайн"}),
    ("бюджету", {"Відкриті дані про бюджет"}),
    ("відкриті дані", {"Відкриті дані про бюджет"}),
    ("school budget", {"Open contracting for schools"}),
    ("presupuesto", {"Presupuesto participativo"}),
    ("cómo invertir", {"Presupuesto participativo"}),
    ("budget", {"Open contracting for schools"}),
    ("nothing-like-this", set()),
    ('"unbalanced OR (quotes* AND', set()),
])
def test_search_finds_words_in_three_languages(browser, round_with_proposals, query, expected):
    round_id, _ = round_with_proposals
    found, page = titles(browser, round_id, q=query)
    assert set(found) == expected
    if not expected:
        assert "No proposal matches your search." in page


def test_search_follows_edits(app, browser, round_with_proposals):
    round_id, ids = round_with_proposals
    with app.app_context():
        from engage.extensions import db
        from engage.proposals import services

        proposal = services.get_proposal(ids[2])
        services.update_proposal(proposal, title="Open contracting for kindergartens", body=proposal.body,
                                 topic_id=proposal.topic_id, district=proposal.district)
        db.session.commit()
    assert titles(browser, round_id, q="kindergartens")[0] == ["Open contracting for kindergartens"]
    assert titles(browser, round_id, q="schools")[0] == []


def test_filters_and_result_count(browser, round_with_proposals, app):
    round_id, ids = round_with_proposals
    with app.app_context():
        from engage.rounds.services import get_round

        transparency = next(t.id for t in get_round(round_id).topics if t.name == "Transparency")
    found, page = titles(browser, round_id, topic=transparency)
    assert set(found) == {"Відкриті дані про бюджет", "Open contracting for schools"}
    assert "2 proposals found" in page
    assert titles(browser, round_id, district="podilskyi")[0] == ["Громадські консультації онлайн"]
    assert titles(browser, round_id, topic=transparency, q="school")[0] == ["Open contracting for schools"]
    # Unknown filter values are ignored rather than turned into errors.
    found, page = titles(browser, round_id, topic="banana", district="atlantis", sort="loudest", page="x")
    assert len(found) == 4


def test_sorts(app, browser, round_with_proposals, create_user, clock):
    round_id, ids = round_with_proposals
    assert titles(browser, round_id)[0][0] == PROPOSALS[-1][0]  # newest first
    clock.to_phase("prioritisation")
    with app.app_context():
        from engage.auth.models import User
        from engage.extensions import db
        from engage.proposals import services

        people = [db.session.get(User, create_user().id) for _ in range(3)]
        for person in people:
            services.set_support(services.get_proposal(ids[1]), person, True)
        services.set_support(services.get_proposal(ids[2]), people[0], True)
        db.session.commit()
    assert titles(browser, round_id, sort="supported")[0][:2] == [PROPOSALS[1][0], PROPOSALS[2][0]]
    first = titles(browser, round_id, sort="random")[0]
    assert sorted(first) == sorted(p[0] for p in PROPOSALS)
    assert titles(browser, round_id, sort="random")[0] == first  # stable for the same visitor


def test_pagination_and_empty_state(app, browser, create_round, create_user, create_proposal, clock):
    round_id = create_round()
    clock.to_phase("call_for_proposals")
    empty = browser.get(f"/rounds/{round_id}/proposals").get_data(as_text=True)
    assert "0 proposals found" in empty and "No proposals yet." in empty
    author = create_user()
    for n in range(30):
        create_proposal(round_id, author, title=f"Proposal number {n:02d} for the city")
    first, page = titles(browser, round_id)
    assert len(first) == 25 and "30 proposals found" in page
    assert 'rel="next"' in page
    second, _ = titles(browser, round_id, page=2)
    assert len(second) == 5 and not set(first) & set(second)
