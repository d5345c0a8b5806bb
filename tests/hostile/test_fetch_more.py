"""Safe-fetcher cases tests/core/test_fetch.py does not cover: disguised loopback hosts,
a DNS answer mixing public and private addresses, and compressed bodies (never inflated)."""

import contextlib
import gzip
import socket
import threading
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

import pytest

from directory.core import fetch
from directory.core.fetch import FetchError
from directory.core.fetch import FetchPolicy
from directory.core.fetch import safe_fetch

HTTP_ONLY = FetchPolicy(allow_http=True, timeout=5)
# 10 MB of zeros compress to about 10 KB: a body that would explode if anything inflated it.
BOMB = gzip.compress(b"\0" * 10_000_000)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.hits.append(self.path)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(BOMB)))
            self.end_headers()
            self.wfile.write(BOMB)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    running = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    running.hits = []
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running
    running.shutdown()
    thread.join(5)
    running.server_close()


@pytest.fixture
def fake_dns(monkeypatch):
    """host -> list of addresses, answered by getaddrinfo instead of the resolver."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in answers[host]]

    monkeypatch.setattr(fetch.socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.mark.parametrize(
    "host",
    [
        "2130706433",
        "0x7f000001",
        "0x7f.1",
        "017700000001",
        "127.1",
        "0",
        "localhost",
        "[::ffff:7f00:1]",
        "[0:0:0:0:0:0:0:1]",
    ],
)
def test_disguised_loopback_hosts_are_refused_before_connecting(server, host):
    port = server.server_address[1]

    with pytest.raises(FetchError) as caught:
        safe_fetch(f"http://{host}:{port}/badge.json", HTTP_ONLY)

    assert caught.value.code in ("blocked_address", "unreachable", "bad_url")
    assert server.hits == []


def test_a_dns_answer_mixing_public_and_private_addresses_is_refused(server, fake_dns):
    fake_dns["mixed.test"] = ["93.184.216.34", "127.0.0.1"]

    with pytest.raises(FetchError) as caught:
        safe_fetch(f"http://mixed.test:{server.server_address[1]}/", HTTP_ONLY)

    assert caught.value.code == "blocked_address"
    assert server.hits == []


def test_a_compressed_body_is_never_inflated(server):
    result = safe_fetch(
        f"http://127.0.0.1:{server.server_address[1]}/", FetchPolicy(allow_http=True, allow_private=True)
    )

    assert result.content == BOMB  # what was sent, counted against max_bytes as sent


def test_a_compressed_body_over_the_cap_is_cut(server):
    policy = FetchPolicy(allow_http=True, allow_private=True, max_bytes=1000)

    with pytest.raises(FetchError) as caught:
        safe_fetch(f"http://127.0.0.1:{server.server_address[1]}/", policy)

    assert caught.value.code == "too_large"
