"""render_markdown: the subset it keeps, and an XSS corpus it must neutralise."""
from html.parser import HTMLParser

import pytest

from engage.core.markdown import render_markdown


def test_supported_subset():
    html = str(render_markdown("Hello *there* and **you**.\n\n- one\n- two\n\n1. first\n\n> quoted\n\n[site](https://kyiv.example/x)"))
    assert "<em>there</em>" in html and "<strong>you</strong>" in html
    assert "<ul>" in html and "<li>one</li>" in html
    assert "<ol>" in html
    assert "<blockquote>" in html
    assert '<a href="https://kyiv.example/x" rel="nofollow ugc noopener">site</a>' in html


def test_bare_links_are_linked_with_rel():
    html = str(render_markdown("See https://ogp.example/plan for details"))
    assert '<a href="https://ogp.example/plan" rel="nofollow ugc noopener">' in html


def test_headings_images_and_code_blocks_are_not_rendered_as_markup():
    html = str(render_markdown("# Title\n\n![x](https://e.example/i.png)\n\n    code"))
    assert "<h1" not in html and "<img" not in html and "<pre" not in html


def test_empty():
    assert str(render_markdown("")) == "" and str(render_markdown(None)) == ""


def test_cyrillic_text_survives():
    assert "Громадські консультації" in str(render_markdown("Громадські *консультації*")).replace("<em>", "").replace("</em>", "")


XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<body onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "[x](https://ok.example \"title\" onmouseover=alert(1))",
    "<a href=https://ok.example onclick=alert(1)>x</a>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<style>body{background:red}</style>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><input type=submit></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<input autofocus onfocus=alert(1)>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<base href=javascript:alert(1)//>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "![x](https://e.example/a.png\" onerror=\"alert(1))",
    "<<script>script>alert(1)<</script>/script>",
    "<!--<img src=x onerror=alert(1)>-->",
    "`<script>alert(1)</script>`",
    "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
    "<a href=\"java\nscript:alert(1)\">x</a>",
    "https://ok.example/\"onmouseover=\"alert(1)",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "> <img src=x onerror=alert(1)>",
    "- [a](javascript:alert(1))\n- <b onmouseover=alert(1)>b</b>",
    "**<span onclick=alert(1)>bold</span>**",
]

ALLOWED = {"p", "br", "em", "strong", "ul", "ol", "li", "a", "blockquote", "code"}
SAFE_HREF = ("http://", "https://", "mailto:", "/", "#")


class ElementCollector(HTMLParser):
    """Collect every element and attribute a browser would build from the HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html):
    collector = ElementCollector()
    collector.feed(html)
    collector.close()
    return collector.elements


def test_corpus_is_large_enough():
    assert len(XSS_CORPUS) >= 30


def test_checker_catches_a_dangerous_element():
    # Guard against a checker that passes everything.
    assert elements('<a href="javascript:x" onclick="y">a</a>') == [("a", {"href": "javascript:x", "onclick": "y"})]


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_xss_payload_is_neutralised(payload):
    html = str(render_markdown(payload))
    for tag, attrs in elements(html):
        assert tag in ALLOWED, (tag, html)
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            assert name in {"href", "title", "rel", "start"}, (name, html)
        if tag == "a":
            # Attribute values are decoded here, as a browser decodes them.
            href = (attrs.get("href") or "").strip().lower()
            assert href.startswith(SAFE_HREF), html
            assert attrs.get("rel") == "nofollow ugc noopener", html


def test_escaped_payloads_are_shown_as_text():
    html = str(render_markdown("<script>alert(1)</script>"))
    assert "&lt;script&gt;" in html


def test_rendering_is_safe_from_eight_threads_at_once():
    """Threaded workers render at the same moment: every text must come out as it does alone, with no
    error (a shared bleach cleaner mixes up its parsing state)."""
    import threading

    from engage.core.markdown import _render

    render = _render.__wrapped__  # past the cache, so that every call really parses and cleans
    texts = [f"**Point {n}** about [the budget](https://kyivcity.gov.ua/{n}) and <b>{n}</b>\n\n- a\n- b https://x.ua/{n}"
             for n in range(40)]
    expected = [render(text) for text in texts]
    start, errors, wrong = threading.Barrier(8), [], []

    def work():
        start.wait()
        try:
            for _ in range(8):
                for text, html in zip(texts, expected):
                    if render(text) != html:
                        wrong.append(text)
        except Exception as exc:  # noqa: BLE001 - any error is the failure
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and not wrong, (errors[:3], wrong[:3])
