"""Locale negotiation.

Order: the signed-in person's preference, else an explicit choice stored in a
cookie (the language switcher), else the browser's Accept-Language, else the
site default.
"""
from __future__ import annotations

from functools import lru_cache

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

LOCALE_COOKIE = "engage_locale"

# Shown in each language's own name, so anyone can find their language.
LANGUAGE_NAMES = {"uk": "Українська", "en": "English", "es": "Español"}


def supported_locales() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def is_supported(locale: str | None) -> bool:
    return bool(locale) and locale in supported_locales()


def select_locale() -> str:
    if current_user and getattr(current_user, "is_authenticated", False):
        if is_supported(current_user.locale):
            return current_user.locale
    return visitor_locale()


def visitor_locale() -> str:
    """The language of someone not signed in: the switcher's cookie, the browser, the site default."""
    cookie = request.cookies.get(LOCALE_COOKIE)
    if is_supported(cookie):
        return cookie
    return _browser_locale(request.headers.get("Accept-Language", ""), supported_locales(),
                           current_app.config["DEFAULT_LOCALE"])


@lru_cache(maxsize=1024)
def _browser_locale(header: str, supported: tuple[str, ...], default: str) -> str:
    """The best of ``supported`` for an Accept-Language header (browsers send a handful of different ones)."""
    from werkzeug.datastructures import LanguageAccept
    from werkzeug.http import parse_accept_header

    return parse_accept_header(header, LanguageAccept).best_match(supported) or default


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def localized(texts: dict | None, locale: str, default_locale: str) -> str:
    """A facilitator-written ``{locale: text}`` value in ``locale``, else the default language, else any."""
    texts = texts or {}
    return texts.get(locale) or texts.get(default_locale) or next((v for v in texts.values() if v), "")


def label(labels: dict, code: str | None) -> str:
    """The translated label of ``code`` in a ``{code: lazy label}`` table; the code itself if unknown."""
    found = labels.get(code) if code else None
    return str(found) if found is not None else (code or "")


def language_choices() -> list[tuple[str, str]]:
    return [(code, LANGUAGE_NAMES[code]) for code in supported_locales()]


LANGUAGE_LABEL = _l("Language")


def current_locale_context() -> dict:
    """``current_locale`` in every template: the language the page is in."""
    from flask_babel import get_locale

    return {"current_locale": str(get_locale())}
