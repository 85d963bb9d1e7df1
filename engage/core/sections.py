"""Sections that features add to other features' pages, so a host page never imports its guests.

A guest registers a small function for a host page and a slot on it::

    @section("round", "body", order=20, template="surveys/_round_section.html")
    def round_surveys(round_, *, can_edit):
        surveys = surveys_of(round_, include_drafts=can_edit)
        return {"surveys": surveys} if surveys else None   # None: nothing to show

The host view asks for its sections (``sections_for("round", round_, can_edit=...)``) and passes them
to its template, which renders each slot in order with ``{% for section in sections.body %}{% include section.template
%}{% endfor %}``; the host passes ``**merged(sections)`` too, so a partial sees the page's variables and
its section's own by name. The order is explicit (``order``), the same on every request. The host's keyword arguments
(what it has already worked out, such as ``can_edit``) go to every section, which takes what it needs.
"""
from __future__ import annotations

import inspect
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable

_REGISTRY: dict[str, list["Section"]] = defaultdict(list)


@dataclass(frozen=True)
class Section:
    host: str
    slot: str
    order: int
    template: str
    build: Callable[..., dict | None]
    name: str


@dataclass(frozen=True)
class Rendered:
    name: str
    template: str
    context: dict


def section(host: str, slot: str, *, order: int, template: str):
    """Register the decorated function as a section of ``host``'s page, in ``slot``, at ``order``."""

    def register(fn: Callable[..., dict | None]):
        name = f"{fn.__module__}.{fn.__name__}"
        _REGISTRY[host] = [s for s in _REGISTRY[host] if s.name != name]  # a module imported again
        _REGISTRY[host].append(Section(host, slot, order, template, fn, name))
        _REGISTRY[host].sort(key=lambda s: (s.order, s.name))
        return fn

    return register


def registered(host: str) -> list[Section]:
    return list(_REGISTRY.get(host, []))


def _call(build: Callable[..., dict | None], obj, context: dict[str, Any]) -> dict | None:
    parameters = inspect.signature(build).parameters
    wanted = {k: v for k, v in context.items() if k in parameters}
    return build(obj, **wanted)


class Slots(dict):
    """Sections by slot; a slot nobody filled is an empty list."""

    def __missing__(self, key):
        return []

    def __getattr__(self, key):
        return self[key]


def sections_for(host: str, obj, **context) -> Slots:
    """Every section registered for ``host``, built for ``obj``, by slot and in order (None ones left out).

    Sections are built in their order; a section may leave in ``shared`` what a later one can use
    instead of asking the database again (the round's published surveys, say)."""
    context = {**context, "shared": {}}
    slots = Slots()
    for registered_section in _REGISTRY.get(host, []):
        built = _call(registered_section.build, obj, context)
        if built is None:
            continue
        slots.setdefault(registered_section.slot, []).append(
            Rendered(registered_section.name, registered_section.template, built))
    return slots


def merged(slots: Slots) -> dict:
    """All the sections' variables in one mapping: a partial sees them as the page's own variables.
    Two sections of one host may not give the same name."""
    context: dict = {}
    for rendered in (r for group in slots.values() for r in group):
        clash = context.keys() & rendered.context.keys()
        if clash:
            raise ValueError(f"sections of one page both give {sorted(clash)}")
        context.update(rendered.context)
    return context
