"""The shared Redis connection (job queue, health checks), present only when REDIS_URL is set."""

from flask import Flask
from flask import current_app
from redis import Redis
from redis.exceptions import RedisError

EXTENSION = "badgeons.redis"
# A dead or unroutable Redis must cost a request about a second, never a worker timeout.
CONNECT_TIMEOUT = 1.0
SOCKET_TIMEOUT = 5.0


def init_app(app: Flask) -> None:
    """Create the client (lazily connected) when REDIS_URL is set; None otherwise."""
    url = app.config.get("REDIS_URL")
    app.extensions[EXTENSION] = connect(url) if url else None


def connect(url: str) -> Redis:
    """A client for ``url`` with short timeouts; connections are opened on first use."""
    # Bytes in, bytes out: RQ stores pickled jobs and needs decode_responses=False.
    return Redis.from_url(
        url,
        socket_connect_timeout=CONNECT_TIMEOUT,
        socket_timeout=SOCKET_TIMEOUT,
        health_check_interval=30,
    )


def redis_client() -> Redis | None:
    """The application's Redis client, or None in the embedded default."""
    return current_app.extensions.get(EXTENSION)


def ping(client: Redis) -> dict:
    """Ask Redis one trivial question: {"ok": True} or {"ok": False, "error": one line}."""
    try:
        client.ping()
    except (RedisError, OSError) as error:
        return {"ok": False, "error": _first_line(error)}
    return {"ok": True}


def _first_line(error: Exception) -> str:
    message = str(error).strip()
    return message.splitlines()[0] if message else type(error).__name__
