"""gunicorn settings for Badgeons, all from the environment: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every setting and its reason is in docs/deploy.md ("Web servers").
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    """An integer from the environment, with a default."""
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the app is CPU- and database-bound; concurrency comes from processes.
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
# Each worker imports the app itself, after the fork: no database pool, Redis connection or
# search index handle is ever shared between processes, and a reload picks up new code.
preload_app = False
# A request that takes longer is a bug or an attack; the worker is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak never grows; jitter avoids all restarting at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Request line and headers: generous for long OB URLs, bounded against abuse.
limit_request_line = 8190
limit_request_fields = 100
# The heartbeat file lives in memory when possible (a slow disk must not look like a hung worker).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# gunicorn ≥ 25 opens a control socket under $HOME by default: local state, and two servers on
# one host would fight over it.
control_socket_disable = True
# Only these addresses may tell gunicorn the scheme (X-Forwarded-Proto); the app's PROXY_FIX
# setting decides what it trusts for the client address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs go to the process's streams; the host (systemd, container runtime) ships them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client address, request, status, size, referrer, agent and duration in milliseconds.
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(B)s "%(f)s" "%(a)s" %(M)sms'
# The root logger prints too, so the app's and its libraries' warnings (Flask-Limiter falling
# back to memory, RQ, SQLAlchemy) reach the error log with gunicorn's own lines.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    # Libraries speak from WARNING up; the app's own loggers ("directory.*") from INFO up.
    "root": {"level": "WARNING", "handlers": ["error"]},
    "loggers": {
        "directory": {"level": "INFO"},
        "gunicorn.error": {"level": loglevel.upper(), "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
    "handlers": {
        "error": {"class": "logging.StreamHandler", "formatter": "generic", "stream": "ext://sys.stderr"},
        "access": {"class": "logging.StreamHandler", "formatter": "access", "stream": "ext://sys.stdout"},
    },
    "formatters": {
        "generic": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(name)s: %(message)s"},
        "access": {"format": "%(asctime)s [%(process)d] %(message)s"},
    },
}
