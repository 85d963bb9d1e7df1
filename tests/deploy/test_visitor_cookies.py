"""Which visitors share cached pages: only those whose cookies cannot change what they see."""
from tests.conftest import DAY, T0


def test_a_visitor_with_a_cookie_of_their_own_gets_their_own_page(app, create_round, clock):
    round_id = create_round()
    clock(T0 + DAY)
    plain = app.test_client()
    assert plain.get(f"/rounds/{round_id}").headers["X-Cache"] == "miss"
    assert plain.get(f"/rounds/{round_id}").headers["X-Cache"] == "hit"
    # The browser token of an anonymous survey answer (or any cookie not known to be harmless)
    # may change a page: it is rendered for that visitor, never taken from or put into the cache.
    answered = app.test_client()
    answered.set_cookie("engage_survey_browser", "a-token")
    page = answered.get(f"/rounds/{round_id}")
    assert page.status_code == 200 and "X-Cache" not in page.headers
    remembered = app.test_client()
    remembered.set_cookie("remember_token", "1|whatever")
    assert "X-Cache" not in remembered.get(f"/rounds/{round_id}").headers


def test_the_language_cookie_chooses_the_cached_copy(app, create_round, clock):
    round_id = create_round()
    clock(T0 + DAY)
    english, ukrainian = app.test_client(), app.test_client()
    english.environ_base["HTTP_ACCEPT_LANGUAGE"] = ukrainian.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    ukrainian.set_cookie("engage_locale", "uk")  # the switcher's choice wins over the browser's language
    assert english.get(f"/rounds/{round_id}").headers["X-Cache"] == "miss"
    page = ukrainian.get(f"/rounds/{round_id}")
    assert page.headers["X-Cache"] == "miss" and '<html lang="uk">' in page.get_data(as_text=True)
    again = ukrainian.get(f"/rounds/{round_id}")
    assert again.headers["X-Cache"] == "hit" and '<html lang="uk">' in again.get_data(as_text=True)
    assert '<html lang="en">' in english.get(f"/rounds/{round_id}").get_data(as_text=True)


def test_a_stored_page_is_not_served_past_the_moment_its_round_changes_phase(app, create_round, clock):
    round_id = create_round()
    clock.to_phase("call_for_proposals")
    visitor = app.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert visitor.get(f"/rounds/{round_id}").headers["X-Cache"] == "miss"
    assert visitor.get(f"/rounds/{round_id}").headers["X-Cache"] == "hit"
    clock.to_phase("deliberation")  # nothing was written: the clock alone changed what the round allows
    page = visitor.get(f"/rounds/{round_id}")
    assert page.headers["X-Cache"] == "miss" and "Deliberation" in page.get_data(as_text=True)
