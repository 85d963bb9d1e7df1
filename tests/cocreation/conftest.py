"""Fixtures for the forum, meetings, organisations and endorsements."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from engage.extensions import db

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def facilitator(create_user):
    return create_user("facilitator@example.org", roles=("facilitator",), display_name="Ihor Facilitator")


@pytest.fixture
def admin(create_user):
    return create_user("admin@example.org", roles=("admin",), display_name="Olena Admin")


@pytest.fixture
def create_meeting(app):
    """A meeting in one call; published unless ``published=False``."""
    from engage.auth.models import User
    from engage.forum.models import Forum
    from engage.meetings import services
    from engage.rounds.models import Round

    def make(by, *, round_id=None, forum_id=None, starts_at=None, hours=2, capacity=None, registration=False,
             published=True, title="Public meeting on open data", kind="public", agenda="1. Welcome\n2. Open data") -> int:
        with app.app_context():
            start = starts_at or (NOW + timedelta(days=30))
            meeting = services.create_meeting(services.Details(
                kind=kind, default_locale="en", title={"en": title}, description={"en": "Come and talk."},
                agenda={"en": agenda}, starts_at=start, ends_at=start + timedelta(hours=hours),
                venue_name="Vcentri HUB, Obolon district", venue_address="Obolonskyi Ave 1", capacity=capacity,
                registration_required=registration),
                round_=db.session.get(Round, round_id) if round_id else None,
                forum=db.session.get(Forum, forum_id) if forum_id else None, by=db.session.get(User, by.id))
            if published:
                services.publish(meeting, confirm_short_notice=True)
            db.session.commit()
            return meeting.id

    return make


@pytest.fixture
def create_forum(app):
    from engage.auth.models import User
    from engage.forum import services

    def make(by, name="Coordination Council for Civil Society Development") -> int:
        with app.app_context():
            forum = services.create_forum(services.ForumTexts(name={"en": name}, mandate={"en": "Oversees co-creation."}),
                                          default_locale="en", terms_url="", by=db.session.get(User, by.id))
            db.session.commit()
            return forum.id

    return make
