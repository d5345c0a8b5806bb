"""App servers as separate processes: gunicorn from gunicorn.conf.py, flask CLI commands, on loopback."""

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 90  # seconds: a loaded 2-core machine boots workers slowly
STOP_TIMEOUT = 30
# Settings a developer's shell might hold that would change what these servers do.
CLEARED = (
    "DATABASE_URL", "REDIS_URL", "SEARCH_BACKEND", "SEARCH_INDEX_DIR", "PROXY_FIX",
    "SESSION_COOKIE_SECURE", "PREFERRED_URL_SCHEME", "WEB_CONCURRENCY", "JOBS_QUEUE",
)  # fmt: skip


def base_env(tmp_path: Path, **settings: str) -> dict:
    """The environment of a server or CLI process: production-like, nothing on the repo's disk."""
    inherited = os.environ.items()
    env = {
        name: value
        for name, value in inherited
        if name not in CLEARED and not name.startswith(("RATELIMIT_", "GUNICORN_"))
    }
    env.update(
        SECRET_KEY="scaleout-secret",
        KEY_ENCRYPTION_KEY="scaleout-key-encryption-key-0123456789",
        PUBLIC_BASE_URL="https://badgeons.test",
        SEARCH_INDEX_DIR=str(tmp_path / "search"),
        GUNICORN_BIND="127.0.0.1:0",
        PYTHONUNBUFFERED="1",
    )
    env.update(settings)
    return env


def flask(env: dict, *args: str, timeout: float = 180) -> str:
    """Run a `flask` command as operators do; return its output, fail with its stderr."""
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    assert result.returncode == 0, f"flask {' '.join(args)} failed:\n{result.stderr[-3000:]}"
    return result.stdout


class Server:
    """One gunicorn master and its workers, started from gunicorn.conf.py."""

    def __init__(self, env: dict, log_dir: Path, name: str):
        self.log = log_dir / f"{name}.err"
        self.access_log = log_dir / f"{name}.out"
        with self.log.open("wb") as err, self.access_log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
                cwd=ROOT, env=env, stdout=out, stderr=err, start_new_session=True,
            )  # fmt: skip
        self.url = ""

    def wait_ready(self) -> "Server":
        """Wait for the listening address, then for /healthz to answer."""
        deadline = time.monotonic() + START_TIMEOUT
        while not self.url:
            self._check_alive(deadline)
            if match := re.search(r"Listening at: (http://\S+)", self.log.read_text(errors="replace")):
                self.url = match.group(1)
            else:
                time.sleep(0.1)  # readiness polling of another process's log
        while not self._healthz_answers():
            self._check_alive(deadline)
            time.sleep(0.1)
        return self

    def get(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        return requests.get(self.url + path, **kwargs)

    def worker_pids(self) -> set[int]:
        """The live worker processes (children of the master)."""
        return {pid for pid, parent in _processes() if parent == self.process.pid}

    def logs(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        """Stop gracefully, then by force; the whole process group either way."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(STOP_TIMEOUT)

    def _healthz_answers(self) -> bool:
        try:
            return self.get("/healthz", timeout=10).status_code in (200, 503)
        except requests.RequestException:
            return False

    def _check_alive(self, deadline: float) -> None:
        if self.process.poll() is not None:
            pytest.fail(f"gunicorn exited with {self.process.returncode}:\n{self.logs()[-3000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"gunicorn not ready after {START_TIMEOUT} s:\n{self.logs()[-3000:]}")


@contextlib.contextmanager
def servers(log_dir: Path, *envs: dict) -> Iterator[list[Server]]:
    """Start one server per environment, all at once, and stop them all at the end."""
    started = [Server(env, log_dir, f"server{index}") for index, env in enumerate(envs)]
    try:
        yield [server.wait_ready() for server in started]
    finally:
        for server in started:
            server.stop()


def _processes() -> Iterator[tuple[int, int]]:
    """(pid, parent pid) of every process, from /proc."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                # The command name may hold spaces or parentheses: split after the last ")".
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                yield int(entry.name), int(fields[1])
