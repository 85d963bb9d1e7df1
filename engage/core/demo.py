"""What ``flask demo load`` is built from: the demo accounts' shared password and two-factor key, and
the registry each feature's demo module adds its loader to (``@demo_loader``); the command itself is
in :mod:`engage.demo`."""
from __future__ import annotations

from typing import Callable

DEMO_PASSWORD = "engage-demo-2026"
# The demo staff accounts sign in with two-factor codes from this published key (add it to any
# authenticator app, or run `flask demo code EMAIL`). Never used outside the demo accounts.
DEMO_TOTP_SECRET = "ENGAGEDEMOKYIVTWOFACTORSTAFFCODE"

LOADERS: list[Callable[[], list[str]]] = []


def demo_loader(fn: Callable[[], list[str]]) -> Callable[[], list[str]]:
    """Register a loader; it returns lines to print and must be idempotent. Loaders run in the order
    their modules are imported: the order of the features' list."""
    if fn not in LOADERS:
        LOADERS.append(fn)
    return fn
