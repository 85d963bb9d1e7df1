import pytest


@pytest.fixture
def create_user(create_user):
    """People in these tests read the site in English unless a test says otherwise."""

    def make(*args, locale="en", **kwargs):
        return create_user(*args, locale=locale, **kwargs)

    return make
