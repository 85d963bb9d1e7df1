"""Who may read the audit log: administrators only. Nobody changes it from the web."""
from engage.core.permissions import Role, has_role, rule


@rule("audit.view")
def _view(user, _obj=None) -> bool:
    return has_role(user, Role.ADMIN)
