"""Configuration, read from the environment and nowhere else.

``load_config(environ, instance_path)`` returns a plain dict for ``app.config``.
Every other module reads settings from ``current_app.config`` (or takes them as
arguments); none of them looks at ``os.environ``.
"""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Mapping

SECRET_KEY_FILE = "secret_key"
# RETURN_BANK_HOLIDAYS: whose bank holidays are not working days (feedback.returns.due).
BANK_HOLIDAY_REGIONS = ("england-and-wales", "scotland", "northern-ireland")


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _roles(value: str | None, default: tuple[str, ...]) -> tuple[str, ...]:
    """A comma-separated list of role names; unset gives ``default``, "" gives none."""
    if value is None:
        return default
    return tuple(r.strip() for r in value.split(",") if r.strip())


def normalise_database_url(url: str) -> str:
    """Point PostgreSQL URLs at the psycopg 3 driver; leave others as they are."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def engine_options(url: str, sqlite_busy_ms: int = 5000) -> dict:
    """SQLAlchemy engine options for the database behind ``url``.

    SQLite gets a busy timeout and write transactions that take the write lock
    when they first write (``BEGIN IMMEDIATE``), so concurrent writers queue
    instead of failing; WAL mode and foreign keys are switched on per
    connection in ``extensions.configure_sqlite``. PostgreSQL gets pre-ping so
    a restarted server does not surface as errors on stale pooled connections.
    """
    if url.startswith("sqlite"):
        return {
            "connect_args": {
                "timeout": sqlite_busy_ms / 1000,
                "isolation_level": "IMMEDIATE",
                "check_same_thread": False,
            }
        }
    return {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20, "pool_recycle": 1800}


def read_or_create_secret(instance_path: str) -> str:
    """Return the secret key kept in ``instance/``, creating it once if absent.

    The file is created with mode 0600. A fixed default key is never used.
    """
    folder = Path(instance_path)
    path = folder / SECRET_KEY_FILE
    if path.exists():
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    return key


def _working_days(value) -> int:
    """RETURN_DUE_WORKING_DAYS as a whole number, 0 or more (from the environment, text)."""
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and text.isascii() and text.isdigit():
        return int(text)
    if isinstance(text, int) and not isinstance(text, bool) and text >= 0:
        return text
    raise ValueError("RETURN_DUE_WORKING_DAYS must be a whole number of working days, 0 or "
                     f"more (0: due on the first working day after the period ends; it is {value!r})")


def load_config(environ: Mapping[str, str] | None, instance_path: str,
                overrides: Mapping | None = None) -> dict:
    """Build the application configuration from ``environ`` (``None``: the process
    environment).

    ``overrides`` (the mapping given to ``create_app``) wins over the
    environment. The secret key file in ``instance/`` is only read or created
    when neither gives a ``SECRET_KEY``.
    """
    overrides = dict(overrides or {})
    env = (os.environ if environ is None else environ).get
    default_db = "sqlite:///" + str(Path(instance_path) / "feedback.db")
    database_url = normalise_database_url(
        overrides.get("SQLALCHEMY_DATABASE_URI") or env("DATABASE_URL") or default_db)
    if database_url.startswith("sqlite:///") and database_url == default_db:
        Path(instance_path).mkdir(parents=True, exist_ok=True)

    secret = overrides.get("SECRET_KEY") or env("SECRET_KEY")
    if not secret:
        secret = read_or_create_secret(instance_path)

    redis_url = env("REDIS_URL") or None
    https = _bool(env("FEEDBACK_HTTPS"))
    config = {
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "REDIS_URL": redis_url,
        # Sessions: HttpOnly, SameSite=Lax, Secure whenever the request came over
        # https (see security.SecureWhenHttpsSessionInterface) or FEEDBACK_HTTPS=1.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "SESSION_COOKIE_NAME": "vtc_session",
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=30),
        "STAFF_IDLE_TIMEOUT": timedelta(minutes=int(env("STAFF_IDLE_MINUTES") or 30)),
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "HSTS_SECONDS": int(env("HSTS_SECONDS") or 31536000),
        "TRUST_PROXY_HEADERS": _bool(env("TRUST_PROXY_HEADERS")),
        # Forms and uploads.
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": None,  # tied to the session, which already expires
        "MAX_CONTENT_LENGTH": int(env("MAX_UPLOAD_BYTES") or 10 * 1024 * 1024),
        "MAX_FORM_MEMORY_SIZE": 500_000,
        # Rate limits: counted in Redis (RATELIMIT_STORAGE_URI, else REDIS_URL) so every
        # worker shares them; in-process memory without Redis (gunicorn.conf.py then
        # serves with one worker) or whenever Redis is unreachable.
        "RATELIMIT_STORAGE_URI": env("RATELIMIT_STORAGE_URI") or redis_url or "memory://",
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_HEADERS_ENABLED": False,
        "RATELIMIT_ENABLED": True,  # Flask-Limiter's own switch: per app, see RATE_LIMITS
        "RATE_LIMITS": _bool(env("RATE_LIMITS"), True),
        "LOGIN_RATE_LIMIT": env("LOGIN_RATE_LIMIT") or "10 per minute;50 per hour",
        "SUBMIT_RATE_LIMIT": env("SUBMIT_RATE_LIMIT") or "20 per minute;200 per hour",
        # The open data API, per token (docs/api.md).
        "API_RATE_LIMIT": env("API_RATE_LIMIT") or "120 per minute;2000 per hour",
        "API_CACHE_SECONDS": int(env("API_CACHE_SECONDS") or 60),
        # Mail (safeguarding alerts). With no MAIL_SERVER, messages are logged.
        "MAIL_SERVER": env("MAIL_SERVER") or None,
        "MAIL_PORT": int(env("MAIL_PORT") or 25),
        "MAIL_USERNAME": env("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _bool(env("MAIL_USE_TLS")),
        "MAIL_FROM": env("MAIL_FROM") or "no-reply@voice.invalid",
        "SAFEGUARDING_ALERT_TO": env("SAFEGUARDING_ALERT_TO") or None,
        # Links in emails (invitations, digests, "your card was answered") start with this
        # address; unset, a link made during a request uses the request's host.
        "PUBLIC_URL": (env("PUBLIC_URL") or "").rstrip("/") or None,
        "INVITATION_HOURS": int(env("INVITATION_HOURS") or 72),
        # Presentation.
        "SERVICE_NAME": env("SERVICE_NAME") or "Your Voice, Our Contracts",
        "ORGANISATION_NAME": env("ORGANISATION_NAME") or "Shire County Council and partners",
        # Their Welsh forms, shown on Welsh pages when set (English otherwise). The demo's
        # names have Welsh ones; a name set above has none until its Welsh is set too.
        "SERVICE_NAME_CY": env("SERVICE_NAME_CY") or (
            None if env("SERVICE_NAME") else "Eich Llais, Ein Contractau"),
        "ORGANISATION_NAME_CY": env("ORGANISATION_NAME_CY") or (
            None if env("ORGANISATION_NAME") else "Cyngor Sir Shire a’i bartneriaid"),
        "PHASE": env("PHASE") or "beta",
        # The council's children's services front door (for an adult worried about a child),
        # shown with the NSPCC helpline on a parent's track page; unset, it says to contact them.
        "CHILDREN_SERVICES_PHONE": env("CHILDREN_SERVICES_PHONE") or None,
        "SUPPRESSION_THRESHOLD": 10,
        # Two-factor sign-in (TOTP): holders of these roles must enrol before
        # they can use anything else. "" (empty) makes it optional for everyone.
        "TWO_FACTOR_REQUIRED_ROLES": _roles(env("TWO_FACTOR_REQUIRED_ROLES"),
                                            ("admin", "safeguarding_lead")),
        "TWO_FACTOR_RATE_LIMIT": env("TWO_FACTOR_RATE_LIMIT") or "10 per minute;30 per hour",
        # Retention (docs/privacy.md; `flask --app wsgi purge`).
        "RETENTION_SUBMISSION_DAYS": int(env("RETENTION_SUBMISSION_DAYS") or 3 * 365),
        "RETENTION_CONTACT_DAYS": int(env("RETENTION_CONTACT_DAYS") or 183),
        "RETENTION_AUDIT_DAYS": int(env("RETENTION_AUDIT_DAYS") or 2 * 365),
        "RETENTION_CLASSIFIER_DAYS": int(env("RETENTION_CLASSIFIER_DAYS") or 90),
        "RETENTION_IMPORT_FILE_HOURS": int(env("RETENTION_IMPORT_FILE_HOURS") or 24),
        # Performance Monitoring Form returns (docs/providers.md): due this many working
        # days after the period ends; supporting files kept in this folder (default
        # <instance>/return-files); the virus-scan command run on each file (off when unset).
        "RETURN_DUE_WORKING_DAYS": env("RETURN_DUE_WORKING_DAYS") or 20,  # 0: the next working day
        # Whose bank holidays are not working days for those due dates: england-and-wales,
        # scotland or northern-ireland.
        "RETURN_BANK_HOLIDAYS": env("RETURN_BANK_HOLIDAYS") or "england-and-wales",
        "RETURN_FILES_FOLDER": env("RETURN_FILES_FOLDER") or None,
        "RETURN_FILE_SCAN_COMMAND": env("RETURN_FILE_SCAN_COMMAND") or None,
    }
    config.update(overrides)
    config["RETURN_DUE_WORKING_DAYS"] = _working_days(config["RETURN_DUE_WORKING_DAYS"])
    if config["RETURN_BANK_HOLIDAYS"] not in BANK_HOLIDAY_REGIONS:
        raise ValueError(f"RETURN_BANK_HOLIDAYS must be one of {', '.join(BANK_HOLIDAY_REGIONS)}"
                         f" (it is {config['RETURN_BANK_HOLIDAYS']!r})")
    if "SQLALCHEMY_DATABASE_URI" in overrides:
        config["SQLALCHEMY_DATABASE_URI"] = database_url
        config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(database_url))
        if "SQLALCHEMY_ENGINE_OPTIONS" not in overrides:
            config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(database_url)
    return config
