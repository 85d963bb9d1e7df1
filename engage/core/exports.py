"""Downloads of whole datasets, built once into a file and served whole, with their length and checksum.

A round of a city holds half a million comments: writing them inside a request takes longer than a
worker may spend on one, and a stream cut off by the worker's timeout reaches the reader as a file
that merely looks complete. So an export is a file:

- it is written by a job (RQ when ``REDIS_URL`` is set, else a thread of the process that was asked
  for it, or ``flask exports build``) into ``EXPORT_FOLDER`` under a temporary name, then renamed,
  with its SHA-256 beside it; a file is never served half-written;
- it is named after the version stamps of the cache tags its data depends on (engage.core.cache), so
  it is kept until that data changes and every reader gets the same bytes;
- it is served with ``Content-Length``, an ``ETag``, ``X-Checksum-SHA256`` and ``Repr-Digest``, and
  byte ranges, so a cut-off download is detected and resumed;
- while it is being written, the address answers ``202 Accepted`` with ``Retry-After``.
Small exports (at most ``EXPORT_SYNC_ROWS`` rows) are written at once in the request.

Features register what they export with :func:`register`.
"""
from __future__ import annotations

import base64
import hashlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable

import click
from flask import Response, abort, current_app, jsonify, render_template, request, send_file
from flask.cli import AppGroup

from engage.core.cache import SITE, current_versions, enabled as cache_enabled

log = logging.getLogger("engage.exports")

BUILD_TIMEOUT = 30 * 60  # a build that left its marker this long ago is taken as dead
RETRY_AFTER = 5


@dataclass(frozen=True)
class Export:
    """One kind of download: how to load its object, name, date and write it."""

    name: str  # also the folder under EXPORT_FOLDER
    suffix: str  # "csv", "json"
    content_type: str  # Flask adds "; charset=utf-8" to text types
    load: Callable[[int], object | None]  # the object by id, None if gone
    tags: Callable[[object], list[str]]  # cache tags whose stamps version the data
    filename: Callable[[object], str]  # the name the browser saves it under
    size: Callable[[object], int]  # rows, roughly: small exports are written in the request
    write: Callable[[object, IO[str]], None]  # writes the whole file (text)


_EXPORTS: dict[str, Export] = {}


def register(export: Export) -> Export:
    if export.name in _EXPORTS:
        raise ValueError(f"export {export.name!r} registered twice")
    _EXPORTS[export.name] = export
    return export


def get(name: str) -> Export:
    return _EXPORTS[name]


# --- Files ------------------------------------------------------------------------------------


def _folder(export: Export) -> Path:
    folder = Path(current_app.config["EXPORT_FOLDER"]) / export.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def version_of(export: Export, obj) -> str:
    """A name for the current state of the data: the tags' stamps, hashed."""
    if not cache_enabled():  # no stamps to go by: a file is at most a minute old
        return f"t{int(time.time() // 60)}"
    stamps = current_versions([SITE, *export.tags(obj)])
    return hashlib.sha256(repr(sorted(stamps.items())).encode()).hexdigest()[:16]


def _path(export: Export, obj_id: int, version: str) -> Path:
    return _folder(export) / f"{obj_id}-{version}.{export.suffix}"


def _checksum_of(path: Path) -> str | None:
    try:
        return path.with_name(path.name + ".sha256").read_text().strip()
    except OSError:
        return None


def build(name: str, obj_id: int, version: str) -> Path | None:
    """Write the export of ``obj_id`` at ``version`` unless it exists; returns its path (None: object gone)."""
    export = _EXPORTS[name]
    path = _path(export, obj_id, version)
    if path.exists() and _checksum_of(path):
        return path
    obj = export.load(obj_id)
    if obj is None:
        return None
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    digest = hashlib.sha256()
    started = time.monotonic()
    try:
        # Links in the file come from BASE_URL, whoever asked for it and wherever it is written.
        with open(temporary, "w", encoding="utf-8", newline="") as file, \
                current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
            hashing = _Hashing(file, digest)
            export.write(obj, hashing)
            hashing.flush()
        path.with_name(path.name + ".sha256").write_text(digest.hexdigest())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
        _marker(path).unlink(missing_ok=True)
    log.info("export %s of %s written in %.1f s (%d bytes)", name, obj_id, time.monotonic() - started,
             path.stat().st_size)
    _remove_older(export, obj_id, keep=path)
    return path


class _Hashing:
    """A text file that also feeds what it writes, as UTF-8, to a running SHA-256 (in 64 KB pieces)."""

    LIMIT = 64 * 1024

    def __init__(self, file: IO[str], digest):
        self._file, self._digest = file, digest
        self._parts: list[str] = []
        self._size = 0

    def write(self, text: str) -> int:
        self._parts.append(text)
        self._size += len(text)
        if self._size >= self.LIMIT:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self._parts:
            chunk = "".join(self._parts)
            self._digest.update(chunk.encode("utf-8"))
            self._file.write(chunk)
            self._parts, self._size = [], 0


def _remove_older(export: Export, obj_id: int, keep: Path) -> None:
    for old in _folder(export).glob(f"{obj_id}-*"):
        if old != keep and not old.name.startswith(keep.name):
            old.unlink(missing_ok=True)


def _marker(path: Path) -> Path:
    return path.with_name(path.name + ".building")


def _claim_build(path: Path) -> bool:
    """Only one process starts a build (the marker is created exclusively; stale markers are taken over)."""
    marker = _marker(path)
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        try:
            if time.time() - marker.stat().st_mtime < BUILD_TIMEOUT:
                return False
        except OSError:
            return False
        marker.unlink(missing_ok=True)
        return _claim_build(path)
    os.write(fd, str(time.time()).encode())
    os.close(fd)
    return True


# --- Building in the background ------------------------------------------------------------------


def _start(name: str, obj_id: int, version: str) -> None:
    app = current_app._get_current_object()
    if app.config.get("REDIS_URL"):
        try:
            from redis import Redis
            from rq import Queue

            queue = Queue(app.config["RQ_EXPORT_QUEUE"], connection=Redis.from_url(app.config["REDIS_URL"]))
            queue.enqueue("engage.core.exports.run_job", name, obj_id, version,
                          job_timeout=BUILD_TIMEOUT, result_ttl=60, failure_ttl=24 * 3600)
            return
        except Exception as exc:  # noqa: BLE001 - Redis down: build here instead
            log.warning("could not queue export %s of %s through RQ (%s); building it in this process", name, obj_id, exc)
    threading.Thread(target=_run_in_thread, args=(app, name, obj_id, version), daemon=True,
                     name=f"export-{name}-{obj_id}").start()


def _run_in_thread(app, name: str, obj_id: int, version: str) -> None:
    with app.app_context():
        run_job(name, obj_id, version)


def run_job(name: str, obj_id: int, version: str) -> None:
    """The background job (RQ or thread): build, and always release the marker."""
    from engage.extensions import db

    try:
        build(name, obj_id, version)
    except Exception:
        log.exception("export %s of %s failed", name, obj_id)
        _marker(_path(_EXPORTS[name], obj_id, version)).unlink(missing_ok=True)
        raise
    finally:
        db.session.remove()


# --- Serving -------------------------------------------------------------------------------------


def serve(name: str, obj) -> Response:
    """The export of ``obj``: the file if it is ready (or small enough to write now), else 202 while it is written."""
    export = _EXPORTS[name]
    version = version_of(export, obj)
    path = _path(export, obj.id, version)
    if not (path.exists() and _checksum_of(path)):
        if export.size(obj) <= current_app.config["EXPORT_SYNC_ROWS"]:
            path = build(name, obj.id, version)
            if path is None:  # the export's own loader refuses it: files hold public data only (no draft)
                abort(404)
        else:
            if _claim_build(path):
                _start(name, obj.id, version)
            return _preparing(export, obj)
    return _send(export, obj, path)


def _send(export: Export, obj, path: Path) -> Response:
    checksum = _checksum_of(path) or ""
    response = send_file(path, mimetype=export.content_type, as_attachment=True, download_name=export.filename(obj),
                         conditional=True, etag=checksum[:32], max_age=0)
    response.headers["X-Checksum-SHA256"] = checksum
    if checksum:
        response.headers["Repr-Digest"] = "sha-256=:" + base64.b64encode(bytes.fromhex(checksum)).decode() + ":"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _preparing(export: Export, obj) -> Response:
    wants_json = export.suffix == "json" or request.accept_mimetypes.best == "application/json"
    if wants_json:
        from flask_babel import gettext as _

        response = jsonify(status="preparing", retry_after=RETRY_AFTER,
                           message=_("The file is being prepared. Ask again in a few seconds."))
    else:
        response = Response(render_template("exports/preparing.html", filename=export.filename(obj),
                                            retry_after=RETRY_AFTER))
    response.status_code = 202
    response.headers["Retry-After"] = str(RETRY_AFTER)
    response.headers["Cache-Control"] = "no-store"
    return response


# --- Command line ---------------------------------------------------------------------------------

exports_cli = AppGroup("exports", help="Large downloads written into EXPORT_FOLDER.")


@exports_cli.command("build")
@click.argument("name")
@click.argument("object_id", type=int)
def build_command(name: str, object_id: int) -> None:
    """Write the current version of export NAME of OBJECT_ID now (for cron, or to warm a file)."""
    export = _EXPORTS.get(name)
    if export is None:
        raise click.ClickException(f"no export called {name}; known: {', '.join(sorted(_EXPORTS))}")
    obj = export.load(object_id)
    if obj is None:
        raise click.ClickException(f"{name}: nothing public with id {object_id}")
    path = build(name, object_id, version_of(export, obj))
    click.echo(f"{path} ({path.stat().st_size} bytes, sha256 {_checksum_of(path)})")
