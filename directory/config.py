"""Settings read from the environment, with embedded defaults for one machine."""

import os
import secrets
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class ConfigError(RuntimeError):
    """A setting is unusable; the message is one line meant for an operator."""


def _instance_secret(instance_path: Path, name: str, nbytes: int) -> str:
    """Return a secret kept in instance/, generating it on first use (development only)."""
    path = instance_path / name
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(nbytes))
        path.chmod(0o600)
    return path.read_text().strip()


def database_url(instance_path: Path) -> str:
    """The database URL: DATABASE_URL, or a SQLite file under instance/."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'badgeons.db'}"
    return normalise_database_url(url)


def normalise_database_url(url: str) -> str:
    """Check a database URL and point PostgreSQL URLs at psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"DATABASE_URL is not a database URL: {url!r}") from None
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(
            f"DATABASE_URL must name SQLite or PostgreSQL, not {parsed.get_backend_name()!r}"
        )
    return parsed.render_as_string(hide_password=False)


def from_environment(instance_path: Path) -> dict:
    """Build the configuration mapping from the environment."""
    env = os.environ.get
    return {
        "SECRET_KEY": env("SECRET_KEY") or _instance_secret(instance_path, "secret_key", 32),
        "KEY_ENCRYPTION_KEY": env("KEY_ENCRYPTION_KEY")
        or _instance_secret(instance_path, "key_encryption_key", 32),
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PUBLIC_BASE_URL": env("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "SEARCH_BACKEND": env("SEARCH_BACKEND", "tantivy"),
        "SEARCH_INDEX_DIR": env("SEARCH_INDEX_DIR"),  # embedded indexes; default instance/search
        "SEARCH_LOCK_TIMEOUT": float(env("SEARCH_LOCK_TIMEOUT", "10")),  # seconds a writer waits
        # Beyond this many profiles, a change's re-indexing is queued for workers (with REDIS_URL).
        "SEARCH_INLINE_LIMIT": int(env("SEARCH_INLINE_LIMIT", "200")),
        "REDIS_URL": env("REDIS_URL"),
        **_scale_out_settings(),
        "MAIL_SERVER": env("MAIL_SERVER"),
        "MAIL_FROM": env("MAIL_FROM", "Badgeons <ne-pas-repondre@badgeons.test>"),
        # Where visitors report an accessibility problem (RGAA requires one); the operator's own.
        "ACCESSIBILITY_CONTACT": env("ACCESSIBILITY_CONTACT", "accessibilite@badgeons.test"),
        "FETCH_ALLOW_PRIVATE": env("FETCH_ALLOW_PRIVATE", "") == "1",
        "FETCH_ALLOW_HTTP": env("FETCH_ALLOW_HTTP", "") == "1",
        "BABEL_DEFAULT_LOCALE": "fr",
        "LANGUAGES": ("fr", "en"),
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": env("SESSION_COOKIE_SECURE", "") == "1",
        "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
        "PER_PAGE": 24,
        # Sign-in: providers from OIDC_PROVIDERS_FILE / OIDC_PROVIDERS, plus the demo one when
        # DEMO_IDENTITY_PROVIDER (its URL, set by `make run` only) is given.
        "OIDC_PROVIDERS": _oidc_providers(),
        "DEMO_IDENTITY_PROVIDER": env("DEMO_IDENTITY_PROVIDER"),
        "MAIL_DEV_OUTBOX": env("MAIL_DEV_OUTBOX", "") == "1",
        "EMAIL_LINK_MAX_AGE_MINUTES": 30,
    }


def _oidc_providers() -> dict:
    """Provider settings, checked now so a bad one stops the start with one line."""
    from directory.accounts.provider_config import load_providers

    return load_providers(os.environ)


def _scale_out_settings() -> dict:
    """Redis-backed rate limits and jobs, the reverse proxy, production cookies (docs/deploy.md)."""
    env = os.environ.get
    redis_url = env("REDIS_URL")
    secure = env("SESSION_COOKIE_SECURE", "") == "1"
    return {
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # Short timeouts: a dead Redis costs a request about a second, then limits count in memory.
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1} if redis_url else {},
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_HEADERS_ENABLED": True,  # Retry-After on every 429
        "RATELIMIT_KEY_PREFIX": env("RATELIMIT_KEY_PREFIX", "badgeons"),
        # A ceiling per client address on every route but /healthz, e.g. "300 per minute".
        "RATELIMIT_APPLICATION": env("RATELIMIT_APPLICATION") or None,
        "JOBS_QUEUE": env("JOBS_QUEUE", "badgeons"),
        "JOBS_TIMEOUT": _int_setting("JOBS_TIMEOUT", 3600),
        # Number of reverse proxies in front whose X-Forwarded-* headers are trusted (0: none).
        "PROXY_FIX": _int_setting("PROXY_FIX", 0),
        "PREFERRED_URL_SCHEME": "https" if secure else env("PREFERRED_URL_SCHEME", "http"),
        "REMEMBER_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
    }


def _int_setting(name: str, default: int) -> int:
    """A non-negative integer setting, or a one-line ConfigError."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ConfigError(f"{name} must be a whole number, not {raw!r}")
    return int(raw)
