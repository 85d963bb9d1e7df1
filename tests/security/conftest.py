"""Fixtures for the security tests: the meetings, plans and organisations of the other features' tests."""
from tests.cocreation.conftest import create_forum, create_meeting, facilitator  # noqa: F401
from tests.plans.conftest import build_plan  # noqa: F401
