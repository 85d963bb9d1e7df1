"""Demo accounts for ``flask demo load``: one per role, all with the demo password; staff enrolled in
two-factor sign-in with the published demo key."""
from __future__ import annotations

from engage.auth import services as accounts
from engage.auth import twofactor
from engage.core.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_loader
from engage.core.permissions import Role

DEMO_ACCOUNTS = [
    # email, display name, language, roles
    ("admin@example.org", "Олена Адміністраторка", "uk", (Role.ADMIN,)),
    ("facilitator@example.org", "Ігор Фасилітатор", "uk", (Role.FACILITATOR,)),
    ("moderator@example.org", "Марта Модераторка", "uk", (Role.MODERATOR,)),
    ("resident@example.org", "Оксана Коваленко", "uk", ()),
    ("resident.en@example.org", "Daniel Brooks", "en", ()),
    ("ngo@example.org", "Андрій Шевчук", "uk", ()),
]


@demo_loader
def load_accounts() -> list[str]:
    lines = []
    for email, name, locale, roles in DEMO_ACCOUNTS:
        user = accounts.find_by_email(email)
        if user is None:
            user = accounts.create_user(
                email=email, display_name=name, password=DEMO_PASSWORD, locale=locale,
                roles=roles, confirmed=True,
            )
            state = "created"
        else:
            state = "exists"
        if roles and not user.has_two_factor:
            twofactor.enable_with_secret(user, DEMO_TOTP_SECRET)
        role_text = ", ".join(r.value for r in user.all_roles)
        lines.append(f"  {email:<26} {role_text:<22} {user.locale}  ({state})")
    return lines
