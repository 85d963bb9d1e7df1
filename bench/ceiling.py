"""The ceiling of the load runner: the fastest a Flask page can be served on this machine.

A bare Flask app that renders one small Jinja template (a heading, a paragraph and a list of ten
items), served by gunicorn with the same settings as Engage (``gunicorn bench.ceiling:app``). No
database, no session, no extensions: whatever an Engage page costs beyond this is the application's.
``bench/load.py`` measures it at the start and at the end of a run and reports each page's
requests per second at 8 connections as a share of this one's.
"""
from __future__ import annotations

from flask import Flask, render_template
from jinja2 import DictLoader

TEMPLATE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
<h1>{{ title }}</h1>
<p>{{ text }}</p>
<ul>
{% for item in items %}  <li>{{ item }}</li>
{% endfor %}</ul>
</body>
</html>
"""

app = Flask(__name__)
app.jinja_env.loader = DictLoader({"page.html": TEMPLATE})


@app.get("/")
def index():
    return render_template(
        "page.html", title="Ceiling",
        text="The same gunicorn, the same workers, one small template and nothing else.",
        items=[f"Item {n}" for n in range(1, 11)],
    )


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
