from tests.cocreation.conftest import facilitator  # noqa: F401  (fixtures)
from tests.plans.conftest import build_plan  # noqa: F401
from tests.surveys.conftest import build_survey  # noqa: F401
