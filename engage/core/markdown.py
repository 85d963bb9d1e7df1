"""The one renderer for every rich-text field: a small Markdown subset, then an allowlist.

Markdown is parsed with raw HTML disabled (it is shown as text), and the result
is cleaned again with bleach, so that a parser change can never let markup
through.
"""
from __future__ import annotations

import threading
from functools import lru_cache

import bleach
from bleach.linkifier import Linker
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "ul", "ol", "li", "a", "blockquote", "code"})
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("zero", {"linkify": True, "html": False, "typographer": False})
    parser.enable(["emphasis", "list", "link", "blockquote", "newline", "backticks", "linkify", "escape", "entity"])
    parser.validateLink = _link_is_safe
    return parser


def _link_is_safe(url: str) -> bool:
    scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
    return scheme == "" or scheme in ALLOWED_PROTOCOLS


def _set_rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


# bleach's Cleaner and Linker keep parsing state of their own: one pair per thread, so that threaded
# workers (gunicorn -k gthread) never share one in the middle of a text.
_local = threading.local()


def _tools() -> tuple[bleach.Cleaner, Linker]:
    tools = getattr(_local, "tools", None)
    if tools is None:
        cleaner = bleach.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS,
                                 strip=True, strip_comments=True)
        linker = Linker(callbacks=[_set_rel], skip_tags={"code"}, parse_email=False)
        tools = _local.tools = (cleaner, linker)
    return tools


def render_markdown(text: str | None) -> Markup:
    """Render limited Markdown (paragraphs, emphasis, lists, links, quotes) to safe HTML."""
    if not text:
        return Markup("")
    return Markup(_render(text))


@lru_cache(maxsize=16384)
def _render(text: str) -> str:
    """The rendering of one text, remembered: the same text always gives the same HTML, and a page
    of comments would otherwise parse and clean every one of them on every visit."""
    cleaner, linker = _tools()
    html = _parser().render(text)
    html = cleaner.clean(html)
    html = linker.linkify(html)
    return html.strip()
