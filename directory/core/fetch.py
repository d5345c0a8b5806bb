"""Fetch a remote document (badge JSON, key, image) without becoming an SSRF proxy.

No Flask here: settings arrive as a ``FetchPolicy``. Every hop of a redirect
chain is re-checked: scheme, then each address the host resolves to, and the
connection is then pinned to the checked address so a second DNS answer
(DNS rebinding) cannot send it elsewhere. Bodies are streamed under a byte cap
and a total time budget, so a slow or endless server cannot hold a worker.

How the pinning works: the request goes to ``scheme://<checked IP>:port/path``
with the real ``Host`` header; for HTTPS a per-request adapter gives urllib3
the real host name as ``server_hostname`` (SNI) and ``assert_hostname`` (the
certificate must match the host, not the IP). Nothing resolves the name a
second time, which is more robust than checking the peer address after
connecting (by then the request may already have been sent).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urljoin
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
DEFAULT_PORTS = {"http": 80, "https": 443}
READ_CHUNK = 65_536
# Cloud instance-metadata endpoints hand out credentials; no badge lives there,
# so they stay blocked even when ``allow_private`` is on (dev and tests).
METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack
    ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    ipaddress.ip_address("fd00:ec2::254"),  # AWS IMDS over IPv6
}
NON_PUBLIC_FLAGS = (
    "is_private",
    "is_loopback",
    "is_link_local",
    "is_multicast",
    "is_reserved",
    "is_unspecified",
)
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")

MESSAGES = {
    "bad_url": (
        "The address is not a valid web address.",
        "L'adresse n'est pas une adresse web valide.",
    ),
    "bad_scheme": (
        "Only {schemes} addresses can be fetched.",
        "Seules les adresses {schemes} peuvent être consultées.",
    ),
    "blocked_address": (
        "The address points to a private or reserved network, so it was not fetched.",
        "L'adresse pointe vers un réseau privé ou réservé : elle n'a pas été consultée.",
    ),
    "unreachable": (
        "The server could not be reached.",
        "Le serveur est injoignable.",
    ),
    "tls_error": (
        "The server's secure connection (HTTPS certificate) could not be verified.",
        "La connexion sécurisée du serveur (certificat HTTPS) n'a pas pu être vérifiée.",
    ),
    "timeout": (
        "The server took too long to answer (more than {seconds} s).",
        "Le serveur a mis trop de temps à répondre (plus de {seconds} s).",
    ),
    "too_large": (
        "The response is too large (more than {limit} bytes).",
        "La réponse est trop volumineuse (plus de {limit} octets).",
    ),
    "too_many_redirects": (
        "Too many redirects (more than {count}).",
        "Trop de redirections (plus de {count}).",
    ),
    "http_error": (
        "The server answered with HTTP status {status}.",
        "Le serveur a répondu avec le statut HTTP {status}.",
    ),
}


@dataclass(frozen=True)
class FetchPolicy:
    """What a fetch may do; the defaults are the production ones."""

    allow_http: bool = False
    allow_private: bool = False
    max_bytes: int = 2_000_000
    timeout: float = 10
    max_redirects: int = 3
    accept: str = "application/ld+json, application/json;q=0.9, */*;q=0.1"
    user_agent: str = "Badgeons/1.0 (Open Badges verifier)"
    # True, or a CA bundle path (private PKI, tests); never False in production.
    verify: bool | str = True


@dataclass(frozen=True)
class FetchResult:
    """A successful (non-error, non-redirect) response, fully read."""

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    content_type: str


class FetchError(Exception):
    """A fetch was refused or failed; ``code`` is stable, messages are for people."""

    def __init__(
        self, code: str, url: str = "", status: int | None = None, **params: object
    ):
        english, french = MESSAGES[code]
        self.code = code
        self.url = url
        self.status = (
            status  # set for http_error (e.g. 410 Gone = revoked OB 2.0 badge)
        )
        self.message_en = english.format(status=status, **params)
        self.message_fr = french.format(status=status, **params)
        super().__init__(self.message_en)

    def message(self, language: str) -> str:
        """The message in ``language`` ("fr" or anything else for English)."""
        return self.message_fr if language.startswith("fr") else self.message_en


class Target(NamedTuple):
    """A checked URL split into what the pinned request needs."""

    scheme: str
    host: str
    port: int
    path: str

    def pinned_url(self, address: str) -> str:
        """The URL with the host replaced by the checked IP address."""
        literal = f"[{address}]" if ":" in address else address
        return f"{self.scheme}://{literal}:{self.port}{self.path}"

    def host_header(self) -> str:
        """The Host header value for the original host name."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = DEFAULT_PORTS[self.scheme] == self.port
        return host if default else f"{host}:{self.port}"


DEFAULT_POLICY = FetchPolicy()


def safe_fetch(url: str, policy: FetchPolicy = DEFAULT_POLICY) -> FetchResult:
    """GET ``url`` under ``policy``, following redirects hop by hop, or raise FetchError."""
    deadline = time.monotonic() + policy.timeout
    for _hop in range(policy.max_redirects + 1):
        target = parse_target(url, policy)
        address = resolve(target.host, target.port, policy)
        with (
            _pinned_session(target) as session,
            _send(session, target, address, policy, deadline) as response,
        ):
            location = _redirect_location(response, url)
            if location is None:
                return _result(url, response, policy, deadline)
        url = location
    raise FetchError("too_many_redirects", url=url, count=policy.max_redirects)


# ------------------------------------------------------------ URL and address


def parse_target(url: str, policy: FetchPolicy) -> Target:
    """Check scheme and shape of ``url`` and split it, or raise bad_scheme/bad_url."""
    schemes = ("https", "http") if policy.allow_http else ("https",)
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:  # e.g. unbalanced brackets: "https://["
        raise FetchError("bad_url", url=url) from exc
    if parts.scheme.lower() not in schemes:
        raise FetchError(
            "bad_scheme", url=url, schemes=" / ".join(f"{s}://" for s in schemes)
        )
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme.lower()]
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError) as exc:
        raise FetchError("bad_url", url=url) from exc
    if not host or parts.username is not None or parts.password is not None:
        raise FetchError("bad_url", url=url)  # credentials in URLs are never sent
    if any(char.isspace() or char in "<>\\\"{}|^`" for char in host):
        raise FetchError("bad_url", url=url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme.lower(), host, port, path)


def resolve(host: str, port: int, policy: FetchPolicy) -> str:
    """Resolve ``host`` and return an address to connect to, refusing blocked ones."""
    # getaddrinfo has no timeout of its own; the system resolver's applies.
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError("unreachable", url=host) from exc
    addresses = [str(info[4][0]) for info in infos]
    # Every answer is checked, not only the one used: a mixed answer is suspicious.
    if not addresses or any(is_blocked_address(_ip(a), policy) for a in addresses):
        raise FetchError("blocked_address", url=host)
    return addresses[0]


def _ip(address: str) -> IPAddress:
    """Parse an address from getaddrinfo, dropping an IPv6 scope id."""
    return ipaddress.ip_address(address.split("%", 1)[0])


def is_blocked_address(ip: IPAddress, policy: FetchPolicy) -> bool:
    """True when ``ip`` (or an IPv4 address embedded in it) must not be contacted."""
    candidates = [ip, *_embedded_ipv4(ip)]
    if any(candidate in METADATA_ADDRESSES for candidate in candidates):
        return True
    if policy.allow_private:
        return False
    return any(_is_non_public(candidate) for candidate in candidates)


def _embedded_ipv4(ip: IPAddress) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses carried inside an IPv6 one (mapped, 6to4, Teredo, NAT64)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return []
    found = [ip.ipv4_mapped, ip.sixtofour, ip.teredo[1] if ip.teredo else None]
    if ip in NAT64_PREFIX:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return [address for address in found if address is not None]


def _is_non_public(ip: IPAddress) -> bool:
    """True for private, loopback, link-local, multicast, reserved or unspecified."""
    # is_global alone misses multicast (224/4 counts as global), so list them all.
    return not ip.is_global or any(getattr(ip, flag) for flag in NON_PUBLIC_FLAGS)


# ------------------------------------------------------------ HTTP


class _PinnedTLSAdapter(HTTPAdapter):
    """HTTPS adapter that connects to an IP but does SNI and certificate checks for a name."""

    def __init__(self, hostname: str) -> None:
        self._hostname = hostname
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        """Give every pool the real host name for SNI and certificate matching."""
        kwargs["server_hostname"] = self._hostname
        kwargs["assert_hostname"] = self._hostname
        super().init_poolmanager(*args, **kwargs)


def _pinned_session(target: Target) -> requests.Session:
    """A throwaway session for one hop, with no proxies and no retries."""
    session = requests.Session()
    # Environment proxies or .netrc would route around the checked address.
    session.trust_env = False
    if target.scheme == "https":
        session.mount("https://", _PinnedTLSAdapter(target.host))
    else:
        session.mount("http://", HTTPAdapter(max_retries=0))
    return session


def _send(
    session: requests.Session,
    target: Target,
    address: str,
    policy: FetchPolicy,
    deadline: float,
) -> requests.Response:
    """Send the GET for one hop and return the streaming response."""
    headers = {
        "Host": target.host_header(),
        "Accept": policy.accept,
        "User-Agent": policy.user_agent,
        "Accept-Encoding": "identity",
    }
    try:
        return session.get(
            target.pinned_url(address),
            headers=headers,
            stream=True,
            allow_redirects=False,
            timeout=_remaining(deadline, policy),
            verify=policy.verify,
        )
    except requests.exceptions.RequestException as exc:
        raise _request_error(exc, target, policy) from exc


def _request_error(exc: Exception, target: Target, policy: FetchPolicy) -> FetchError:
    """Map a requests exception to a FetchError code."""
    url = f"{target.scheme}://{target.host_header()}{target.path}"
    if isinstance(exc, requests.exceptions.SSLError):
        return FetchError("tls_error", url=url)
    if isinstance(exc, requests.exceptions.Timeout):
        return FetchError("timeout", url=url, seconds=f"{policy.timeout:g}")
    return FetchError("unreachable", url=url)


def _remaining(deadline: float, policy: FetchPolicy) -> float:
    """Seconds left in the budget, or raise timeout."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError("timeout", seconds=f"{policy.timeout:g}")
    return left


def _redirect_location(response: requests.Response, url: str) -> str | None:
    """The absolute URL a redirect points to, or None for any other response."""
    if response.status_code not in REDIRECT_STATUSES:
        return None
    location = response.headers.get("Location")
    if not location:
        raise FetchError("http_error", url=url, status=response.status_code)
    return urljoin(url, location.strip())


def _result(
    url: str, response: requests.Response, policy: FetchPolicy, deadline: float
) -> FetchResult:
    """Read the final response into a FetchResult, refusing HTTP errors."""
    if response.status_code >= 400:
        raise FetchError("http_error", url=url, status=response.status_code)
    content_type = response.headers.get("Content-Type", "")
    return FetchResult(
        url=url,
        status=response.status_code,
        headers=response.headers,
        content=_read_body(response, url, policy, deadline),
        content_type=content_type.split(";", 1)[0].strip().lower(),
    )


def _read_body(
    response: requests.Response, url: str, policy: FetchPolicy, deadline: float
) -> bytes:
    """Read the body under the byte cap and the time budget."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError("too_large", url=url, limit=policy.max_bytes)
    body = bytearray()
    while chunk := _read_chunk(response, url, policy, deadline):
        body += chunk
        if len(body) > policy.max_bytes:
            raise FetchError("too_large", url=url, limit=policy.max_bytes)
    return bytes(body)


def _read_chunk(
    response: requests.Response, url: str, policy: FetchPolicy, deadline: float
) -> bytes:
    """Read whatever has arrived, waiting no longer than the budget left."""
    # read1() does at most one recv, so the deadline is checked between the
    # bytes of a trickling server (iter_content would wait for a full chunk,
    # each byte resetting the socket timeout). A stalled recv waits at most the
    # read timeout given at send time, cut here to the time left when the
    # socket is reachable (http.client drops it for close-delimited bodies).
    left = _remaining(deadline, policy)
    sock = getattr(response.raw.connection, "sock", None)
    if sock is not None:
        sock.settimeout(left)
    try:
        return response.raw.read1(READ_CHUNK)
    except (urllib3.exceptions.ReadTimeoutError, TimeoutError) as exc:
        raise FetchError("timeout", url=url, seconds=f"{policy.timeout:g}") from exc
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise FetchError("unreachable", url=url) from exc
