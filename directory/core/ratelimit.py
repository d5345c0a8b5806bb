"""Rate limits on Redis when REDIS_URL is set (shared by every worker and host), in memory otherwise.

When Redis goes down the site stays up: Flask-Limiter counts in memory, per process, logs a
warning, and goes back to Redis once it answers again (``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED``,
``RATELIMIT_SWALLOW_ERRORS`` in config.py). ``/healthz`` says which storage is counting.
"""

import logging
from urllib.parse import urlsplit

from flask import Flask
from flask import current_app
from flask.logging import default_handler

from directory.extensions import limiter

REDIS_SCHEMES = ("redis", "rediss", "redis+unix", "redis+sentinel", "redis+cluster")


def init_app(app: Flask) -> None:
    """Bind the limiter, make its warnings visible, and warn now if Redis cannot be reached."""
    limiter.init_app(app)
    _show_limiter_warnings()
    if limiter.enabled and uses_redis(app) and not limiter.storage.check():
        app.logger.warning(
            "rate limits: Redis at %s is unreachable; counting in memory, per process, until it answers",
            _redacted(app.config["RATELIMIT_STORAGE_URI"]),
        )


def uses_redis(app: Flask) -> bool:
    """True when the configured rate-limit storage is Redis."""
    scheme = str(app.config.get("RATELIMIT_STORAGE_URI") or "").split("://", 1)[0]
    return scheme in REDIS_SCHEMES


def rate_limit_state() -> dict:
    """Which storage counts requests now, for /healthz: {"storage": …, "ok": …}."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return {"storage": "disabled", "ok": True}
    if not uses_redis(current_app):
        return {"storage": "memory", "ok": True}
    # Flask-Limiter falls back to memory whenever Redis fails, so a failed ping means memory.
    reachable = bool(limiter.storage.check())
    return {"storage": "redis" if reachable else "memory", "ok": reachable}


def _show_limiter_warnings() -> None:
    """Send Flask-Limiter's own log (e.g. "falling back to in-memory storage") somewhere visible."""
    # Flask-Limiter gives its logger only a NullHandler; under gunicorn.conf.py the root
    # logger prints it, elsewhere (flask run) Flask's stderr handler does.
    logger = logging.getLogger("flask-limiter")
    if not _has_output(logger):
        logger.addHandler(default_handler)


def _has_output(logger: logging.Logger) -> bool:
    """True when a record from ``logger`` reaches a handler that prints something."""
    current: logging.Logger | None = logger
    while current is not None:
        if any(not isinstance(h, logging.NullHandler) for h in current.handlers):
            return True
        current = current.parent if current.propagate else None
    return False


def _redacted(url: str) -> str:
    """The URL without its password, for logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return parts._replace(netloc=f"{parts.username or ''}:***@{host}").geturl()
