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
        "SEARCH_BACKEND": env("SEARCH_BACKEND", "whoosh"),
        "REDIS_URL": env("REDIS_URL"),
        "RATELIMIT_STORAGE_URI": env("REDIS_URL") or "memory://",
        "MAIL_SERVER": env("MAIL_SERVER"),
        "MAIL_FROM": env("MAIL_FROM", "Badgeons <ne-pas-repondre@badgeons.test>"),
        "FETCH_ALLOW_PRIVATE": env("FETCH_ALLOW_PRIVATE", "") == "1",
        "FETCH_ALLOW_HTTP": env("FETCH_ALLOW_HTTP", "") == "1",
        "BABEL_DEFAULT_LOCALE": "fr",
        "LANGUAGES": ("fr", "en"),
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": env("SESSION_COOKIE_SECURE", "") == "1",
        "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
        "PER_PAGE": 24,
    }
