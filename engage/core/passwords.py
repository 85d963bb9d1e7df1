"""Password policy: length only, no composition rules, and no common passwords.

The list of common passwords (about 20,000 entries) is the one Django ships
(BSD licence), compiled by Royce Williams from public breach corpora.
"""
from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10
MAX_LENGTH = 128
HASH_METHOD = "scrypt"
# Used to spend the same time on unknown emails as on known ones at sign-in.
_DUMMY_HASH = None


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    data = resources.files("engage.core").joinpath("data/common-passwords.txt.gz").read_bytes()
    return frozenset(line.strip() for line in gzip.decompress(data).decode().splitlines() if line.strip())


def is_common(password: str) -> bool:
    return password.lower().strip() in common_passwords()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=HASH_METHOD)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash, still do the work so timing reveals nothing."""
    global _DUMMY_HASH
    if not password_hash:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = hash_password("engage-timing-equaliser")
        check_password_hash(_DUMMY_HASH, password)
        return False
    return check_password_hash(password_hash, password)
