"""Who may set up and run the forum."""
from __future__ import annotations

from engage.core.permissions import Role, has_role, rule


def manages_forum(user) -> bool:
    return has_role(user, Role.FACILITATOR) or has_role(user, Role.ADMIN)


@rule("forum.manage")
def _manage(user, forum) -> bool:
    return manages_forum(user)
