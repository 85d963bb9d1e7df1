from tests.cocreation.conftest import create_forum, create_meeting, facilitator  # noqa: F401
from tests.plans.conftest import build_plan  # noqa: F401
