"""Download my data: a ZIP of one JSON file per kind of data (engage.privacy.registry) and a README.

A small account's ZIP is written in the request and sent at once. A large one (more than
``PRIVACY_EXPORT_SYNC_ROWS`` rows) is written by a job (RQ when ``REDIS_URL`` is set, else a thread, as
engage.core.exports does) into ``EXPORT_FOLDER/personal/`` under an unguessable name, and the person is
emailed a link. The link holds a signed token naming the person and the file, valid for
``PRIVACY_DOWNLOAD_HOURS`` by the real clock, and opens only for that person, signed in.
"""
from __future__ import annotations

import io
import json
import logging
import os
import secrets
import threading
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import current_app, render_template, url_for
from flask_babel import force_locale

from engage.auth.models import User
from engage.auth.sessions import wall_clock
from engage.core import outbox
from engage.core.time import utcnow
from engage.core.tokens import InvalidToken, make_token, read_token
from engage.extensions import db
from engage.privacy.registry import entries

log = logging.getLogger("engage.privacy")

PURPOSE = "personal-data"
JOB_TIMEOUT = 30 * 60


# --- The file's contents ---------------------------------------------------------------------------


def size_of(user: User) -> int:
    return sum(entry.count(user) for entry in entries())


def is_large(user: User) -> bool:
    return size_of(user) > current_app.config["PRIVACY_EXPORT_SYNC_ROWS"]


def filename() -> str:
    return f"engage-my-data-{utcnow():%Y-%m-%d}.zip"


def write_zip(user: User, target) -> None:
    """Everything kept about ``user``: ``<kind>.json`` per registered kind, and a README in their language."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with force_locale(user.locale or "uk"):
            readme = render_template("privacy/README.txt", user=user, entries=entries(), made_at=utcnow())
        archive.writestr("README.txt", readme)
        for entry in entries():
            data = json.dumps(entry.export(user), ensure_ascii=False, indent=2, default=str)
            archive.writestr(f"{entry.name}.json", data + "\n")


def zip_bytes(user: User) -> bytes:
    buffer = io.BytesIO()
    write_zip(user, buffer)
    return buffer.getvalue()


# --- Files prepared in the background --------------------------------------------------------------


def _folder() -> Path:
    folder = Path(current_app.config["EXPORT_FOLDER"]) / "personal"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(user_id: int, name: str) -> Path | None:
    if not name.startswith(f"{user_id}-") or "/" in name or not name.endswith(".zip"):
        return None
    return _folder() / name


def remove_files(user_id: int, keep: Path | None = None) -> None:
    for old in _folder().glob(f"{user_id}-*"):
        if old != keep:
            old.unlink(missing_ok=True)


def sweep_expired() -> int:
    """Remove the files whose links have expired (each preparation sweeps, so none lingers for long)."""
    limit = wall_clock().timestamp() - hours() * 3600
    gone = 0
    for old in _folder().glob("*.zip"):
        try:
            if old.stat().st_mtime < limit:
                old.unlink(missing_ok=True)
                gone += 1
        except OSError:
            continue
    return gone


def prepare(user: User) -> Path:
    """Write the person's ZIP under a new random name (a file is never seen half-written); older ones go."""
    sweep_expired()
    path = _folder() / f"{user.id}-{secrets.token_urlsafe(16)}.zip"
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as file:
            write_zip(user, file)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    remove_files(user.id, keep=path)
    return path


def hours() -> int:
    return int(current_app.config["PRIVACY_DOWNLOAD_HOURS"])


def link_token(user: User, path: Path) -> str:
    expires = wall_clock() + timedelta(hours=hours())
    return make_token(PURPOSE, {"u": user.id, "f": path.name, "exp": int(expires.timestamp())})


@dataclass(frozen=True)
class Link:
    owner_id: int
    path: Path
    expires: float  # a POSIX timestamp, by the real clock

    @property
    def still_valid(self) -> bool:
        return wall_clock().timestamp() <= self.expires and self.path.exists()


def read_link(token: str) -> Link:
    """What a download link names; InvalidToken when it is not one of ours (or was tampered with)."""
    # The signature's own age limit is only a backstop: the "exp" inside is what counts (Link.still_valid).
    data = read_token(PURPOSE, token, max_age=hours() * 3600 + 3600)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise InvalidToken()
    path = _path(data["u"], str(data.get("f", "")))
    if path is None:
        raise InvalidToken()
    return Link(data["u"], path, float(data.get("exp", 0)))


def send_ready_email(user: User, url: str) -> None:
    """The one place this email is written: to the outbox, like every email (sent once the job commits)."""
    outbox.queue_template(user.email, "personal_data_ready", user.locale, user=user, url=url, hours=hours())


def run_job(user_id: int) -> None:
    """The background job (RQ or thread): write the file, then email the person its link."""
    try:
        user = db.session.get(User, user_id)
        if user is None or not user.active:
            return
        path = prepare(user)
        with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
            send_ready_email(user, url_for("privacy.prepared", token=link_token(user, path), _external=True))
        db.session.commit()  # the job is its own transaction: the email exists once it commits
    except Exception:
        db.session.rollback()
        log.exception("personal data download of user %s failed", user_id)
        raise
    finally:
        db.session.remove()


def start(user_id: int) -> None:
    """Prepare in the background: through RQ when configured (and reachable), else in a thread."""
    app = current_app._get_current_object()
    if app.config.get("REDIS_URL"):
        try:
            from redis import Redis
            from rq import Queue

            queue = Queue(app.config["RQ_EXPORT_QUEUE"], connection=Redis.from_url(app.config["REDIS_URL"]))
            queue.enqueue("engage.privacy.downloads.run_job", user_id, job_timeout=JOB_TIMEOUT, result_ttl=60,
                          failure_ttl=24 * 3600)
            return
        except Exception as exc:  # noqa: BLE001 - Redis down: prepare it here instead
            log.warning("could not queue the data download of user %s through RQ (%s); preparing it here", user_id, exc)
    threading.Thread(target=_run_in_thread, args=(app, user_id), daemon=True, name=f"my-data-{user_id}").start()


def _run_in_thread(app, user_id: int) -> None:
    with app.app_context():
        run_job(user_id)
