"""Features plug into the application: each package says, in one manifest, what it brings.

A feature's ``engage/<feature>/__init__.py`` declares ``feature = Feature(...)``: its blueprints, the
modules to import for what they register when imported (models for the mappers and Alembic,
permission rules, endorsement targets, comment hosts, page sections, notification handlers, what it
keeps about a person), its CLI groups, template globals and filters, context processors and demo data.
Everything is named by its dotted path ("package.module:attribute"), so reading a manifest imports
nothing: the app factory walks one ordered list of features (``engage.FEATURES``) and
:func:`init_features` imports what each one names, in two passes — first every registering module of
every feature (so all models are mapped before any view runs), then blueprints, commands and helpers.

Adding a feature is its package with its manifest, and one line in that list.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from flask import Flask


@dataclass(frozen=True)
class Feature:
    name: str
    # Imported for what they register: models, permission rules, targets, hosts, sections, handlers.
    registers: tuple[str, ...] = ()
    # "module:attribute" of each blueprint, registered in this order.
    blueprints: tuple[str, ...] = ()
    # "module:attribute" of each click group for ``flask``.
    commands: tuple[str, ...] = ()
    # Template globals and filters: name -> "module:attribute".
    template_globals: tuple[tuple[str, str], ...] = ()
    template_filters: tuple[tuple[str, str], ...] = ()
    # "module:attribute" of each context processor.
    context_processors: tuple[str, ...] = ()
    # The module registering the feature's demo loaders (``flask demo load``), imported in list order.
    demo: str | None = None
    # "module:attribute" of a function(app) for anything else the feature sets up on the app.
    setup: str | None = None


def resolve(path: str) -> Any:
    """The object named by ``"package.module:attribute"`` (or the module itself without ``:``)."""
    module_name, _, attribute = path.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module


def manifests(packages: tuple[str, ...]) -> list[Feature]:
    return [importlib.import_module(package).feature for package in packages]


def init_features(app: Flask, packages: tuple[str, ...]) -> list[Feature]:
    features = manifests(packages)
    for feature in features:
        for module in feature.registers:
            importlib.import_module(module)
    for feature in features:
        if feature.setup:
            resolve(feature.setup)(app)
        for blueprint in feature.blueprints:
            app.register_blueprint(resolve(blueprint))
        for command in feature.commands:
            app.cli.add_command(resolve(command))
        for name, path in feature.template_globals:
            app.jinja_env.globals[name] = resolve(path)
        for name, path in feature.template_filters:
            app.jinja_env.filters[name] = resolve(path)
        for path in feature.context_processors:
            app.context_processor(resolve(path))
    app.extensions["engage_features"] = features
    return features


def demo_modules(app: Flask) -> list[str]:
    """The features' demo modules, in the order of the feature list."""
    return [f.demo for f in app.extensions.get("engage_features", []) if f.demo]
