"""Who may prepare action plans and report on their progress."""
from __future__ import annotations

from engage.core.permissions import Role, has_role, rule


def manages_plans(user) -> bool:
    return has_role(user, Role.FACILITATOR) or has_role(user, Role.ADMIN)


@rule("plans.manage")
def _manage(user, plan) -> bool:
    return manages_plans(user)


@rule("plans.view")
def _view(user, plan) -> bool:
    # Drafts are seen only by the people who prepare them.
    return plan.is_published or manages_plans(user)
