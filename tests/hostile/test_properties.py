"""Property-based tests of every parser of outside input: never an unexpected exception, never a stored script.

A few thousand generated cases in all (each test's ``max_examples``); no example database
is written, so a failure prints the seed and the shrunk example to replay.

Bugs these properties found are kept as regression tests in test_regressions.py.
"""

import base64
import ipaddress
import json
import re
import string
from html.parser import HTMLParser
from io import BytesIO

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image

from directory.core.fetch import FetchError
from directory.core.fetch import FetchPolicy
from directory.core.fetch import is_blocked_address
from directory.core.fetch import parse_target
from directory.core.images import ImageError
from directory.core.images import sanitise_svg
from directory.core.images import validate_image
from directory.core.markdown import ALLOWED_TAGS
from directory.core.markdown import render_markdown
from directory.openbadges import baking
from directory.openbadges import jose
from directory.openbadges.errors import OpenBadgesError
from directory.openbadges.verify import verify_badge


def cases(count: int):
    """Settings for one property: ``count`` examples, no deadline (the CI machine is shared)."""
    return settings(
        max_examples=count,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


def png(width: int = 4, height: int = 4) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (width, height), (200, 30, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = png()


SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# ------------------------------------------------------------------ building blocks

nasty_text = st.sampled_from(
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "&#106;avascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:image/png;base64,iVBORw0K",
        "http://evil.example/x",
        "//evil.example/x",
        "#ok",
        "url(http://evil.example/x)",
        "url(#ok)",
        "@import 'http://evil.example/x.css'",
        "expression(alert(1))",
        "\\75rl(http://x)",
        "alert(1)",
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "\x00",
        "\u202e",
        "é",
        "",
    ]
) | st.text(max_size=20)
fuzz_bytes = st.binary(max_size=2048)


def mutated(data: bytes):
    """``data`` with a few bytes changed, some inserted or deleted, maybe truncated."""
    edits = st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)), max_size=6)
    return st.tuples(edits, st.integers(0, len(data))).map(lambda pair: _apply(data, *pair))


def _apply(data: bytes, edits: list[tuple[int, int]], cut: int) -> bytes:
    buffer = bytearray(data)
    for position, value in edits:
        buffer[position] = value
    return bytes(buffer[: max(cut, 8)])


def chunked_png():
    """PNGs with valid CRCs around random chunks: the parser's logic, not just its CRC check."""
    chunk_type = st.sampled_from([b"iTXt", b"zTXt", b"tEXt", b"IDAT", b"iCCP", b"IEND"]) | st.binary(
        min_size=4, max_size=4
    )
    keyword = st.sampled_from([b"openbadges", b"openbadgecredential", b"Comment", b""])
    body = st.tuples(keyword, st.binary(max_size=5), st.binary(max_size=200)).map(
        lambda t: t[0] + b"\0" + t[1] + t[2]
    )
    chunk = st.builds(baking.Chunk, chunk_type, body | st.binary(max_size=64))
    header = baking.read_chunks(PNG)
    return st.lists(chunk, max_size=6).map(
        lambda middle: baking.write_chunks([header[0], *middle, header[-1]])
    )


def svg_documents():
    """SVG trees mixing harmless and dangerous elements, attributes and references."""
    tags = st.sampled_from(
        ["g", "rect", "circle", "text", "a", "use", "image", "script", "foreignObject", "style", "set",
         "animate", "iframe", "title", "feImage", "handler", "pattern", "svg"]
    )  # fmt: skip
    names = st.sampled_from(
        ["href", f"{{{XLINK_NS}}}href", "onload", "ONCLICK", "onmouseover", "style", "fill", "attributeName",
         "to", "values", "from", "{http://www.w3.org/XML/1998/namespace}base", "{http://evil.example/ns}x",
         "id", "width", "begin", "mask", "filter"]
    )  # fmt: skip
    attributes = st.dictionaries(names, nasty_text, max_size=4)

    def element(children):
        return st.tuples(tags, attributes, nasty_text, st.lists(children, max_size=3))

    tree = st.recursive(st.tuples(tags, attributes, nasty_text, st.just([])), element, max_leaves=12)
    return st.tuples(attributes, st.lists(tree, max_size=4)).map(_svg_bytes)


def _svg_bytes(root_parts) -> bytes:
    attributes, children = root_parts
    root = etree.Element(f"{{{SVG_NS}}}svg", nsmap={None: SVG_NS, "xlink": XLINK_NS})
    _set_attributes(root, attributes)
    for child in children:
        _add(root, child)
    return etree.tostring(root)


def _add(parent, parts) -> None:
    tag, attributes, content, children = parts
    node = etree.SubElement(parent, f"{{{SVG_NS}}}{tag}")
    _set_attributes(node, attributes)
    node.text = _xml_safe(content)
    for child in children:
        _add(node, child)


def _set_attributes(node, attributes: dict) -> None:
    for name, value in attributes.items():
        node.set(name, _xml_safe(value))


def _xml_safe(text: str) -> str:
    return "".join(
        ch
        for ch in text
        if ch in "\t\n\r" or (" " <= ch and not "\ud800" <= ch <= "\udfff" and ch not in "\ufffe\uffff")
    )


# ------------------------------------------------------------------ uploaded images


@cases(300)
@given(data=fuzz_bytes | mutated(PNG) | chunked_png() | fuzz_bytes.map(lambda b: baking.PNG_SIGNATURE + b))
def test_validate_image_raises_only_image_error(data):
    try:
        info = validate_image(data)
    except ImageError as error:
        assert error.message_fr
        return
    assert info.mime in ("image/png", "image/svg+xml")


@cases(200)
@given(document=svg_documents())
def test_sanitised_svg_holds_no_script_handler_or_external_reference(document):
    try:
        clean = sanitise_svg(document)
    except ImageError:
        return
    root = etree.fromstring(clean)
    for node in root.iter():
        assert isinstance(node.tag, str)  # no comment or processing instruction survives
        local = etree.QName(node).localname.lower()
        assert local not in {"script", "foreignobject", "iframe", "handler", "embed", "object"}
        for name, value in node.attrib.items():
            attribute = etree.QName(name).localname.lower()
            assert not attribute.startswith("on")
            assert "javascript:" not in value.lower()
            if attribute == "href":
                assert value.strip().startswith(("#", "data:image/png;base64,", "data:image/jpeg;base64,"))
        if local in {"set", "animate"}:
            target = node.get("attributeName", "").split(":")[-1].strip().lower()
            assert target != "href" and not target.startswith("on")


# ------------------------------------------------------------------ baking


@cases(300)
@given(data=fuzz_bytes | mutated(PNG) | chunked_png() | svg_documents())
def test_unbaking_raises_only_baking_errors(data):
    for read in (baking.unbake_png, baking.unbake_svg, baking.extract_any):
        try:
            found = read(data)
        except baking.BakingError:
            continue
        values = found.values() if isinstance(found, dict) else [found[1]]
        assert all(isinstance(value, str) for value in values)


@cases(150)
@given(payload=st.text(max_size=300), keyword=st.sampled_from(sorted(baking.BADGE_KEYWORDS)))
def test_what_is_baked_is_what_is_read_back(payload, keyword):
    baked = baking.bake_png(PNG, payload, keyword)

    assert baking.unbake_png(baked)[keyword] == payload


# ------------------------------------------------------------------ OB JSON and JWT

OB_KEYS = [
    "@context", "id", "type", "badge", "recipient", "verification", "issuedOn", "expires", "issuer",
    "credentialSubject", "proof", "achievement", "validFrom", "validUntil", "name", "identity", "hashed",
    "salt", "url", "publicKey", "creator", "revocationList", "evidence", "image", "credentialStatus",
    "verificationMethod", "proofValue", "cryptosuite", "jti", "iss", "sub", "nbf", "exp", "vc",
]  # fmt: skip
OB_VALUES = st.sampled_from(
    [
        "https://w3id.org/openbadges/v2", "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "Assertion", "BadgeClass", "Profile",
        "VerifiableCredential", "OpenBadgeCredential", "AchievementSubject", "hosted", "signed", "email",
        "DataIntegrityProof", "eddsa-rdfc-2022", "https://badges.example/a/1", "urn:uuid:0b6f5a52-5d8e-4c1b",
        "2026-01-02T03:04:05Z", "not a date", "sha256$abc", "alice@example.fr", "did:key:z6Mk",
    ]
)  # fmt: skip
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | OB_VALUES | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(OB_KEYS), children, max_size=5)
    ),
    max_leaves=20,
)
ob_documents = st.dictionaries(st.sampled_from(OB_KEYS), json_values, max_size=8)

url_text = st.one_of(
    st.text(max_size=60),
    st.tuples(
        st.sampled_from(["https", "http", "HTTPS", "ftp", "file", "javascript", "gopher", ""]),
        st.sampled_from(["://", ":", ":///", "://user:pw@", "://@"]),
        st.sampled_from(["example.org", "127.0.0.1", "[::1]", "[fe80::1%25eth0]", "xn--bcher-kva.example", "bücher.example",
                         "0x7f.1", "2130706433", "localhost.", "", "a" * 70, "ex ample.org", "[::ffff:169.254.169.254]"]),
        st.sampled_from(["", ":443", ":0", ":99999", ":-1", ":8080", ":abc"]),
        st.text(max_size=20),
    ).map("".join),
)  # fmt: skip


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


jws_headers = st.fixed_dictionaries(
    {"alg": st.sampled_from(["RS256", "none", "HS256", "EdDSA", "ES256", ""]) | st.text(max_size=5)},
    optional={"kid": st.text(max_size=10), "typ": st.sampled_from(["JWT", "vc+jwt"]), "jwk": json_values},
)
tokens = st.one_of(
    st.text(max_size=80),
    st.lists(
        st.text(alphabet=string.ascii_letters + string.digits + "-_=", max_size=40), min_size=1, max_size=4
    ).map(".".join),
    st.tuples(jws_headers | json_values, ob_documents | json_values, st.binary(max_size=300)).map(
        lambda t: f"{b64(json.dumps(t[0]).encode())}.{b64(json.dumps(t[1]).encode())}.{b64(t[2])}"
    ),
)


@pytest.fixture(scope="module")
def rsa_public_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()


@cases(300)
@given(token=tokens)
def test_unverified_jws_parts_raises_only_open_badges_errors(token):
    try:
        header, payload = jose.unverified_jws_parts(token)
    except OpenBadgesError:
        return
    assert isinstance(header, dict) and isinstance(payload, dict)


@cases(200)
@given(token=tokens)
def test_jws_and_vc_jwt_verification_raise_only_open_badges_errors(token, rsa_public_key):
    for verify in (jose.verify_jws, jose.verify_vc_jwt):
        with pytest.raises(OpenBadgesError):  # nothing generated here is signed by this key
            verify(token, rsa_public_key)


def refusing_fetch(url: str):
    raise FetchError("blocked_address", url=url)


def serving(document):
    """A fetch that answers every URL with ``document`` (or with bytes given as they are)."""
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    return lambda url: ("application/json", body)


@cases(150)
@given(
    given_input=ob_documents.map(json.dumps)
    | tokens
    | fuzz_bytes
    | mutated(PNG)
    | svg_documents()
    | url_text,
    remote=st.none() | ob_documents | fuzz_bytes,
)
def test_verify_badge_never_raises(given_input, remote):
    fetch = refusing_fetch if remote is None else serving(remote)

    verdict = verify_badge(given_input, fetch=fetch)

    assert verdict.result in ("valid", "invalid", "unusable")
    assert verdict.result != "valid"  # nothing generated here is a genuine, verifiable badge
    json.dumps(verdict.to_json())  # the API and CLI can always print it


# ------------------------------------------------------------------ Markdown

markdown_fragments = st.sampled_from(
    [
        "<script>alert(1)</script>", "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x]( javascript:alert(1) )",
        "[x](java&#x09;script:alert(1))", "[x](&#106;avascript:alert(1))", "<javascript:alert(1)>", "[a]: javascript:alert(1)\n\n[a]",
        "<a href=\"javascript:alert(1)\">x</a>", "<img src=x onerror=alert(1)>", "![i](http://evil.example/x.png)",
        "<svg onload=alert(1)>", "<style>*{}</style>", "<iframe src=//evil.example>", "[x](data:text/html,<script>)",
        "[x](vbscript:msgbox)", "[ok](https://example.org \"t\")", "<https://example.org>", "**b**", "`c`", "\n\n", "> ", "- ",
        "    code", "<!-- x -->", "&lt;script&gt;", "[x](<javascript:alert(1)>)", "\"onmouseover=\"alert(1)",
    ]
)  # fmt: skip
markdown_text = st.lists(markdown_fragments | st.text(max_size=15), max_size=12).map("".join)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def _scheme_of(url: str) -> str:
    """The scheme as a browser reads it (tabs, newlines, controls ignored); "" for a relative URL."""
    squeezed = "".join(ch for ch in url if ch > " ").lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", squeezed)
    return match.group(1) if match else ""


@cases(300)
@given(text=markdown_text)
def test_markdown_never_emits_script_handlers_or_dangerous_urls(text):
    html = str(render_markdown(text))
    parser = _Tags()
    parser.feed(html)
    parser.close()
    for tag, attributes in parser.found:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attributes:
            assert name in ("href", "title", "rel"), name
            if name == "href":
                assert _scheme_of(value or "") in ("", "http", "https", "mailto"), value


# ------------------------------------------------------------------ the fetcher's URL parsing


@cases(500)
@given(url=url_text, allow_http=st.booleans())
def test_parse_target_accepts_only_clean_web_urls(url, allow_http):
    try:
        target = parse_target(url, FetchPolicy(allow_http=allow_http))
    except FetchError as error:
        assert error.code in ("bad_url", "bad_scheme")
        return
    assert target.scheme in (("https", "http") if allow_http else ("https",))
    assert target.host and target.host.isascii()
    assert not any(ch.isspace() for ch in target.host)
    assert not any(ch in target.host for ch in "/\\@?#")
    assert 0 < target.port < 65536
    assert target.path.startswith("/")
    assert not any(ch in target.pinned_url("192.0.2.1") for ch in "\r\n")


ipv4 = st.integers(0, 2**32 - 1).map(ipaddress.IPv4Address)
ipv6 = st.integers(0, 2**128 - 1).map(ipaddress.IPv6Address)
DEFAULT = FetchPolicy()
LOCAL = FetchPolicy(allow_private=True)
PRIVATE_V4 = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8",
                                                 "169.254.0.0/16", "100.64.0.0/10", "0.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4")]  # fmt: skip


@cases(500)
@given(ip=ipv4)
def test_private_ipv4_and_its_ipv6_wrappings_are_blocked(ip):
    private = any(ip in network for network in PRIVATE_V4)
    if private:
        assert is_blocked_address(ip, DEFAULT)
    wrapped = [
        ipaddress.IPv6Address(f"::ffff:{ip}"),  # IPv4-mapped
        ipaddress.IPv6Address((0x2002 << 112) | (int(ip) << 80)),  # 6to4
        ipaddress.IPv6Address(int(ipaddress.IPv6Address("64:ff9b::")) | int(ip)),  # NAT64
    ]
    for address in wrapped:
        assert is_blocked_address(address, DEFAULT) >= is_blocked_address(ip, DEFAULT)


@cases(500)
@given(ip=ipv4 | ipv6)
def test_allowing_private_addresses_never_unblocks_more_than_it_should(ip):
    if is_blocked_address(ip, LOCAL):
        assert is_blocked_address(ip, DEFAULT)  # what a lax policy blocks, the strict one blocks
    if not ip.is_global:
        assert is_blocked_address(ip, DEFAULT)


# ------------------------------------------------------------------ query strings on public pages

query_keys = st.sampled_from(["q", "page", "lang", "per_page", "sort", "region", "departement", "competence", "badge",
                              "issuer", "endorsed_by", "open_to", "sector", "format"]) | st.text(max_size=8)  # fmt: skip
query_values = st.sampled_from(["-1", "0", "99999999999999999999", "fr", "en", "xx", "", "\x00", "%", "' OR 1=1 --",
                                "<script>alert(1)</script>", "é" * 300]) | st.text(max_size=30)  # fmt: skip


def test_public_pages_never_fail_on_any_query_string(app, client, db):
    from directory.demo.loader import load_demo

    load_demo(profile_count=2)
    db.session.commit()
    pages = _public_pages(db)

    @cases(100)
    @given(path=st.sampled_from(pages), query=st.lists(st.tuples(query_keys, query_values), max_size=5))
    def check(path, query):
        response = client.get(path, query_string=query)
        assert response.status_code < 500, (path, query)
        if response.mimetype == "text/html":
            assert "<script>alert(1)</script>" not in response.text

    check()


def _public_pages(db) -> list[str]:
    from sqlalchemy import select

    from directory.badges.models import BadgeClass
    from directory.organisations.models import Organisation
    from directory.profiles.models import Profile

    first = {
        model: db.session.scalar(select(model.slug).limit(1)) for model in (Profile, BadgeClass, Organisation)
    }
    return [
        "/", "/search", "/badges", "/organisations", "/a-propos", "/verify", "/connexion", "/healthz",
        f"/profiles/{first[Profile]}", f"/badges/{first[BadgeClass]}", f"/organisations/{first[Organisation]}",
        "/api/v1/search", f"/api/v1/profiles/{first[Profile]}",
    ]  # fmt: skip
