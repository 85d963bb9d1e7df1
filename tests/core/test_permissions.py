"""The permission module: roles, rules and how refusals look."""
from types import SimpleNamespace

import pytest

from engage.core.permissions import Role, can, has_role, rule


def person(*roles, active=True, id=1):
    return SimpleNamespace(id=id, is_authenticated=True, is_active=active, role_names={r for r in roles})


ANON = SimpleNamespace(is_authenticated=False, is_active=False, role_names=set())


def test_every_account_is_a_resident():
    assert has_role(person(), Role.RESIDENT)
    assert not has_role(ANON, Role.RESIDENT)


def test_roles_are_independent():
    both = person("facilitator", "moderator")
    assert has_role(both, Role.FACILITATOR) and has_role(both, Role.MODERATOR)
    assert not has_role(both, Role.ADMIN)


def test_inactive_person_holds_no_role():
    assert not has_role(person("admin", active=False), Role.ADMIN)


@pytest.mark.parametrize(
    "user,allowed",
    [(ANON, False), (person(), False), (person("facilitator"), False), (person("moderator"), False), (person("admin"), True)],
)
def test_admin_access_rule(app, user, allowed):
    with app.test_request_context():
        assert can("admin.access", user=user) is allowed
        assert can("users.manage", user=user) is allowed


def test_admin_cannot_deactivate_or_demote_self(app):
    admin = person("admin", id=7)
    with app.test_request_context():
        assert not can("users.deactivate", SimpleNamespace(id=7), user=admin)
        assert can("users.deactivate", SimpleNamespace(id=8), user=admin)
        assert not can("users.revoke_admin", SimpleNamespace(id=7), user=admin)


def test_unknown_permission_is_a_programming_error(app):
    with app.test_request_context(), pytest.raises(LookupError):
        can("launch.rockets", user=person("admin"))


def test_rules_cannot_be_registered_twice():
    with pytest.raises(ValueError):
        rule("admin.access")(lambda user, obj: True)
