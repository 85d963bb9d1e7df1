"""The multi-stakeholder forum: who may run it, members, the balance it shows, decisions."""
from __future__ import annotations

from datetime import date

from engage.extensions import db
from engage.forum import services
from engage.forum.models import Forum, ForumDecision, ForumMember

from tests.cocreation.conftest import NOW


def _member(app, forum_id, name, sector, *, start=date(2026, 1, 1), end=None, role="member"):
    with app.app_context():
        forum = db.session.get(Forum, forum_id)
        services.add_member(forum, services.MemberDetails(name=name, sector=sector, role=role, organisation_name="Org",
                                                          term_start=start, term_end=end))
        db.session.commit()


def test_balance_counts_government_against_everyone_else_serving_on_the_day(app, facilitator, create_forum):
    forum_id = create_forum(facilitator)
    _member(app, forum_id, "Gov One", "government")
    _member(app, forum_id, "Gov Two", "government")
    _member(app, forum_id, "NGO One", "civil_society")
    _member(app, forum_id, "Scholar", "academia")
    _member(app, forum_id, "Young", "youth")
    _member(app, forum_id, "Former", "private", end=date(2026, 2, 1))
    _member(app, forum_id, "Future", "government", start=date(2027, 1, 1))
    with app.app_context():
        forum = db.session.get(Forum, forum_id)
        members = services.current_members(forum, date(2026, 5, 4))
        balance = services.balance(members)
    assert sorted(m.name for m in members) == ["Gov One", "Gov Two", "NGO One", "Scholar", "Young"]
    assert (balance.government, balance.non_government, balance.total) == (2, 3, 5)
    assert balance.government_percent == 40.0 and balance.non_government_percent == 60.0
    assert balance.by_sector["civil_society"] == 1 and balance.by_sector["private"] == 0
    assert balance.is_multi_stakeholder


def test_balance_of_an_empty_or_one_sided_forum(app, facilitator, create_forum):
    forum_id = create_forum(facilitator)
    with app.app_context():
        empty = services.balance([])
    assert (empty.total, empty.government_percent, empty.is_multi_stakeholder) == (0, 0.0, False)
    _member(app, forum_id, "Gov", "government")
    with app.app_context():
        one_sided = services.balance(services.current_members(db.session.get(Forum, forum_id), date(2026, 5, 4)))
    assert (one_sided.government, one_sided.non_government, one_sided.is_multi_stakeholder) == (1, 0, False)


def test_public_page_groups_members_by_sector_and_shows_the_balance(app, browser, facilitator, create_forum, clock):
    clock(NOW)
    forum_id = create_forum(facilitator)
    _member(app, forum_id, "Dmytro Ruban", "government", role="co_chair")
    _member(app, forum_id, "Oleksiy Kovalenko", "civil_society", role="chair")
    _member(app, forum_id, "Iryna Bondar", "academia")
    page = browser.get(f"/forum/{forum_id}").get_data(as_text=True)
    assert "Coordination Council for Civil Society Development" in page
    assert "Government: 1, non-government: 2" in page  # the chart's accessible title
    assert "33.3%" in page and "66.7%" in page
    assert page.index("Dmytro Ruban") < page.index("Oleksiy Kovalenko") < page.index("Iryna Bondar")
    assert "Co-chair" in page and "Chair" in page
    # One forum: /forum/ goes straight to it.
    assert browser.get("/forum/").headers["Location"].endswith(f"/forum/{forum_id}")


def test_only_facilitators_and_admins_set_up_and_run_the_forum(app, browser, create_user, facilitator):
    resident = create_user()
    browser.sign_in(resident)
    assert browser.get("/forum/new").status_code == 403
    browser.sign_out()
    browser.sign_in(facilitator)
    response = browser.submit("/forum/new", {"default_locale": "en", "name_en": "Open Kyiv Forum",
                                              "mandate_en": "Oversees the *plan*.", "terms_url": ""})
    assert response.status_code == 302
    with app.app_context():
        forum = db.session.scalar(db.select(Forum))
        assert forum.name == {"en": "Open Kyiv Forum"}
        forum_id = forum.id
    browser.sign_out()
    browser.sign_in(resident)
    assert browser.get(f"/forum/{forum_id}/members").status_code == 403
    assert browser.client.post(f"/forum/{forum_id}/decisions", data={}).status_code in (400, 403)


def test_forum_needs_a_name_in_its_default_language(app, browser, facilitator):
    browser.sign_in(facilitator)
    response = browser.submit("/forum/new", {"default_locale": "uk", "name_en": "Only English", "terms_url": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter the forum’s name in its default language." in page
    assert 'value="Only English"' in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Forum.id))) == 0


def test_adding_members_with_checks_on_term_and_organisation(app, browser, facilitator, create_forum, create_user):
    forum_id = create_forum(facilitator)
    browser.sign_in(facilitator)
    url = f"/forum/{forum_id}/members/new"
    bad = browser.submit(url, {"name": "Olena", "organisation_id": "", "organisation_name": "", "sector": "civil_society",
                               "role": "member", "term_start": "2026-01-01", "term_end": "2025-01-01"})
    assert bad.status_code == 422
    assert "Choose a registered organisation or write the organisation’s name." in bad.get_data(as_text=True)
    backwards = browser.submit(url, {"name": "Olena", "organisation_id": "", "organisation_name": "NGO", "sector": "civil_society",
                                     "role": "member", "term_start": "2026-01-01", "term_end": "2025-01-01"})
    assert backwards.status_code == 422
    assert "The term cannot end before it starts." in backwards.get_data(as_text=True)
    unknown = browser.submit(url, {"name": "Olena", "organisation_id": "", "organisation_name": "NGO", "sector": "civil_society",
                                   "role": "member", "term_start": "2026-01-01", "account_email": "nobody@example.org"})
    assert unknown.status_code == 422
    member_account = create_user("olena@example.org")
    ok = browser.submit(url, {"name": "Olena", "organisation_id": "", "organisation_name": "NGO", "sector": "civil_society",
                              "role": "co_chair", "term_start": "2026-01-01", "account_email": "olena@example.org"})
    assert ok.status_code == 302
    with app.app_context():
        member = db.session.scalar(db.select(ForumMember))
        assert (member.name, member.role, member.user_id, member.term_end) == ("Olena", "co_chair", member_account.id, None)


def test_decisions_register_links_the_meeting_it_was_taken_in(app, browser, facilitator, create_forum, create_meeting, clock):
    clock(NOW)
    forum_id = create_forum(facilitator)
    meeting_id = create_meeting(facilitator, forum_id=forum_id, kind="forum", title="Council meeting")
    browser.sign_in(facilitator)
    response = browser.submit(f"/forum/{forum_id}/decisions", {"decided_on": "2026-06-03", "text": "Approve the plan.",
                                                               "meeting_id": str(meeting_id)},
                              form_url=f"/forum/{forum_id}/members")
    assert response.status_code == 302
    page = browser.get(f"/forum/{forum_id}").get_data(as_text=True)
    assert "Approve the plan." in page and "2026-06-03" in page and f"/meetings/{meeting_id}" in page
    # A meeting of another forum cannot be named.
    other_forum = create_forum(facilitator, name="Other")
    other_meeting = create_meeting(facilitator, forum_id=other_forum, kind="forum")
    refused = browser.submit(f"/forum/{forum_id}/decisions", {"decided_on": "2026-06-03", "text": "X",
                                                              "meeting_id": str(other_meeting)},
                             form_url=f"/forum/{forum_id}/members")
    assert refused.status_code == 422
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ForumDecision.id))) == 1
