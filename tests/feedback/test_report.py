"""The "How your input was used" report: figures computed from the records, sections, downloads, closing."""
import csv
import io
import re
from datetime import timedelta

import pytest

from tests.conftest import T0, DAY


def build(app, create_round, create_user, create_proposal, clock, waits):
    """A round with one proposal per entry of ``waits``: days to a final answer, or None (unanswered)."""
    facilitator = create_user(roles=("facilitator",), display_name="Iryna Facilitator")
    round_id = create_round(facilitators=[facilitator])
    author = create_user()
    ids = []
    for n, wait in enumerate(waits):
        clock(T0 + 10 * DAY + n * timedelta(hours=1))
        ids.append(create_proposal(round_id, author, title=f"Proposal number {n} for the report"))
    with app.app_context():
        from engage.auth.models import User
        from engage.extensions import db
        from engage.feedback import services
        from engage.proposals.outcomes import Outcome
        from engage.proposals.models import Proposal

        by = db.session.get(User, facilitator.id)
        outcomes = [Outcome.ACCEPTED, Outcome.NOT_ACCEPTED, Outcome.PARTIALLY_ACCEPTED, Outcome.OUT_OF_SCOPE]
        for n, (proposal_id, wait) in enumerate(zip(ids, waits)):
            if wait is None:
                continue
            proposal = db.session.get(Proposal, proposal_id)
            clock(proposal.created_at + timedelta(days=wait))
            services.answer(proposal, by, outcome=outcomes[n % len(outcomes)], reason=f"Reason number {n}.")
        db.session.commit()
    return round_id, ids, facilitator


def figures(browser, round_id):
    page = browser.get(f"/rounds/{round_id}/report").get_data(as_text=True)
    grab = lambda name: re.search(rf'id="{name}">([^<]*)<', page).group(1)  # noqa: E731
    return grab("coverage"), grab("median-days"), grab("p90-days"), page


def test_figures_on_hand_built_data(app, browser, create_round, create_user, create_proposal, clock):
    # Ten answered after 1..10 days, two not answered: coverage 10/12, median 5.5, p90 (nearest rank) 9.
    waits = [3, 1, 2, 10, 4, 5, 6, 7, 8, 9, None, None]
    round_id, ids, _ = build(app, create_round, create_user, create_proposal, clock, waits)
    coverage, median, p90, page = figures(browser, round_id)
    assert (coverage, median, p90) == ("83%", "5.5", "9.0")
    assert "10 of 12 proposals have a final answer" in page
    assert "Not yet answered (2)" in page
    # The list opens on the first outcome of the report's order; the others are a link away.
    assert "Reason number 0." in page and "Reason number 3." not in page
    assert f'href="/rounds/{round_id}/report?outcome=out_of_scope#every-proposal">Out of scope (2)' in page
    out_of_scope = browser.get(f"/rounds/{round_id}/report?outcome=out_of_scope").get_data(as_text=True)
    assert "Reason number 3." in out_of_scope and "Reason number 7." in out_of_scope
    assert "Reason number 0." not in out_of_scope
    unanswered = browser.get(f"/rounds/{round_id}/report?outcome=").get_data(as_text=True)
    assert f"№ {ids[10]} · " in unanswered and f"№ {ids[11]} · " in unanswered


def test_report_list_is_paginated(app, browser, create_round, create_user, create_proposal, clock):
    round_id, ids, _ = build(app, create_round, create_user, create_proposal, clock, [None] * 30)
    first = browser.get(f"/rounds/{round_id}/report").get_data(as_text=True)
    second = browser.get(f"/rounds/{round_id}/report?outcome=&page=2").get_data(as_text=True)
    assert f"№ {ids[0]} · " in first and f"№ {ids[24]} · " in first and f"№ {ids[25]} · " not in first
    assert f"№ {ids[25]} · " in second and f"№ {ids[29]} · " in second and f"№ {ids[0]} · " not in second
    assert 'rel="next"' in first
    api = browser.get(f"/api/v1/rounds/{round_id}/report?outcome=not_answered&per_page=10&page=3").get_json()
    assert [p["proposal_id"] for p in api["proposals"]] == ids[20:30]
    assert api["total"] == 30 and api["next"] is None and api["previous"].endswith("page=2&per_page=10")


def test_zero_proposals(browser, create_round):
    round_id = create_round()
    coverage, median, p90, page = figures(browser, round_id)
    assert (coverage, median, p90) == ("—", "—", "—")
    assert "No proposals were submitted in this round." in page
    report = browser.get(f"/api/v1/rounds/{round_id}/report").get_json()
    assert report["coverage"] is None and report["median_days_to_final_answer"] is None and report["proposals"] == []


def test_only_final_answers_count(app, browser, create_round, create_user, create_proposal, clock):
    round_id, ids, facilitator = build(app, create_round, create_user, create_proposal, clock, [2, None])
    with app.app_context():
        from engage.auth.models import User
        from engage.extensions import db
        from engage.feedback import services
        from engage.proposals.outcomes import Outcome
        from engage.proposals.models import Proposal

        services.answer(db.session.get(Proposal, ids[1]), db.session.get(User, facilitator.id),
                        outcome=Outcome.UNDER_EVALUATION, reason="")
        db.session.commit()
    coverage, median, _, page = figures(browser, round_id)
    assert coverage == "50%" and median == "2.0"


def test_downloads_match_the_page(app, browser, create_round, create_user, create_proposal, clock):
    waits = [1, 4, None]
    round_id, ids, _ = build(app, create_round, create_user, create_proposal, clock, waits)
    coverage, median, p90, page = figures(browser, round_id)
    report = browser.get(f"/api/v1/rounds/{round_id}/report").get_json()
    assert f"{report['coverage'] * 100:.0f}%" == coverage
    assert f"{report['median_days_to_final_answer']:.1f}" == median
    assert f"{report['p90_days_to_final_answer']:.1f}" == p90
    assert report["outcomes"]["not_answered"] == 1 and report["answered"] == 2
    response = browser.get(f"/rounds/{round_id}/report.csv")
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    everything = browser.get(f"/rounds/{round_id}/report.json").get_json()
    assert everything["coverage"] == report["coverage"] and everything["counts"] == report["counts"]
    assert [int(r["proposal_id"]) for r in rows] == [p["proposal_id"] for p in everything["proposals"]]
    # Final answers first (accepted, then not accepted), then those not yet answered.
    assert [r["outcome"] for r in rows] == ["accepted", "not_accepted", ""]
    for row, item in zip(rows, everything["proposals"]):
        assert row["outcome"] == (item["outcome"] or "")
        assert row["reason"] == (item["reason"] or "")
        tab = browser.get(f"/rounds/{round_id}/report?outcome={item['outcome'] or ''}").get_data(as_text=True)
        assert f"№ {item['proposal_id']} · " in tab
        if item["reason"]:
            assert item["reason"] in tab
    assert float(rows[0]["days_to_final_answer"]) == pytest.approx(1.0)
    assert [p["proposal_id"] for p in report["proposals"]] == [ids[0]]  # the API's first page: the first outcome


def test_report_sections_are_written_per_language(browser, create_user, create_round):
    from engage.rounds.services import Texts

    facilitator = create_user(roles=("facilitator",))
    round_id = create_round(facilitators=[facilitator], default_locale="uk", texts={
        "uk": Texts("Консультація щодо бюджету", "Опис"), "en": Texts("Budget consultation", "Summary")})
    browser.sign_in(create_user())
    assert browser.get(f"/rounds/{round_id}/report/edit").status_code == 403
    browser.sign_out()
    browser.sign_in(facilitator)
    saved = browser.submit(f"/rounds/{round_id}/report/edit", {
        "heard_uk": "Мешканці просили **відкритих даних**.", "changed_uk": "Додано зобов'язання 2.",
        "heard_en": "Residents asked for **open data**.", "changed_en": "Commitment 2 was added.",
    })
    assert saved.status_code == 302
    english = browser.get(f"/rounds/{round_id}/report").get_data(as_text=True)
    assert "Residents asked for <strong>open data</strong>." in english and "Commitment 2 was added." in english
    browser.client.set_cookie("engage_locale", "uk")
    browser.sign_out()
    ukrainian = browser.get(f"/rounds/{round_id}/report").get_data(as_text=True)
    assert "Мешканці просили <strong>відкритих даних</strong>." in ukrainian
    sections = browser.get(f"/api/v1/rounds/{round_id}/report").get_json()["sections"]
    assert sections["en"]["what_we_changed"] == "Commitment 2 was added."


def test_closing_with_unanswered_proposals_needs_confirmation(app, browser, create_round, create_user, create_proposal, clock):
    round_id, ids, facilitator = build(app, create_round, create_user, create_proposal, clock, [1, None, None])
    clock.to_phase("drafting")
    browser.sign_in(facilitator)
    page = browser.get(f"/rounds/{round_id}/close").get_data(as_text=True)
    assert "2 proposals have no final answer yet." in page
    refused = browser.submit(f"/rounds/{round_id}/close", {})
    assert refused.status_code == 422
    assert "Confirm that you want to close the round with 2 proposals unanswered." in refused.get_data(as_text=True)
    assert browser.get(f"/rounds/{round_id}").get_data(as_text=True).count("Closed") <= 2
    closed = browser.submit(f"/rounds/{round_id}/close", {"confirm": "y"}, follow_redirects=True)
    assert "The round is closed." in closed.get_data(as_text=True)
    assert "Not yet answered (2)" in closed.get_data(as_text=True)
    with app.app_context():
        from engage.rounds.services import get_round

        round_ = get_round(round_id)
        assert round_.status == "closed"
        assert [p.type for p in round_.phases][-1] == "closed"
        assert all(p.ends_at <= round_.phases[-1].starts_at for p in round_.phases[:-1])


def test_round_page_shows_coverage_from_the_feedback_phase(app, browser, create_round, create_user, create_proposal, clock):
    round_id, ids, _ = build(app, create_round, create_user, create_proposal, clock, [1, None])
    clock.to_phase("drafting")
    assert "1 of 2 proposals have a final answer" not in browser.get(f"/rounds/{round_id}").get_data(as_text=True)
    clock.to_phase("feedback")
    page = browser.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert "1 of 2 proposals have a final answer" in page and f"/rounds/{round_id}/report" in page


def test_print_stylesheet_hides_navigation(browser, create_round):
    round_id = create_round()
    page = browser.get(f"/rounds/{round_id}/report").get_data(as_text=True)
    assert 'class="no-print"' in page
    css = browser.get("/static/css/engage.css").get_data(as_text=True)
    assert "@media print" in css and ".site-header" in css[css.index("@media print"):]
