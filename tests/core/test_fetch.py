"""The SSRF-safe fetcher, against real HTTP(S) servers on 127.0.0.1."""

import contextlib
import datetime
import ipaddress
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from directory.core import fetch
from directory.core.fetch import FetchError
from directory.core.fetch import FetchPolicy
from directory.core.fetch import is_blocked_address
from directory.core.fetch import safe_fetch

LOCAL = FetchPolicy(allow_http=True, allow_private=True, timeout=5)
BODY = b'{"id": "https://badgeons.test/a/1"}'


class Handler(BaseHTTPRequestHandler):
    """Routes: /json, /big, /stream, /slow, /stall, /loop, /hop, /redirect?to=, /gone."""

    def do_GET(self):
        self.server.hits.append(self.path)
        route = getattr(
            self, "route_" + urlsplit(self.path).path.strip("/").replace("-", "_"), None
        )
        # The fetcher hangs up on purpose (size cap, timeout): not a server error.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route() if route else self.send_error(404)

    def reply(self, status=200, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if body is not None:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body or b"")

    def route_json(self):
        self.reply(
            body=BODY,
            headers=[
                ("Content-Type", "application/ld+json; charset=utf-8"),
                ("X-Seen-Host", self.headers["Host"]),
            ],
        )

    def route_big(self):
        self.reply(body=b"x" * 300_000)

    def route_stream(self):
        self.reply(
            body=None
        )  # no Content-Length: the body ends when the connection closes
        for _ in range(30):
            self.wfile.write(b"y" * 10_000)

    def route_slow(self):
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        for _ in range(1000):
            self.wfile.write(b"z")
            self.wfile.flush()
            time.sleep(0.05)

    def route_stall(self):
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"{")
        self.wfile.flush()
        time.sleep(3)

    def route_loop(self):
        self.reply(302, headers=[("Location", "/loop")])

    def route_hop(self):
        self.reply(301, headers=[("Location", "json")])

    def route_redirect(self):
        target = parse_qs(urlsplit(self.path).query)["to"][0]
        self.reply(302, headers=[("Location", target)])

    def route_gone(self):
        self.reply(410, body=b"revoked")

    def log_message(self, *args):
        pass


def start_server(wrap=None):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.hits = []
    if wrap:
        server.socket = wrap(server.socket)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}
    )
    thread.start()
    return server, thread


def stop_server(server, thread):
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def server():
    running, thread = start_server()
    yield running
    stop_server(running, thread)


@pytest.fixture
def base(server):
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def fake_dns(monkeypatch):
    """Resolve chosen names to chosen addresses; everything else as usual."""
    names = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in names:
            answer = names[host]
            address = answer.pop(0) if isinstance(answer, list) else answer
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return names


def fetch_error(url, policy):
    with pytest.raises(FetchError) as caught:
        safe_fetch(url, policy)
    return caught.value


# ------------------------------------------------------------------ allowed


def test_local_server_allowed_when_policy_says_so(base):
    result = safe_fetch(f"{base}/json", LOCAL)

    assert (result.status, result.content) == (200, BODY)
    assert result.content_type == "application/ld+json"
    assert result.url == f"{base}/json"
    assert result.headers["content-type"].startswith("application/ld+json")


def test_relative_redirect_is_followed(base):
    result = safe_fetch(f"{base}/hop", LOCAL)

    assert result.url == f"{base}/json"
    assert result.content == BODY


def test_connection_is_pinned_to_the_checked_address(server, fake_dns):
    # DNS rebinding: the first answer passes the check, a second one would not.
    fake_dns["badge.test"] = ["127.0.0.1", "169.254.169.254"]
    port = server.server_address[1]

    result = safe_fetch(f"http://badge.test:{port}/json", LOCAL)

    assert result.headers["X-Seen-Host"] == f"badge.test:{port}"
    assert fake_dns["badge.test"] == ["169.254.169.254"]  # resolved exactly once


# ------------------------------------------------------------------ refused


def test_local_server_refused_by_default(base, server):
    error = fetch_error(f"{base}/json", FetchPolicy(allow_http=True))

    assert error.code == "blocked_address"
    assert "réseau privé" in error.message_fr
    assert server.hits == []


def test_local_https_refused_by_default_before_connecting():
    assert fetch_error("https://127.0.0.1:1/", FetchPolicy()).code == "blocked_address"


@pytest.mark.parametrize("policy", [FetchPolicy(allow_http=True), LOCAL])
@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/"]
)
def test_cloud_metadata_is_always_refused(url, policy):
    assert fetch_error(url, policy).code == "blocked_address"


@pytest.mark.parametrize(
    ("url", "policy", "code"),
    [
        ("file:///etc/passwd", LOCAL, "bad_scheme"),
        ("ftp://example.org/badge.json", LOCAL, "bad_scheme"),
        ("gopher://127.0.0.1:6379/_INFO", LOCAL, "bad_scheme"),
        ("http://example.org/badge.json", FetchPolicy(), "bad_scheme"),
        ("https://user:secret@example.org/", FetchPolicy(), "bad_url"),
        ("https:///nohost", FetchPolicy(), "bad_url"),
        ("https://example.org:99999/", FetchPolicy(), "bad_url"),
    ],
)
def test_bad_urls_are_refused(url, policy, code):
    assert fetch_error(url, policy).code == code


def test_bad_scheme_message_is_bilingual():
    error = fetch_error("file:///etc/passwd", FetchPolicy())

    assert error.message_en == "Only https:// addresses can be fetched."
    assert error.message_fr == "Seules les adresses https:// peuvent être consultées."


def test_oversized_body_with_content_length_is_cut(base):
    error = fetch_error(
        f"{base}/big",
        FetchPolicy(allow_http=True, allow_private=True, max_bytes=100_000),
    )

    assert error.code == "too_large"


def test_oversized_streamed_body_is_cut(base):
    error = fetch_error(
        f"{base}/stream",
        FetchPolicy(allow_http=True, allow_private=True, max_bytes=100_000),
    )

    assert error.code == "too_large"


@pytest.mark.parametrize("route", ["slow", "stall"])
def test_slow_body_hits_the_total_time_budget(base, route):
    started = time.monotonic()

    error = fetch_error(
        f"{base}/{route}", FetchPolicy(allow_http=True, allow_private=True, timeout=0.6)
    )

    assert error.code == "timeout"
    assert time.monotonic() - started < 2


def test_redirect_loop(base, server):
    error = fetch_error(f"{base}/loop", LOCAL)

    assert error.code == "too_many_redirects"
    assert len(server.hits) == LOCAL.max_redirects + 1


@pytest.mark.parametrize(
    "target",
    ["http://10.0.0.1/", "http://127.0.0.2/", "http://[::1]/", "http://192.168.1.1/"],
)
def test_redirect_to_a_private_address_is_refused(base, server, monkeypatch, target):
    # Treat the test server itself as public, so only the redirect target is private.
    real = fetch.is_blocked_address
    monkeypatch.setattr(
        fetch,
        "is_blocked_address",
        lambda ip, policy: ip != ipaddress.ip_address("127.0.0.1") and real(ip, policy),
    )

    error = fetch_error(f"{base}/redirect?to={target}", FetchPolicy(allow_http=True))

    assert error.code == "blocked_address"
    assert len(server.hits) == 1


@pytest.mark.parametrize(
    ("target", "code"),
    [
        ("http://169.254.169.254/latest/meta-data/", "blocked_address"),
        ("file:///etc/passwd", "bad_scheme"),
    ],
)
def test_redirect_to_metadata_or_file_is_refused(base, target, code):
    assert fetch_error(f"{base}/redirect?to={target}", LOCAL).code == code


def test_http_error_keeps_the_status(base):
    error = fetch_error(f"{base}/gone", LOCAL)

    assert (error.code, error.status) == ("http_error", 410)
    assert error.message_fr == "Le serveur a répondu avec le statut HTTP 410."


def test_unreachable_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound but not listening: connection refused

        assert fetch_error(f"http://127.0.0.1:{port}/", LOCAL).code == "unreachable"


def test_unknown_host_is_unreachable():
    assert (
        fetch_error("https://does-not-exist.invalid/", FetchPolicy()).code
        == "unreachable"
    )


@pytest.mark.parametrize(
    ("address", "blocked"),
    [
        ("8.8.8.8", False),
        ("2606:4700:4700::1111", False),
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.0.1", True),
        ("100.64.0.1", True),
        ("169.254.1.1", True),
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("239.255.255.250", True),
        ("240.0.0.1", True),
        ("255.255.255.255", True),
        ("::", True),
        ("::1", True),
        ("fe80::1", True),
        ("fc00::1", True),
        ("ff02::1", True),
        ("::ffff:127.0.0.1", True),
        ("::ffff:10.0.0.1", True),
        ("2002:7f00:1::", True),  # 6to4 wrapping 127.0.0.1
        ("64:ff9b::a00:1", True),  # NAT64 wrapping 10.0.0.1
        ("::ffff:169.254.169.254", True),
    ],
)
def test_blocked_address_table(address, blocked):
    assert is_blocked_address(ipaddress.ip_address(address), FetchPolicy()) is blocked


# ------------------------------------------------------------------ TLS


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for badge.test, as (cert path, key path)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "badge.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("badge.test")]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(folder / "cert.pem"), str(folder / "key.pem")


@pytest.fixture
def tls_server(certificate):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    running, thread = start_server(
        lambda sock: context.wrap_socket(sock, server_side=True)
    )
    yield running
    stop_server(running, thread)


def test_https_is_pinned_with_sni_and_certificate_checked_for_the_name(
    tls_server, certificate, fake_dns
):
    fake_dns["badge.test"] = "127.0.0.1"
    port = tls_server.server_address[1]
    policy = FetchPolicy(allow_private=True, verify=certificate[0])

    result = safe_fetch(f"https://badge.test:{port}/json", policy)

    assert result.content == BODY
    assert result.headers["X-Seen-Host"] == f"badge.test:{port}"


def test_https_certificate_for_another_name_is_refused(
    tls_server, certificate, fake_dns
):
    fake_dns["other.test"] = "127.0.0.1"
    port = tls_server.server_address[1]
    policy = FetchPolicy(allow_private=True, verify=certificate[0])

    assert fetch_error(f"https://other.test:{port}/json", policy).code == "tls_error"
