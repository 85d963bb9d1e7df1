"""Generator steps for people: the named accounts and the residents, and the civil society register."""
from __future__ import annotations

from datetime import timedelta

from bench import texts, texts_civic
from bench.gen_base import FIRST_RESIDENT, LOCALE_CODES, LOCALE_WEIGHTS, Gen
from engage.auth.models import User, UserRole
from engage.core.districts import DISTRICTS
from engage.core.passwords import hash_password
from engage.organisations.kinds import AREAS, KINDS_WITH_CODE, with_check_digit
from engage.organisations.models import (
    Decision,
    Invitation,
    Organisation,
    OrganisationArea,
    OrganisationDistrict,
    Representative,
)

PASSWORD = "engage-bench-2026"
# (role in the manifest, email, display name, granted role); their ids are 1-5 in this order.
ACCOUNTS = [
    ("admin", "admin@example.org", "Андрій Коваленко", "admin"),
    ("facilitator", "facilitator@example.org", "Оксана Мельник", "facilitator"),
    ("moderator", "moderator@example.org", "Дмитро Лисенко", "moderator"),
    ("resident", "resident@example.org", "Марія Петренко", None),
    ("representative", "ngo@example.org", "Ірина Бойко", None),
]
KIND_WEIGHTS = {"ngo": 60, "charity": 15, "local_governments": 3, "academic": 8, "business": 6, "international": 3,
                "other": 5}
LOCALE_CUMULATIVE = [sum(LOCALE_WEIGHTS[:n + 1]) / sum(LOCALE_WEIGHTS) for n in range(len(LOCALE_WEIGHTS))]


def _locale_index(rng) -> int:
    draw = rng.random()
    return next(n for n, bound in enumerate(LOCALE_CUMULATIVE) if draw < bound)


def name_pool_end(gen: Gen) -> int:
    """Users below this id are the ones later steps name (representatives, forum members): their names are kept."""
    return min(gen.size.users + 1, FIRST_RESIDENT + 2 * gen.size.organisations + gen.size.forum_members)


def users(gen: Gen) -> None:
    """The five named accounts, then the residents in the order they registered, with the granted roles."""
    size, rng = gen.size, gen.rng
    gen.expect(size.users + 3)
    password_hash = hash_password(PASSWORD)
    gen.user_locale = bytearray(size.users + 1)
    keep_names_below = name_pool_end(gen)
    span = gen.anchor - gen.user_start

    def rows():
        for uid in range(1, size.users + 1):
            if uid < FIRST_RESIDENT:
                role, email, name, _granted = ACCOUNTS[uid - 1]
                gen.accounts[role] = uid
                locale, created = 0, gen.user_start
            else:
                locale = _locale_index(rng)
                name, stem = texts.person(rng, LOCALE_CODES[locale])
                email = f"{stem}.{uid}@example.org"
                created = gen.user_start + span * ((uid - FIRST_RESIDENT) / max(size.users - FIRST_RESIDENT, 1)) \
                    + timedelta(seconds=rng.randrange(3600))
            gen.user_locale[uid] = locale
            if uid < keep_names_below:
                gen.names[uid] = name
            confirmed = uid < FIRST_RESIDENT or rng.random() < 0.96
            yield {"id": uid, "email": email, "display_name": name, "password_hash": password_hash,
                   "locale": LOCALE_CODES[locale], "bio": "", "active": True,
                   "email_confirmed_at": created + timedelta(minutes=rng.randint(1, 90)) if confirmed else None,
                   "privacy_accepted_at": created,
                   "last_sign_in_at": gen.between(created, gen.anchor) if rng.random() < 0.6 else None,
                   "session_token": gen.hex(128), "created_at": created, "updated_at": created}

    gen.take(User, gen.insert(User, rows()))
    admin = gen.accounts["admin"]
    gen.insert(UserRole, ({"id": gen.take(UserRole), "user_id": gen.accounts[role], "role": granted,
                           "granted_at": gen.user_start, "granted_by_id": admin}
                          for role, _email, _name, granted in ACCOUNTS if granted))
    gen.extra["password"] = PASSWORD
    gen.extra["account_emails"] = {role: email for role, email, _name, _granted in ACCOUNTS}


def organisations(gen: Gen) -> None:
    """Verified organisations with areas, districts, representatives and the admin's decisions; a few pending
    and rejected ones; open invitations of the representative's organisation."""
    size, rng = gen.size, gen.rng
    rejected = max(1, size.pending_organisations // 4)
    total = size.organisations + size.pending_organisations + rejected
    gen.expect(total * 6)
    first = gen.take(Organisation, total)
    statuses = ([Organisation.VERIFIED] * size.organisations + [Organisation.PENDING] * size.pending_organisations
                + [Organisation.REJECTED] * rejected)
    kinds = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()), k=total)
    pool_end = name_pool_end(gen)
    representatives: dict[int, list[int]] = {}
    for n in range(total):
        people = [gen.accounts["representative"]] if n == 0 else []
        people += rng.sample(range(FIRST_RESIDENT, pool_end), min(rng.choice((1, 1, 2)), pool_end - FIRST_RESIDENT))
        representatives[first + n] = list(dict.fromkeys(people))
    created = [gen.between(gen.user_start + timedelta(days=30), gen.day(-60)) for _ in range(total)]
    decided = [created[n] + timedelta(days=rng.randint(1, 14)) if statuses[n] != Organisation.PENDING else None
               for n in range(total)]

    def organisation_rows():
        for n in range(total):
            oid, kind, status = first + n, kinds[n], statuses[n]
            name_uk, name_en, description = texts_civic.organisation(rng, kind, n + 1)
            yield {"id": oid, "name_uk": name_uk, "name_en": name_en if rng.random() < 0.8 else "", "kind": kind,
                   "edrpou": with_check_digit(f"{2_100_000 + 7 * n:07d}") if kind in KINDS_WITH_CODE else None,
                   "website": f"https://org{n + 1}.example.org", "email": f"info@org{n + 1}.example.org",
                   "description": description, "status": status, "decided_at": decided[n],
                   "created_by_id": representatives[oid][0], "created_at": created[n],
                   "updated_at": decided[n] or created[n]}

    gen.insert(Organisation, organisation_rows())
    areas, districts = list(AREAS), list(DISTRICTS)
    gen.insert(OrganisationArea, ({"organisation_id": first + n, "area": area} for n in range(total)
                                  for area in rng.sample(areas, rng.randint(1, 3))))
    gen.insert(OrganisationDistrict, ({"organisation_id": first + n, "district": district} for n in range(total)
                                      for district in rng.sample(districts, rng.choice((0, 1, 1, 2, 3)))))
    gen.insert(Representative, ({"id": gen.take(Representative), "organisation_id": oid, "user_id": uid,
                                 "created_at": created[oid - first]}
                                for oid, people in representatives.items() for uid in people))
    admin = gen.accounts["admin"]
    gen.insert(Decision, ({"id": gen.take(Decision), "organisation_id": first + n, "decision": statuses[n],
                           "reason": "" if statuses[n] == Organisation.VERIFIED else
                           "Код ЄДРПОУ не збігається з даними реєстру; надішліть, будь ласка, виписку.",
                           "decided_by_id": admin, "created_at": decided[n]}
                          for n in range(total) if statuses[n] != Organisation.PENDING))
    invitations = gen.take(Invitation, 3)
    gen.insert(Invitation, ({"id": invitations + k, "organisation_id": first, "email": f"colleague{k + 1}@example.org",
                             "invited_by_id": gen.accounts["representative"], "created_at": gen.day(-3 - k),
                             "accepted_at": None, "accepted_by_id": None, "revoked_at": None} for k in range(3)))
    gen.verified_organisations = range(first, first + size.organisations)
    gen.representatives = representatives
    gen.params.update(organisation_id=first, invitation_id=invitations)
    gen.extra.update(organisation_pending=first + size.organisations, organisations_verified=size.organisations)
