"""Settings read from the environment, with safe defaults.

Every variable is documented in README.md ("Configuration").
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path


class ConfigError(RuntimeError):
    """Raised when the environment does not describe a usable configuration."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def normalise_database_url(url: str) -> str:
    """Accept the common ``postgres://`` spellings and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _secret_key(env: str, instance_path: Path) -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if env == "production":
        raise ConfigError("SECRET_KEY must be set when ENGAGE_ENV=production")
    # Development: generate one key and keep it, so sessions survive restarts.
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _cache_settings(env: str, instance: Path) -> dict:
    redis_url = os.environ.get("CACHE_REDIS_URL") or os.environ.get("REDIS_URL")
    if redis_url:
        backend = "RedisCache"
    elif env == "testing":
        backend = "SimpleCache"
    else:
        backend = "FileSystemCache"
    return {
        "CACHE_TYPE": os.environ.get("CACHE_TYPE") or backend,
        "CACHE_REDIS_URL": redis_url or None,
        "CACHE_DIR": os.environ.get("CACHE_DIR") or str(instance / "cache"),
        "CACHE_THRESHOLD": _int("CACHE_THRESHOLD", 100000),
        "CACHE_DEFAULT_TIMEOUT": 300,
        "CACHE_KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "engage:"),
    }


def _trusted_hosts(production: bool) -> list[str] | None:
    raw = os.environ.get("TRUSTED_HOSTS", "")
    hosts = [h.strip() for h in raw.split(",") if h.strip()]
    if hosts:
        return hosts
    if production:
        from urllib.parse import urlsplit

        host = urlsplit(os.environ.get("BASE_URL", "http://127.0.0.1:5000")).hostname
        return [host] if host else None
    return None


def from_environment(instance_path: str) -> dict:
    """Build the Flask configuration mapping from environment variables."""
    env = os.environ.get("ENGAGE_ENV", "development").strip().lower()
    if env not in {"development", "production", "testing"}:
        raise ConfigError("ENGAGE_ENV must be development, production or testing")
    production = env == "production"
    instance = Path(instance_path)
    default_db = "sqlite:///" + str(instance / "engage.sqlite")

    return {
        "ENGAGE_ENV": env,
        "SECRET_KEY": _secret_key(env, instance),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(os.environ.get("DATABASE_URL") or default_db),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # SQLite only: seconds a writer waits for the write lock before "database is busy"; WAL journal.
        "SQLITE_BUSY_TIMEOUT": float(os.environ.get("SQLITE_BUSY_TIMEOUT") or 30),
        "SQLITE_WAL": _bool(os.environ.get("SQLITE_WAL"), True),
        # Languages and time
        "LANGUAGES": ("uk", "en", "es"),
        "DEFAULT_LOCALE": os.environ.get("DEFAULT_LOCALE", "uk"),
        "BABEL_DEFAULT_LOCALE": os.environ.get("DEFAULT_LOCALE", "uk"),
        "TIMEZONE": os.environ.get("TIMEZONE", "Europe/Kyiv"),
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("TIMEZONE", "Europe/Kyiv"),
        # Mail
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "smtp" if production else "log"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _bool(os.environ.get("MAIL_USE_TLS")),
        "MAIL_USE_SSL": _bool(os.environ.get("MAIL_USE_SSL")),
        "MAIL_TIMEOUT": _int("MAIL_TIMEOUT", 10),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "Engage <no-reply@localhost>"),
        # Rate limits (Flask-Limiter)
        # Counters shared by every worker and machine: Redis when REDIS_URL is set, unless told otherwise.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL") or "memory://",
        "RATELIMIT_ENABLED": _bool(os.environ.get("RATELIMIT_ENABLED"), True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # When the counters' Redis does not answer, count in each worker's memory meanwhile (and go back
        # to Redis once it answers) rather than refuse sign-ins with a server error.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_SIGN_IN": os.environ.get("RATELIMIT_SIGN_IN", "10 per minute; 50 per hour"),
        "RATELIMIT_PASSWORD_RESET": os.environ.get("RATELIMIT_PASSWORD_RESET", "5 per 15 minutes"),
        "RATELIMIT_REGISTER": os.environ.get("RATELIMIT_REGISTER", "10 per hour"),
        "RATELIMIT_SURVEY_ANONYMOUS": os.environ.get("RATELIMIT_SURVEY_ANONYMOUS", "20 per hour"),
        # Sign-ins (engage.auth.sessions): ended after this long without use, and at the latest after
        # SESSION_MAX_DAYS, remember-me included.
        "SESSION_IDLE_MINUTES": _int("SESSION_IDLE_MINUTES", 60),
        "SESSION_IDLE_MINUTES_STAFF": _int("SESSION_IDLE_MINUTES_STAFF", 30),
        "SESSION_MAX_DAYS": _int("SESSION_MAX_DAYS", 30),
        # flask maintenance purge: ended sign-ins and expired invitations are kept this long
        "SESSION_KEEP_DAYS": _int("SESSION_KEEP_DAYS", 30),
        # Failed sign-ins per address (engage.auth.throttle): a growing wait after SIGN_IN_DELAY_AFTER,
        # a lock of SIGN_IN_LOCK_MINUTES after SIGN_IN_LOCK_AFTER.
        "SIGN_IN_DELAY_AFTER": _int("SIGN_IN_DELAY_AFTER", 3),
        "SIGN_IN_MAX_DELAY": _int("SIGN_IN_MAX_DELAY", 60),
        "SIGN_IN_LOCK_AFTER": _int("SIGN_IN_LOCK_AFTER", 10),
        "SIGN_IN_LOCK_MINUTES": _int("SIGN_IN_LOCK_MINUTES", 15),
        # Two-factor sign-in is required for facilitators, moderators and administrators.
        "TWO_FACTOR_REQUIRED_FOR_STAFF": _bool(os.environ.get("TWO_FACTOR_REQUIRED_FOR_STAFF"), True),
        # Granting roles needs a sign-in or a confirmation of identity at most this long ago.
        "REAUTH_MINUTES": _int("REAUTH_MINUTES", 10),
        # Entries of the audit log older than this are deleted by `flask audit prune`.
        "AUDIT_LOG_DAYS": _int("AUDIT_LOG_DAYS", 730),
        # Tokens sent by email
        "CONFIRM_TOKEN_MAX_AGE": _int("CONFIRM_TOKEN_MAX_AGE", 48 * 3600),
        "RESET_TOKEN_MAX_AGE": _int("RESET_TOKEN_MAX_AGE", 3600),
        # Cookies and transport security
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "HSTS_ENABLED": production,
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        "PER_PAGE": _int("PER_PAGE", 25),
        "SITE_NAME": os.environ.get("SITE_NAME", "Engage"),
        # The site's public address: every absolute link (emails, the API, files) is built on it.
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000"),
        # Host names the site answers to; any other Host header gets 400. In production the host of
        # BASE_URL unless set (comma-separated; ".example.org" admits its subdomains).
        "TRUSTED_HOSTS": _trusted_hosts(production),
        # Contributions
        "COMMENT_EDIT_MINUTES": _int("COMMENT_EDIT_MINUTES", 15),
        "AUTO_HIDE_FLAGS": _int("AUTO_HIDE_FLAGS", 3),
        # Meetings: days between publishing the agenda and the start, below which a meeting is "short notice"
        "MEETING_NOTICE_DAYS": _int("MEETING_NOTICE_DAYS", 14),
        # Email delivery through the outbox (flask outbox send / work)
        "OUTBOX_MAX_ATTEMPTS": _int("OUTBOX_MAX_ATTEMPTS", 8),
        "OUTBOX_INTERVAL": _int("OUTBOX_INTERVAL", 10),
        # flask maintenance purge: sent and given-up emails are kept this long
        "OUTBOX_KEEP_DAYS": _int("OUTBOX_KEEP_DAYS", 30),
        # /healthz reports the outbox as behind when an email has waited longer than this
        "OUTBOX_BACKLOG_ALERT_MINUTES": _int("OUTBOX_BACKLOG_ALERT_MINUTES", 15),
        # Send the emails a request wrote as soon as it ends, for a site that runs no outbox worker
        # (the development quick start). In production the worker sends them and a request never waits.
        "OUTBOX_SEND_AFTER_REQUEST": _bool(os.environ.get("OUTBOX_SEND_AFTER_REQUEST", "0" if production else "1")),
        # Optional: queue emails through RQ for immediate delivery (flask outbox rq-worker)
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "RQ_QUEUE": os.environ.get("RQ_QUEUE", "engage-mail"),
        "OPEN_DATA_LICENCE": os.environ.get("OPEN_DATA_LICENCE", "CC BY 4.0"),
        "OPEN_DATA_LICENCE_URL": os.environ.get("OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"),
        # Cache of pages for visitors and of version stamps (engage.core.cache): Redis when a URL is given,
        # else files under the instance folder, shared by every worker of this machine.
        **_cache_settings(env, instance),
        "PAGE_CACHE_SECONDS": _int("PAGE_CACHE_SECONDS", 60),
        # Large downloads are built in the background into this folder (shared storage when several
        # machines serve the site), kept until the data they hold changes.
        "EXPORT_FOLDER": os.environ.get("EXPORT_FOLDER") or str(instance / "exports"),
        "EXPORT_SYNC_ROWS": _int("EXPORT_SYNC_ROWS", 20000),
        "RQ_EXPORT_QUEUE": os.environ.get("RQ_EXPORT_QUEUE", "engage-exports"),
        # Download my data: accounts with more rows than this get their ZIP prepared in the background and
        # a link by email, valid for this many hours.
        "PRIVACY_EXPORT_SYNC_ROWS": _int("PRIVACY_EXPORT_SYNC_ROWS", 5000),
        "PRIVACY_DOWNLOAD_HOURS": _int("PRIVACY_DOWNLOAD_HOURS", 48),
        # Optional read replica for the public pages of visitors (engage.core.replica).
        "DATABASE_REPLICA_URL": normalise_database_url(os.environ["DATABASE_REPLICA_URL"])
        if os.environ.get("DATABASE_REPLICA_URL") else None,
        # Uploaded documents live outside static/ and are served as attachments.
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER") or str(instance / "uploads"),
        "MAX_UPLOAD_BYTES": _int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024),
        # A request body larger than this is refused with 413 before it is read.
        "MAX_CONTENT_LENGTH": _int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024) + 256 * 1024,
    }
